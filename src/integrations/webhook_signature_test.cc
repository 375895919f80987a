#include "integrations/webhook_signature.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

// `printf '%s' '{"id":1}' | openssl dgst -sha256 -hmac shpss_secret -binary | base64`
constexpr const char* kBody = R"({"id":1})";
constexpr const char* kSignature = "xocA3LkeJ/RvNrkxep1EUtFHuj7rIoIqZYaLU26LyPQ=";

TEST(WebhookSignature, IsBase64OfTheBodysHmacSha256) { EXPECT_EQ(WebhookSignature("shpss_secret", kBody), kSignature); }

TEST(WebhookSignature, MatchesUnderAnyConfiguredSecret) {
  EXPECT_TRUE(WebhookSignatureMatches({"shpss_secret"}, kBody, kSignature));
  // During a rotation both the old and the new secret are accepted, in either order.
  EXPECT_TRUE(WebhookSignatureMatches({"new-secret", "shpss_secret"}, kBody, kSignature));
  EXPECT_FALSE(WebhookSignatureMatches({"new-secret"}, kBody, kSignature));
}

TEST(WebhookSignature, RefusesAnythingElse) {
  EXPECT_FALSE(WebhookSignatureMatches({"shpss_secret"}, R"({"id":2})", kSignature));  // another body
  EXPECT_FALSE(WebhookSignatureMatches({"shpss_secret"}, std::string(kBody) + " ", kSignature));
  EXPECT_FALSE(WebhookSignatureMatches({"shpss_secret"}, kBody, ""));
  EXPECT_FALSE(WebhookSignatureMatches({"shpss_secret"}, kBody, "not base64!"));
  EXPECT_FALSE(WebhookSignatureMatches({"shpss_secret"}, kBody, "c2hvcnQ="));  // base64, not 32 bytes
  // The hex form of the MAC is not the base64 one.
  EXPECT_FALSE(WebhookSignatureMatches({"shpss_secret"}, kBody,
                                       "c68700dcb91e27f46f36b9317a9d4452d147ba3eeb22822a65868b536e8bc8f4"));
  // An empty secret signs nothing, even a signature made with an empty key.
  EXPECT_FALSE(WebhookSignatureMatches({""}, kBody, WebhookSignature("", kBody)));
  EXPECT_FALSE(WebhookSignatureMatches({}, kBody, kSignature));
}

}  // namespace
}  // namespace rkd
