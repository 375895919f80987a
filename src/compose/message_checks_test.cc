// The checks a message passes before it is saved (compose/message_checks.h): each names
// the field a marketer must fix.
#include "compose/message_checks.h"

#include <gtest/gtest.h>

#include "compose/template_writer.h"

namespace rkd {
namespace {

constexpr Millis kNow = 1'760'000'000'000;

MessageContent Good() {
  return {"{{firstName}}, we saved something for you",
          "Hi {{firstName}},\n{{#hasOrders}}You ordered {{ordersPhrase}}.{{/hasOrders}}\n{{{shopUrl}}}\n{{{signOff}}}",
          "<p>Hi {{firstName}}</p><p><a href=\"{{shopUrl}}\">Come back</a></p>", ""};
}

std::string FieldOf(const MessageContent& m) {
  const Status st = CheckMessageContent(m, kNow);
  EXPECT_FALSE(st.ok());
  return st.ok() ? "" : st.field() + ": " + st.message();
}

TEST(MessageChecks, TheBuiltInMessagesPass) {
  auto writer = TemplateWriter::Load("");
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  const auto built_in = (*writer)->BuiltInMessages();
  ASSERT_EQ(built_in.size(), 3u);
  EXPECT_EQ(built_in[0].name, "winback-1");
  for (const MessageVersion& m : built_in) {
    const Status st = CheckMessageContent(m.content, kNow);
    EXPECT_TRUE(st.ok()) << m.name << ": " << st.ToString();
  }
  EXPECT_TRUE(CheckMessageContent(Good(), kNow).ok());
}

TEST(MessageChecks, AnUnknownPlaceholderIsNamed) {
  MessageContent m = Good();
  m.subject = "{{fristName}}, hello";
  const std::string got = FieldOf(m);
  EXPECT_EQ(got.rfind("subject: ", 0), 0u) << got;
  EXPECT_NE(got.find("{{fristName}}"), std::string::npos) << got;
  m = Good();
  m.html += "{{#vip}}x{{/vip}}";
  EXPECT_EQ(FieldOf(m).rfind("html: ", 0), 0u);
  m = Good();
  m.text += "{{> footer}}";
  EXPECT_NE(FieldOf(m).find("partial"), std::string::npos);
  m = Good();
  m.text += "{{! a comment is fine }}{{#categories}}{{category}} {{url}} {{.}}{{/categories}}";
  EXPECT_TRUE(CheckMessageContent(m, kNow).ok());
}

TEST(MessageChecks, TheShopIsLinkedInBothBodies) {
  MessageContent m = Good();
  m.text = "Hi {{firstName}}, come back soon.";
  EXPECT_EQ(FieldOf(m).rfind("text: ", 0), 0u);
  m = Good();
  m.html = "<p>Visit {{shopUrl}}</p>";  // named, but not a link
  EXPECT_EQ(FieldOf(m).rfind("html: ", 0), 0u);
}

TEST(MessageChecks, NoScriptFrameOrHandlerInTheHtml) {
  for (const char* bad : {"<script>alert(1)</script>", "<IFRAME src=x>", "<a href=\"javascript:alert(1)\">x</a>",
                          "<img src=x onerror=alert(1)>", "<form action=x>"}) {
    MessageContent m = Good();
    m.html += bad;
    EXPECT_EQ(FieldOf(m).rfind("html: ", 0), 0u) << bad;
  }
  MessageContent fine = Good();
  fine.html += "<p>Come back on Monday</p>";  // " on" in text is no handler
  EXPECT_TRUE(CheckMessageContent(fine, kNow).ok());
}

TEST(MessageChecks, TheSubjectFitsWhenRendered) {
  MessageContent m = Good();
  m.subject = std::string(100, 'x') + " {{ordersPhrase}} {{averageOrderValue}} {{topCategory}}";
  const std::string got = FieldOf(m);
  EXPECT_EQ(got.rfind("subject: ", 0), 0u) << got;
  EXPECT_NE(got.find("Alex Sample"), std::string::npos) << got;
  m.subject = "";
  EXPECT_EQ(FieldOf(m), "subject: subject is required");
  m.subject = "{{#hasOrders}}Welcome back{{/hasOrders}}";  // empty for a client without orders
  EXPECT_EQ(FieldOf(m).rfind("text: ", 0), 0u);
}

TEST(MessageChecks, ATemplateThatDoesNotParseIsNamed) {
  MessageContent m = Good();
  m.html = "<p>{{#hasOrders}}unclosed</p><a href=\"{{shopUrl}}\">x</a>";
  EXPECT_EQ(FieldOf(m).rfind("html: ", 0), 0u);
  m = Good();
  m.instructions = std::string(4001, 'x');
  EXPECT_EQ(FieldOf(m).rfind("instructions: ", 0), 0u);
}

TEST(MessageChecks, Names) {
  EXPECT_TRUE(CheckMessageName("winback-2").ok());
  EXPECT_TRUE(CheckMessageName("spring-2027").ok());
  for (const std::string& bad :
       std::vector<std::string>{"", "-x", "Winback", "../etc", "a b", "a%2f", std::string(65, 'a')})
    EXPECT_EQ(CheckMessageName(bad).field(), "name") << bad;
}

}  // namespace
}  // namespace rkd
