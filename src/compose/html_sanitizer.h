// SanitizeHtml: makes HTML written by a model safe to send. An allowlist, not a
// blocklist: known formatting tags keep known attributes; script, style, iframe, object,
// embed, svg, form controls and the like are dropped with their content; any other tag
// is dropped but its text kept; event handlers (on*), unknown attributes and links other
// than http(s)/mailto (javascript:, data:, vbscript:, …) or holding a control character
// or whitespace are removed; a style that loads anything remote goes whole, and its
// declarations that could lay an overlay over the mail client (position other than
// static/relative, z-index) go one by one; comments go.
// Every attribute is re-quoted and text outside tags is re-escaped, so the output parses
// the same way in every mail client. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rkd {

struct SanitizedHtml {
  std::string html;
  int removed = 0;  // tags, attributes and comments taken out (0: the input was clean)
};

SanitizedHtml SanitizeHtml(std::string_view html);

// True when `url`, entity-decoded, is http://, https:// or mailto: and holds no control
// character, whitespace or DEL anywhere (nothing is skipped before the scheme check).
bool IsSafeUrl(std::string_view url);

// Plain text as safe HTML: escaped, paragraphs at blank lines, <br> at single line
// breaks, http(s) URLs as links. For replies that carry no HTML of their own.
std::string TextToHtml(std::string_view text);

}  // namespace rkd
