#include "delivery/signed_token.h"

#include <gtest/gtest.h>

#include <string>

namespace rkd {
namespace {

const std::string kSecret = "s3cret-for-tests";

// The payloads cover each base64 tail length (0, 1 and 2 bytes over a multiple of 3),
// where a lenient decoder ignores bits.
const std::string kPayloads[] = {"u1", "user-42", "abc", "email-1\nhttps://shop.test/a?b=1", std::string("\0x", 2)};

TEST(SignedToken, RoundTrips) {
  for (const std::string& p : kPayloads) {
    const std::string t = SignToken(kSecret, "click", p);
    ASSERT_EQ(VerifyToken(kSecret, "click", t), p) << t;
  }
}

TEST(SignedToken, RefusesASignatureOfTheWrongLength) {
  for (const std::string& p : kPayloads) {
    const std::string t = SignToken(kSecret, "unsubscribe", p);
    const size_t dot = t.find('.');
    ASSERT_NE(dot, std::string::npos);
    EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", t.substr(0, dot + 1))) << "empty signature";
    EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", t.substr(0, dot))) << "no signature at all";
    EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", t.substr(0, t.size() - 1))) << "one character short";
    for (const char* extra : {"A", "a", "-", "_", "=", "."})
      EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", t + extra)) << "one character longer: " << extra;
    EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", t + t.substr(dot + 1))) << "signature doubled";
  }
}

TEST(SignedToken, RefusesATokenAlteredInAnyOnePosition) {
  for (const std::string& p : kPayloads) {
    const std::string t = SignToken(kSecret, "open", p);
    for (size_t i = 0; i < t.size(); ++i) {
      for (char c : std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=")) {
        if (t[i] == c) continue;
        std::string altered = t;
        altered[i] = c;
        EXPECT_FALSE(VerifyToken(kSecret, "open", altered)) << "position " << i << " → " << c << ": " << altered;
      }
    }
  }
}

TEST(SignedToken, RefusesAnotherPurposeAnotherSecretOrAnotherPayload) {
  const std::string t = SignToken(kSecret, "click", "email-1\nhttps://shop.test/");
  EXPECT_FALSE(VerifyToken(kSecret, "open", t));
  EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", t));
  EXPECT_FALSE(VerifyToken(kSecret, "", t));
  EXPECT_FALSE(VerifyToken(kSecret + "x", "click", t));
  EXPECT_FALSE(VerifyToken("", "click", t)) << "no secret: nothing verifies";
  // Another payload under the first one's signature.
  const std::string other = SignToken(kSecret, "click", "email-2\nhttps://evil.test/");
  const std::string spliced = other.substr(0, other.find('.')) + t.substr(t.find('.'));
  EXPECT_FALSE(VerifyToken(kSecret, "click", spliced));
  // Junk.
  for (const char* junk : {"", ".", "..", "abc", "abc.", ".abc", "a b.c", "%41.x"})
    EXPECT_FALSE(VerifyToken(kSecret, "click", junk)) << junk;
}

TEST(SignedToken, RefusesNonCanonicalPayloadEncodings) {
  // "abc" is "YWJj"; a dangling character or other trailing bits decode to the same bytes
  // in a lenient decoder, and must not make a second valid spelling of the token.
  const std::string t = SignToken(kSecret, "unsubscribe", "ab");  // "YWI" + 2 spare bits
  const std::string sig = t.substr(t.find('.'));
  ASSERT_EQ(t.substr(0, t.find('.')), "YWI");
  EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", "YWJ" + sig));
  EXPECT_FALSE(VerifyToken(kSecret, "unsubscribe", "YWIA" + sig));
}

TEST(UnsubscribeToken, NamesTheClientAndTheAddressItWasSentTo) {
  const std::string t = SignUnsubscribeToken(kSecret, "u-1", "Lena@Shop.test");
  auto v = VerifyUnsubscribeToken(kSecret, t);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->user_id, "u-1");
  EXPECT_TRUE(v->BelongsTo("Lena@Shop.test"));
  EXPECT_TRUE(v->BelongsTo("lena@shop.test"));    // the same mailbox
  EXPECT_FALSE(v->BelongsTo("lena@other.test"));  // the address changed since
  EXPECT_FALSE(v->BelongsTo(""));
  EXPECT_EQ(t.find("shop"), std::string::npos);  // the address does not travel in the URL
}

TEST(UnsubscribeToken, AnOldFormatTokenBelongsToNoAddress) {
  auto v = VerifyUnsubscribeToken(kSecret, SignToken(kSecret, "unsubscribe", "u-1"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->user_id, "u-1");
  EXPECT_FALSE(v->BelongsTo("lena@shop.test"));
}

TEST(UnsubscribeToken, RefusesOtherPurposesSecretsAndShapes) {
  EXPECT_FALSE(VerifyUnsubscribeToken(kSecret + "x", SignUnsubscribeToken(kSecret, "u-1", "a@b.test")));
  EXPECT_FALSE(VerifyUnsubscribeToken(kSecret, SignToken(kSecret, "click", "u-1\nAAAA")));
  EXPECT_FALSE(VerifyUnsubscribeToken(kSecret, SignToken(kSecret, "unsubscribe", "u-1\n")));
  EXPECT_FALSE(VerifyUnsubscribeToken(kSecret, SignToken(kSecret, "unsubscribe", "\nAAAA")));
  EXPECT_FALSE(VerifyUnsubscribeToken(kSecret, SignToken(kSecret, "unsubscribe", "u-1\nAAAA\nBBBB")));
}

}  // namespace
}  // namespace rkd
