// An email's body as the API shows it (issue 15): `content` is an HTML fragment made
// from the plain-text part, as the seed's dashboard renders it (paragraphs, line breaks,
// bullet lists, links), and `text` the plain text itself. Made from the text, not the
// sent HTML, so it carries no open pixel and no tracking redirect: showing it, or
// clicking in it, changes no email's status. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace rkd {

// `text` as a sanitized HTML fragment: every character escaped; blank lines separate
// <p>s, single line breaks become <br>, lines starting with "- " a <ul>; http(s) URLs
// become links (rel="noopener noreferrer", target="_blank"), except those under one of
// `own_urls` (Rekindle's own: unsubscribe and tracking links), which stay text so that
// a click in a preview unsubscribes nobody.
std::string EmailBodyFragment(const std::string& text, const std::vector<std::string>& own_urls);

}  // namespace rkd
