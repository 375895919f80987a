// Signed tokens for the links Rekindle puts in emails (unsubscribe, open pixel, click
// redirect): the payload and an HMAC-SHA256 over the purpose and the payload under a
// server secret, base64url. A token cannot be forged, altered, enumerated, or reused for
// another purpose without the secret. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace rkd {

std::string SignToken(const std::string& secret, const std::string& purpose, const std::string& payload);
// The payload when `token` was signed under `secret` for `purpose`.
std::optional<std::string> VerifyToken(const std::string& secret, const std::string& purpose, const std::string& token);

}  // namespace rkd
