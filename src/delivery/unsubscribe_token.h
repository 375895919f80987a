// Signed unsubscribe tokens for one-click unsubscribe links (RFC 8058): the user id and
// an HMAC-SHA256 of it under a server secret, base64url. A token cannot be forged or
// enumerated without the secret. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace rkd {

std::string SignUnsubscribeToken(const std::string& secret, const std::string& user_id);
// The user id when `token` is valid under `secret`.
std::optional<std::string> VerifyUnsubscribeToken(const std::string& secret, const std::string& token);

}  // namespace rkd
