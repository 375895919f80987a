#include "delivery/signed_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>

#include "base/text_encoding.h"

namespace rkd {
namespace {

// The MAC as base64url: 32 bytes of HMAC-SHA256 make exactly 43 characters.
constexpr size_t kMacChars = 43;

std::string Mac(const std::string& secret, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

constexpr char kUnsubscribe[] = "unsubscribe";

// 128 bits of SHA-256 over the lowercased address, base64url: enough to tell addresses
// apart (the token is signed, so nobody can choose a colliding one).
std::string AddressHash(const std::string& email) {
  std::string lower(email);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(lower.data()), lower.size(), digest);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), 16));
}

}  // namespace

std::string SignToken(const std::string& secret, const std::string& purpose, const std::string& payload) {
  return Base64UrlEncode(payload) + "." + Mac(secret, purpose + ":" + payload);
}

std::optional<std::string> VerifyToken(const std::string& secret, const std::string& purpose,
                                       const std::string& token) {
  const size_t dot = token.find('.');
  if (dot == std::string::npos || secret.empty()) return std::nullopt;
  const std::string_view encoded = std::string_view(token).substr(0, dot);
  const std::string_view given = std::string_view(token).substr(dot + 1);
  // The exact length first: a shorter or longer signature (a prefix, an empty one, one
  // with something appended) is refused before any comparison.
  if (given.size() != kMacChars) return std::nullopt;
  const auto decoded = Base64UrlDecode(encoded);
  // Only the canonical encoding of the payload: the decoder ignores trailing bits and a
  // dangling last character, so without this several spellings of one token verify
  // (a token altered in its last payload character would still be accepted).
  if (!decoded || Base64UrlEncode(*decoded) != encoded) return std::nullopt;
  const std::string expected = Mac(secret, purpose + ":" + *decoded);
  // Constant time: how far a guess matches must not show in the response time.
  if (expected.size() != given.size() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0)
    return std::nullopt;
  return *decoded;
}

std::string SignUnsubscribeToken(const std::string& secret, const std::string& user_id, const std::string& email) {
  return SignToken(secret, kUnsubscribe, user_id + "\n" + AddressHash(email));
}

bool UnsubscribeToken::BelongsTo(const std::string& email) const {
  if (address_hash.empty()) return false;
  const std::string h = AddressHash(email);
  return h.size() == address_hash.size() && CRYPTO_memcmp(h.data(), address_hash.data(), h.size()) == 0;
}

std::optional<UnsubscribeToken> VerifyUnsubscribeToken(const std::string& secret, const std::string& token) {
  auto payload = VerifyToken(secret, kUnsubscribe, token);
  if (!payload) return std::nullopt;
  const size_t nl = payload->find('\n');
  if (nl == std::string::npos) return UnsubscribeToken{*payload, ""};  // the old format: the user id alone
  if (payload->find('\n', nl + 1) != std::string::npos) return std::nullopt;
  UnsubscribeToken t{payload->substr(0, nl), payload->substr(nl + 1)};
  if (t.user_id.empty() || t.address_hash.empty()) return std::nullopt;
  return t;
}

}  // namespace rkd
