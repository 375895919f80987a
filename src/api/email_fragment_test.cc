#include "api/email_fragment.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

const std::vector<std::string> kOwn = {"https://rekindle.example/"};

TEST(EmailFragmentTest, ParagraphsLineBreaksAndLists) {
  const std::string text =
      "Hi Ada,\r\n\r\nIt has been a while.\nWe miss you.\n\nWe picked these for you:\n  - New in Shoes\n  - New in "
      "Hats\n\nSee you soon,\nThe team";
  EXPECT_EQ(EmailBodyFragment(text, kOwn),
            "<p>Hi Ada,</p>\n"
            "<p>It has been a while.<br>\nWe miss you.</p>\n"
            "<p>We picked these for you:</p>\n"
            "<ul>\n<li>New in Shoes</li>\n<li>New in Hats</li>\n</ul>\n"
            "<p>See you soon,<br>\nThe team</p>\n");
}

TEST(EmailFragmentTest, LinksTheShopButNotRekindlesOwnLinks) {
  const std::string html = EmailBodyFragment(
      "Come back: https://shop.example/new?a=1&b=2.\nUnsubscribe: https://rekindle.example/u/TOKEN", kOwn);
  EXPECT_EQ(html,
            "<p>Come back: <a href=\"https://shop.example/new?a=1&amp;b=2\" rel=\"noopener noreferrer\" "
            "target=\"_blank\">https://shop.example/new?a=1&amp;b=2</a>.<br>\n"
            "Unsubscribe: https://rekindle.example/u/TOKEN</p>\n");
  // A host that merely starts like Rekindle's is not Rekindle.
  EXPECT_NE(EmailBodyFragment("https://rekindle.example.evil/x", kOwn).find("<a href"), std::string::npos);
}

TEST(EmailFragmentTest, EverythingAWriterSaysIsEscaped) {
  const std::string html = EmailBodyFragment(
      "<script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1) \"q\" 'a' & "
      "https://x.example/\"><script>",
      kOwn);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;q&quot; &#39;a&#39; &amp;"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"https://x.example/\""), std::string::npos) << "the URL ends at the quote";
  EXPECT_EQ(EmailBodyFragment("", kOwn), "");
}

}  // namespace
}  // namespace rkd
