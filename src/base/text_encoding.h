// Small text encodings shared by the HTTP layer, tokens and emails. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rkd {

// Unpadded base64url (RFC 4648 §5), for tokens and cursors that travel in URLs.
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace rkd
