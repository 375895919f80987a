#include "delivery/signed_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace rkd {
namespace {

std::string Base64Url(const unsigned char* data, size_t n) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    buf = (buf << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += k[(buf >> bits) & 63];
    }
  }
  if (bits > 0) out += k[(buf << (6 - bits)) & 63];
  return out;
}

std::string Mac(const std::string& secret, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  return Base64Url(mac, len);
}

}  // namespace

std::string SignToken(const std::string& secret, const std::string& purpose, const std::string& payload) {
  const std::string encoded = Base64Url(reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  return encoded + "." + Mac(secret, purpose + ":" + payload);
}

std::optional<std::string> VerifyToken(const std::string& secret, const std::string& purpose,
                                       const std::string& token) {
  const size_t dot = token.find('.');
  if (dot == std::string::npos || secret.empty()) return std::nullopt;
  static const std::string k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string payload;
  uint32_t buf = 0;
  int bits = 0;
  for (size_t i = 0; i < dot; ++i) {
    const size_t v = k.find(token[i]);
    if (v == std::string::npos) return std::nullopt;
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      payload += static_cast<char>((buf >> bits) & 0xff);
    }
  }
  const std::string expected = Mac(secret, purpose + ":" + payload);
  const std::string given = token.substr(dot + 1);
  if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0)
    return std::nullopt;
  return payload;
}

}  // namespace rkd
