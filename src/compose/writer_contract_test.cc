// The Writer contract (issue 14): every Writer, for clients with and without orders and
// categories (and a name outside ASCII), writes an email with every placeholder filled,
// the client's name as stored, the shop link in both bodies, and one that the
// processor's footer (postal address, unsubscribe link) lands in. A backend registers a
// factory in INSTANTIATE_TEST_SUITE_P below: the template writer, and the OpenAI writer
// against tests/fake_openai.py (a real HTTP server speaking the wire format).
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "compose/email_checks.h"
#include "compose/openai_writer.h"
#include "compose/prompt.h"
#include "compose/template_writer.h"
#include "delivery/email_footer.h"
#include "testing/subprocess.h"

namespace rkd {
namespace {

constexpr const char* kShopUrl = "https://shop.test";
constexpr const char* kUnsubscribeUrl = "https://rk.test/u/token-123";
constexpr const char* kPostalAddress = "Rekindle Ltd, 1 Test Street, Testville";

struct WriterBackend {
  std::string name;  // what the writer puts in ComposedEmail::writer
  std::function<std::unique_ptr<Writer>()> make;
};

void PrintTo(const WriterBackend& b, std::ostream* os) { *os << b.name; }

Writer& Templates() {
  static Writer* const kTemplates = TemplateWriter::Load("").value().release();
  return *kTemplates;
}

// tests/fake_openai.py on a free port, started once for the suite; killed at exit.
std::string FakeOpenAiUrl() {
  static testkit::ChildProcess* const kServer = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return new testkit::ChildProcess({"python3", std::string(RKD_SOURCE_DIR) + "/tests/fake_openai.py", "--port", "0"});
  }();
  static const std::string kPort = kServer->ReadLine();
  return kPort.empty() ? "" : "http://127.0.0.1:" + kPort + "/v1";
}

// A Writer that owns nothing: the template writer lives for the whole run.
class TemplateRef final : public Writer {
 public:
  Result<ComposedEmail> Compose(const ComposeRequest& request) override { return Templates().Compose(request); }
};

std::vector<User> Clients() {
  User regular;
  regular.user_id = "u-regular";
  regular.name = "Lena Lindqvist";
  regular.email = "lena@example.com";
  regular.order_count = 6;
  regular.average_order_value = 80;
  regular.preferred_categories = {"Knitwear", "Shoes"};
  regular.last_order_date = 1'700'000'000'000;
  User newcomer;
  newcomer.user_id = "u-new";
  newcomer.name = "Zoë Ångström";
  newcomer.email = "zoe@example.com";
  return {regular, newcomer};
}

// CheckEmail's verdict on everything but the HTML's sanitizing (subject on one line and
// short enough, a text body under the cap, the link, no placeholder, the name as stored):
// "" when it passes. The sanitizer's check is for what an LLM writes; the template
// writer's HTML is the operator's own (a doctype, inline styles) and is sent as it is.
std::string TextChecks(ComposedEmail e, const User& user) {
  e.html.clear();
  Status st = CheckEmail(e, user.name, kShopUrl);
  return st.ok() ? "" : st.ToString();
}

class WriterContractTest : public ::testing::TestWithParam<WriterBackend> {
 protected:
  void SetUp() override {
    writer_ = GetParam().make();
    ASSERT_NE(writer_, nullptr) << "the writer could not be built";
  }
  std::unique_ptr<Writer> writer_;
};

TEST_P(WriterContractTest, FillsEveryPlaceholderNamesTheClientAndLinksTheShop) {
  for (const User& user : Clients()) {
    SCOPED_TRACE(user.name);
    auto e = writer_->Compose(ComposeRequest{user, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl});
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ(e->writer, GetParam().name) << "fell back to another writer";
    for (const std::string* part : {&e->subject, &e->text, &e->html}) {
      EXPECT_EQ(FindPlaceholder(*part), "") << *part;
      EXPECT_EQ(part->find("{{"), std::string::npos) << *part;
    }
    const std::string first_name = user.name.substr(0, user.name.find(' '));
    EXPECT_NE(e->subject.find(first_name), std::string::npos) << e->subject;
    EXPECT_NE(e->text.find(first_name), std::string::npos) << e->text;
    EXPECT_NE(e->text.find(kShopUrl), std::string::npos) << e->text;
    EXPECT_NE(e->html.find(std::string("href=\"") + kShopUrl), std::string::npos) << e->html;
    EXPECT_EQ(TextChecks(*e, user), "");
  }
}

// The footer is the processor's (email_processor.cc), but it must fit what every writer
// writes: in the text at its end, in the HTML inside the body.
TEST_P(WriterContractTest, TheFooterAndUnsubscribeLinkLandInBothBodies) {
  const User user = Clients()[0];
  auto e = writer_->Compose(ComposeRequest{user, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  AppendFooter(kPostalAddress, kUnsubscribeUrl, &e->text, &e->html);
  EXPECT_NE(e->text.find(kPostalAddress), std::string::npos) << e->text;
  EXPECT_NE(e->text.find(kUnsubscribeUrl), std::string::npos) << e->text;
  EXPECT_NE(e->html.find(kPostalAddress), std::string::npos) << e->html;
  const size_t link = e->html.find(std::string("href=\"") + kUnsubscribeUrl);
  ASSERT_NE(link, std::string::npos) << e->html;
  const size_t body_end = e->html.rfind("</body>");
  if (body_end != std::string::npos) {
    EXPECT_LT(link, body_end) << e->html;
  }
  EXPECT_EQ(TextChecks(*e, user), "");
}

// A win-back journey's steps (issue 16): every writer writes each step's email whole.
TEST_P(WriterContractTest, EachJourneyStepIsWrittenWhole) {
  for (int step = 1; step <= 3; ++step)
    for (const User& user : Clients()) {
      SCOPED_TRACE(user.name + ", step " + std::to_string(step));
      ComposeRequest req{user, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl};
      req.step = step;
      req.steps = 3;
      req.message = "winback-" + std::to_string(step);
      auto e = writer_->Compose(req);
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      EXPECT_EQ(e->writer, GetParam().name);
      EXPECT_EQ(FindPlaceholder(e->text), "") << e->text;
      EXPECT_NE(e->html.find(std::string("href=\"") + kShopUrl), std::string::npos) << e->html;
      EXPECT_EQ(TextChecks(*e, user), "");
    }
}

// The template writer picks the step's message (templates/winback-2/, winback-3/), the
// default templates for winback-1 and for a name it has no set for.
TEST(TemplateWriterTest, EachStepHasItsOwnCopyAndAnUnknownMessageFallsBack) {
  const User user = Clients()[0];
  auto subject = [&](const std::string& message, int step) {
    ComposeRequest req{user, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl};
    req.step = step;
    req.steps = 3;
    req.message = message;
    auto e = Templates().Compose(req);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? e->subject + "|" + e->text : "";
  };
  const std::string plain =
      Templates().Compose(ComposeRequest{user, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl})->subject;
  const std::string one = subject("winback-1", 1), two = subject("winback-2", 2), three = subject("winback-3", 3);
  EXPECT_EQ(one.substr(0, one.find('|')), plain) << "winback-1 is the default set";
  EXPECT_NE(two, one);
  EXPECT_NE(three, two);
  EXPECT_NE(two.find("follow up"), std::string::npos) << two;
  EXPECT_NE(three.find("last"), std::string::npos) << three;
  EXPECT_EQ(subject("no-such-set", 2).substr(0, one.find('|')), plain);
}

// The brand (issue 12's settings) in every step's message, which is made for a phone: a
// viewport, a fluid column, a preheader; the subject follows the step and the categories.
TEST(TemplateWriterTest, EveryStepCarriesTheBrandAndFitsAPhone) {
  ShopSettings settings;
  settings.shop_name = "Ada's Yarn";
  settings.logo_url = "https://cdn.yarn.example/logo.png";
  settings.currency = "EUR";
  const Brand brand = Brand::From(settings);
  EXPECT_EQ(brand.sign_off, "The Ada's Yarn team");
  const User regular = Clients()[0], newcomer = Clients()[1];
  for (const char* message : {"winback-1", "winback-2", "winback-3"}) {
    SCOPED_TRACE(message);
    ComposeRequest req{regular, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl, 1, 3, message, brand};
    auto e = Templates().Compose(req);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_NE(e->html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
              std::string::npos);
    EXPECT_NE(e->html.find("max-width:560px"), std::string::npos);
    EXPECT_EQ(e->html.find("width=\"560\""), std::string::npos) << "a fixed width wider than a phone";
    EXPECT_NE(e->html.find("<div style=\"display:none;"), std::string::npos) << "a preheader";
    EXPECT_NE(e->html.find("<img src=\"https://cdn.yarn.example/logo.png\""), std::string::npos);
    EXPECT_NE(e->text.find("The Ada's Yarn team"), std::string::npos) << e->text;
    EXPECT_NE(e->html.find("The Ada&apos;s Yarn team"), std::string::npos);
    EXPECT_EQ(e->text.find('$'), std::string::npos) << e->text;
    auto plain = Templates().Compose(
        ComposeRequest{newcomer, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl, 1, 3, message, brand});
    ASSERT_TRUE(plain.ok());
    EXPECT_NE(plain->subject.substr(plain->subject.find(',')), e->subject.substr(e->subject.find(',')));
  }
  auto first = Templates().Compose(
      ComposeRequest{regular, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl, 1, 1, "winback-1", brand});
  ASSERT_TRUE(first.ok());
  EXPECT_NE(first->text.find("averaging €80.00 a visit"), std::string::npos) << first->text;
  // Without a brand: dollars, "The team", no logo.
  auto unbranded = Templates().Compose(ComposeRequest{regular, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl});
  ASSERT_TRUE(unbranded.ok());
  EXPECT_NE(unbranded->text.find("averaging $80.00 a visit"), std::string::npos);
  EXPECT_NE(unbranded->text.find("See you soon,\nThe team"), std::string::npos);
  EXPECT_EQ(unbranded->html.find("<img"), std::string::npos);
}

// The LLM is told which email of the journey it writes.
TEST(PromptTest, SaysWhichReminderItIs) {
  const User user = Clients()[0];
  ComposeRequest req{user, 55, 1'710'000'000'000, kShopUrl, kUnsubscribeUrl};
  EXPECT_EQ(BuildPrompt(req, true).user.find("reminder"), std::string::npos) << "a one-step journey's email";
  req.steps = 3;
  req.step = 2;
  const std::string second = BuildPrompt(req, true).user;
  EXPECT_NE(second.find("reminder 1 (email 2 of 3)"), std::string::npos) << second;
  EXPECT_EQ(second.find("last note"), std::string::npos) << second;
  req.step = 3;
  EXPECT_NE(BuildPrompt(req, true).user.find("last note"), std::string::npos);
  // And signs and prices as the shop does.
  ShopSettings settings;
  settings.sign_off = "Ada and the Yarn crew";
  settings.currency = "GBP";
  req.brand = Brand::From(settings);
  const std::string branded = BuildPrompt(req, true).user;
  EXPECT_NE(branded.find("\"signOff\": \"Ada and the Yarn crew\""), std::string::npos) << branded;
  EXPECT_NE(branded.find("\"currency\": \"GBP\""), std::string::npos) << branded;
  // A stored message's instructions reach the model; the built-in prompt has none.
  EXPECT_EQ(BuildPrompt(req, true).system.find("The shop adds"), std::string::npos);
  MessageVersion stored{.name = "winback-3", .content = {"s", "t", "h", "Mention free returns."}};
  req.stored = &stored;
  EXPECT_NE(
      BuildPrompt(req, true).system.find("The shop adds these instructions for this email: Mention free returns."),
      std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Writers, WriterContractTest,
                         ::testing::Values(WriterBackend{"template", [] { return std::make_unique<TemplateRef>(); }},
                                           WriterBackend{"openai",
                                                         []() -> std::unique_ptr<Writer> {
                                                           const std::string url = FakeOpenAiUrl();
                                                           if (url.empty()) return nullptr;
                                                           OpenAiWriterOptions o;
                                                           o.base_url = url;
                                                           o.api_key = "test-key-123456";
                                                           o.request_timeout = std::chrono::milliseconds(5000);
                                                           o.budget = std::chrono::milliseconds(10'000);
                                                           return std::make_unique<OpenAiWriter>(o, Templates());
                                                         }}),
                         [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace rkd
