// Open and click tracking for an email's HTML: every http(s) link is routed through
// {public_url}/t/c/TOKEN, where TOKEN signs the email id and the original URL (so the
// redirect can only lead where the email itself pointed: no open redirect), and a 1×1
// pixel {public_url}/t/o/TOKEN.gif is added. Links back to Rekindle itself (unsubscribe)
// are left alone. RemoveTracking undoes this for previews. Pure; thread-safe.
#pragma once

#include <string>

namespace rkd {

std::string AddTracking(const std::string& html, const std::string& public_url, const std::string& secret,
                        const std::string& email_id);

// The HTML an operator previews: `html` (as AddTracking left it) with no tracking at all,
// so viewing the preview or clicking in it records neither an open nor a click.
//  - Every link whose target is a click token signed under `secret` (at whatever base
//    URL it was sent from, since the signature, not the host, proves it is ours) points
//    at the original URL the token carries, attribute-escaped.
//  - Every <img> whose source is an open token signed under `secret` is removed.
//  - Anything else under {public_url}/t/ that cannot be restored (a token signed under
//    an older secret, say) is neutralised: such a link points at "#", such an image is
//    removed.
// Everything else is kept byte for byte.
std::string RemoveTracking(const std::string& html, const std::string& public_url, const std::string& secret);

}  // namespace rkd
