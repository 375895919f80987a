// Small text encodings shared by the HTTP layer, tokens and emails. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rkd {

// Unpadded base64url (RFC 4648 §5), for tokens and cursors that travel in URLs.
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Padded base64 (RFC 4648 §4), for MIME and signatures. Decode skips ASCII whitespace
// (line breaks in a wrapped value) and refuses anything else outside the alphabet, a
// length that is not a multiple of 4, and padding anywhere but at the end.
std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace rkd
