#include "delivery/mime.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

TEST(MimeTest, PlainAsciiHeaderTextStaysAsItIs) { EXPECT_EQ(EncodeHeaderWord("We miss you, Ada"), "We miss you, Ada"); }

TEST(MimeTest, NonAsciiHeaderTextIsEncodedWordsWithinLimits) {
  const std::string encoded = EncodeHeaderWord(std::string(60, 'a') + "\xc3\xa9");
  EXPECT_EQ(encoded.rfind("=?UTF-8?B?", 0), 0u);
  for (size_t start = 0, end; start < encoded.size(); start = end + 3) {
    end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, 75u);  // RFC 2047 §2
  }
}

// Found by fuzz/mime_header_fuzz.cc: DEL passed as plain ASCII, and a lead byte followed
// by 45 continuation bytes (not UTF-8) made EncodeHeaderWord loop forever.
TEST(MimeTest, DelIsEncoded) { EXPECT_EQ(EncodeHeaderWord("a\x7f").rfind("=?UTF-8?B?", 0), 0u); }

TEST(MimeTest, InvalidUtf8Terminates) {
  const std::string encoded = EncodeHeaderWord("\xc3" + std::string(60, '\x80'));
  EXPECT_NE(encoded.find("\r\n "), std::string::npos);  // two words
  for (unsigned char c : encoded) EXPECT_TRUE(c <= 0x7e) << int(c);
}

}  // namespace
}  // namespace rkd
