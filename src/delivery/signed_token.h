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

// Unsubscribe tokens: what /u/TOKEN acts on. A token names the client and the address the
// email went to (as a hash, so addresses do not travel in URLs and logs). A suppression is
// about an address: after an address change, or a delete and re-create under the same id,
// an old link must not unsubscribe the new address, so the link acts only while the
// client's current address is the one it was sent to.
std::string SignUnsubscribeToken(const std::string& secret, const std::string& user_id, const std::string& email);

struct UnsubscribeToken {
  std::string user_id;
  // Hash of the address the link was sent to; empty for a token signed before links
  // carried one (the user id alone), which BelongsTo never accepts.
  std::string address_hash;

  // Whether the link was sent to `email` (compared case-insensitively, as a mailbox
  // provider treats addresses). A token without an address belongs to no address:
  // it cannot tell which address its email went to, so it fails safe (the page says the
  // link no longer applies and asks for a newer one) rather than risk acting on another.
  bool BelongsTo(const std::string& email) const;
};

// The token's contents when it was signed under `secret` for unsubscribing.
std::optional<UnsubscribeToken> VerifyUnsubscribeToken(const std::string& secret, const std::string& token);

}  // namespace rkd
