#include "base/text_encoding.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

// RFC 4648 §10's test vectors.
TEST(TextEncoding, Base64MatchesTheRfcVectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), std::optional<std::string>(plain));
  }
}

TEST(TextEncoding, Base64UsesItsOwnAlphabetAndUrlItsOwn) {
  const std::string bytes = "\xfb\xff\xbf";
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64Decode("+/+/"), bytes);
  EXPECT_EQ(Base64UrlDecode("-_-_"), bytes);
  EXPECT_EQ(Base64Decode("-_-_"), std::nullopt);
  EXPECT_EQ(Base64UrlDecode("+/+/"), std::nullopt);
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");  // unpadded
}

TEST(TextEncoding, Base64DecodeSkipsWhitespaceAndRefusesMalformedInput) {
  EXPECT_EQ(Base64Decode("Zm9v\r\nYmFy\n"), std::optional<std::string>("foobar"));
  for (const char* bad : {"Zm9", "Zm9vY", "Zg=a", "Z===", "Zm$v", "=Zm9"})
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << bad;
}

TEST(TextEncoding, HtmlEscapeEscapesTextAndAttributeDelimiters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST(TextEncoding, IsValidUtf8IsStrict) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII, longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("Zo\xC3\xAB \xE6\x9D\xB1 \xF0\x9F\x98\x80 and more ASCII after"));
  EXPECT_FALSE(IsValidUtf8("ASCII first, then a lone \xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("12345678\xE6\x9D"));  // cut short after the fast path
}

}  // namespace
}  // namespace rkd
