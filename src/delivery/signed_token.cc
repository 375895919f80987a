#include "delivery/signed_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/text_encoding.h"

namespace rkd {
namespace {

std::string Mac(const std::string& secret, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

}  // namespace

std::string SignToken(const std::string& secret, const std::string& purpose, const std::string& payload) {
  return Base64UrlEncode(payload) + "." + Mac(secret, purpose + ":" + payload);
}

std::optional<std::string> VerifyToken(const std::string& secret, const std::string& purpose,
                                       const std::string& token) {
  const size_t dot = token.find('.');
  if (dot == std::string::npos || secret.empty()) return std::nullopt;
  const auto decoded = Base64UrlDecode(std::string_view(token).substr(0, dot));
  if (!decoded) return std::nullopt;
  const std::string& payload = *decoded;
  const std::string expected = Mac(secret, purpose + ":" + payload);
  const std::string given = token.substr(dot + 1);
  if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0)
    return std::nullopt;
  return payload;
}

}  // namespace rkd
