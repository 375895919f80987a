#include "compose/email_checks.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

ComposedEmail Good() {
  ComposedEmail e;
  e.subject = "Lena, new knitwear is in";
  e.text = "Hi Lena,\n\nIt has been a while. See https://shop.test/?utm_source=rekindle\n";
  e.html = "<p>Hi Lena,</p><p><a href=\"https://shop.test/?utm_source=rekindle\">Visit</a></p>";
  return e;
}

Status Check(const ComposedEmail& e) { return CheckEmail(e, "Lena Lindqvist", "https://shop.test"); }

TEST(EmailChecks, AGoodEmailPasses) { EXPECT_TRUE(Check(Good()).ok()) << Check(Good()).ToString(); }

TEST(EmailChecks, Subject) {
  ComposedEmail e = Good();
  e.subject = "";
  EXPECT_EQ(Check(e).field(), "subject");
  e.subject = std::string(121, 'x');
  EXPECT_EQ(Check(e).field(), "subject");
  e.subject = std::string(40, 'x');
  for (int i = 0; i < 80; ++i) e.subject += "\u00e4";  // 120 characters, 200 bytes
  EXPECT_TRUE(Check(e).ok());
  e.subject = "Two\nlines";
  NormalizeEmail(&e);
  EXPECT_EQ(e.subject, "Two lines");
}

TEST(EmailChecks, BodyAndLink) {
  ComposedEmail e = Good();
  e.text = "  ";
  NormalizeEmail(&e);
  EXPECT_EQ(Check(e).field(), "text");
  e = Good();
  e.text = "Hi Lena, " + std::string(70'000, 'x') + " https://shop.test";
  EXPECT_EQ(Check(e).field(), "text");
  e = Good();
  e.text = "Hi Lena, come back to https://evil.test";
  EXPECT_EQ(Check(e).field(), "text");
  e = Good();
  e.html = "<p>Hi Lena</p><p>https://shop.test</p>";
  EXPECT_EQ(Check(e).field(), "html");
}

TEST(EmailChecks, Placeholders) {
  for (const char* bad : {"Hi {{name}}", "Hi [Name]", "Hi [First Name]", "From {company_name}", "{% if x %}"}) {
    ComposedEmail e = Good();
    e.text += bad;
    EXPECT_EQ(Check(e).field(), "text") << bad;
    EXPECT_FALSE(FindPlaceholder(bad).empty()) << bad;
  }
  for (const char* fine : {"[Shop now](https://shop.test)", "[1]", "a {} b", "[see below]"})
    EXPECT_EQ(FindPlaceholder(fine), "") << fine;
}

TEST(EmailChecks, NameAsStored) {
  ComposedEmail e = Good();
  e.text = "Hi lena, see https://shop.test";
  EXPECT_EQ(Check(e).field(), "text");
  e.text = "Dear customer, see https://shop.test";
  EXPECT_EQ(Check(e).field(), "text");
}

TEST(EmailChecks, NormalizeSanitizesHtml) {
  ComposedEmail e = Good();
  e.html += "<script>alert(1)</script><a href=\"javascript:x\" onclick=\"y\">z</a>";
  EXPECT_EQ(NormalizeEmail(&e), 3);
  EXPECT_EQ(e.html.find("script"), std::string::npos);
  EXPECT_TRUE(Check(e).ok());
  ComposedEmail raw = Good();
  raw.html += "<script>alert(1)</script>";
  EXPECT_EQ(Check(raw).field(), "html");  // unsanitized HTML never passes
}

}  // namespace
}  // namespace rkd
