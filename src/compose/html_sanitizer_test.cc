#include "compose/html_sanitizer.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

TEST(HtmlSanitizer, KeepsSafeFormatting) {
  const std::string html =
      "<p>Hi <strong>Lena</strong>,<br>see <a href=\"https://shop.test/?a=1&amp;b=2\">new "
      "knitwear</a>.</p><ul><li>One</li></ul>";
  auto out = SanitizeHtml(html);
  EXPECT_EQ(out.removed, 0);
  EXPECT_EQ(out.html, html);
  EXPECT_EQ(SanitizeHtml(out.html).html, out.html);  // idempotent
}

TEST(HtmlSanitizer, DropsScriptsFramesObjectsWithTheirContent) {
  auto out = SanitizeHtml(
      "<p>Hi</p><script>alert('x')</script><SCRIPT type=x>evil()</SCRIPT><iframe src=\"https://x\">f</iframe>"
      "<object data=x>o</object><embed src=x><style>p{}</style><svg><script>1</script></svg><p>end</p>");
  EXPECT_EQ(out.html, "<p>Hi</p><p>end</p>");
  EXPECT_GE(out.removed, 6);
}

TEST(HtmlSanitizer, DropsEventHandlersAndDangerousUrls) {
  auto out = SanitizeHtml(
      "<a href=\"javascript:alert(1)\" onclick=\"x()\">a</a><a href=' JaVaScRiPt:alert(1)'>b</a>"
      "<a href=\"&#106;avascript:alert(1)\">c</a><a href=\"java\tscript:x\">d</a><img src=x onerror=alert(1)>"
      "<a href=\"data:text/html,<b>\">e</a><p style=\"background:url(javascript:x)\" onmouseover='y'>f</p>"
      "<a href=\"mailto:hi@shop.test\">g</a>");
  EXPECT_EQ(out.html, "<a>a</a><a>b</a><a>c</a><a>d</a><img><a>e</a><p>f</p><a href=\"mailto:hi@shop.test\">g</a>");
  EXPECT_EQ(out.html.find("javascript"), std::string::npos);
  EXPECT_EQ(out.html.find("onerror"), std::string::npos);
}

TEST(HtmlSanitizer, UnknownTagsLoseTheTagNotTheText) {
  auto out = SanitizeHtml(
      "<!DOCTYPE html><html><head><title>T</title></head><body><!-- c --><form>Hello "
      "<custom-el>there</custom-el> a < b & c</form></body></html>");
  EXPECT_EQ(out.html, "Hello there a &lt; b &amp; c");
}

TEST(HtmlSanitizer, QuotedGreaterThanDoesNotEndTheTag) {
  auto out = SanitizeHtml("<a title=\"x > y\" href=\"https://s.test\">go</a><b>unterminated");
  EXPECT_EQ(out.html, "<a title=\"x &gt; y\" href=\"https://s.test\">go</a><b>unterminated");
  EXPECT_EQ(SanitizeHtml("<p>ok</p><img src=\"https://x\" onerror=\"a").html, "<p>ok</p>");
}

TEST(HtmlSanitizer, TextToHtmlEscapesAndLinks) {
  EXPECT_EQ(TextToHtml("Hi <Lena>,\n\nVisit https://shop.test/?a=1&b=2.\nBye"),
            "<p>Hi &lt;Lena&gt;,</p>\n<p>Visit <a href=\"https://shop.test/?a=1&amp;b=2\">"
            "https://shop.test/?a=1&amp;b=2</a>.<br>\nBye</p>");
  EXPECT_EQ(SanitizeHtml(TextToHtml("a https://x.test b")).removed, 0);
}

}  // namespace
}  // namespace rkd
