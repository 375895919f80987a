#include "integrations/webhook_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/text_encoding.h"

namespace rkd {
namespace {

std::string Hmac(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  return std::string(reinterpret_cast<const char*>(mac), len);
}

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  return Base64Encode(Hmac(secret, body));
}

bool WebhookSignatureMatches(const std::vector<std::string>& secrets, std::string_view body, std::string_view header) {
  const std::optional<std::string> given = Base64Decode(header);
  if (!given || given->size() != 32) return false;
  bool matched = false;
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    const std::string expected = Hmac(secret, body);
    // Every secret is tried, so the time taken does not tell which one matched.
    matched |= CRYPTO_memcmp(expected.data(), given->data(), expected.size()) == 0;
  }
  return matched;
}

}  // namespace rkd
