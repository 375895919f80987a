// The Mailer contract (issue 14): every Mailer delivers MIME that a real parser
// (python3's email package, through tests/mime_check.py) reads back as
// multipart/alternative with a text and an HTML part, the headers as given (encoded
// where they must be) and no defects. A backend registers a factory below: the outbox
// (maildir files) and SMTP (into tests/smtp_sink.py, a real SMTP server on aiosmtpd).
// Then the golden file: the email the pipeline makes for a fixed client, clock and
// event, through the template writer and the outbox, byte for byte
// (tests/golden/outbox-reengagement.eml; RKD_UPDATE_GOLDEN=1 rewrites it after a
// deliberate change: review the diff).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "compose/template_writer.h"
#include "delivery/mailer.h"
#include "delivery/outbox_mailer.h"
#include "delivery/smtp_mailer.h"
#include "testing/pipeline_rig.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace rkd {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has aiosmtpd

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The .eml files under `dir` (recursively), sorted.
std::vector<std::string> EmlFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it)
    if (it->path().extension() == ".eml" && it->path().filename().string()[0] != '.')
      out.push_back(it->path().string());
  std::sort(out.begin(), out.end());
  return out;
}

json Parse(const std::string& path) {
  auto r = testkit::Run({kPython, std::string(RKD_SOURCE_DIR) + "/tests/mime_check.py", path});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return json::parse(r.out, nullptr, false);
}

struct MailerBackend {
  std::string name;
  // A mailer delivering into (or under) `dir`, and whatever keeps it running.
  std::function<std::unique_ptr<Mailer>(const std::string& dir, std::shared_ptr<void>* keep)> make;
};

void PrintTo(const MailerBackend& b, std::ostream* os) { *os << b.name; }

class MailerContractTest : public ::testing::TestWithParam<MailerBackend> {
 protected:
  void SetUp() override {
    mailer_ = GetParam().make(dir_.path(), &keep_);
    ASSERT_NE(mailer_, nullptr);
  }
  // Sends `m` and returns the one file it became.
  std::string SendOne(const MailMessage& m) {
    SendResult r = mailer_->Send(m);
    EXPECT_TRUE(r.ok()) << r.detail;
    auto files = EmlFiles(dir_.path());
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? "" : files[0];
  }

  testkit::TempDir dir_;
  std::shared_ptr<void> keep_;
  std::unique_ptr<Mailer> mailer_;
};

MailMessage Sample() {
  MailMessage m;
  m.message_id = "em-0123456789abcdef@rekindle";
  m.from = "Rekindle <hello@rekindle.example>";
  m.reply_to = "care@rekindle.example";
  m.to_address = "zoe@example.com";
  m.to_name = "Zoë Ångström";
  m.subject = "Zoë, new Knitwear picked for you — 20% off";
  m.text = "Hi Zoë,\n\nCome back: https://shop.test/?utm_source=rekindle\n\n" + std::string(100, '=') + "\n";
  m.html =
      "<html><body><p>Hi Zoë,</p><p><a href=\"https://shop.test/?utm_source=rekindle\">Come back</a></p>"
      "</body></html>";
  m.date = 1'780'000'000'000;
  m.list_unsubscribe = "<https://rk.test/u/token-123>";
  m.one_click_unsubscribe = true;
  return m;
}

TEST_P(MailerContractTest, ARealParserReadsBackBothPartsAndTheHeaders) {
  const MailMessage m = Sample();
  const std::string path = SendOne(m);
  ASSERT_FALSE(path.empty());
  json p = Parse(path);
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p["defects"], json::array());
  EXPECT_EQ(p["bareLineFeeds"], 0);
  EXPECT_EQ(p["contentType"], "multipart/alternative");
  EXPECT_EQ(p["parts"], json::parse(R"([["text/plain", "utf-8"], ["text/html", "utf-8"]])"));
  EXPECT_EQ(p["from"], m.from);
  EXPECT_EQ(p["replyTo"], m.reply_to);
  EXPECT_EQ(p["to"], json::array({m.to_name, m.to_address}));
  EXPECT_EQ(p["subject"], m.subject);
  EXPECT_EQ(p["messageId"], "<" + m.message_id + ">");
  EXPECT_EQ(p["date"], m.date / 1000);
  EXPECT_EQ(p["listUnsubscribe"], m.list_unsubscribe);
  EXPECT_EQ(p["listUnsubscribePost"], "List-Unsubscribe=One-Click");
  EXPECT_EQ(p["mimeVersion"], "1.0");
  EXPECT_EQ(p["text"], m.text);
  EXPECT_EQ(p["html"], m.html);
}

// A header value cannot smuggle in a header of its own (a CR LF in a name or subject).
TEST_P(MailerContractTest, LineBreaksInHeaderValuesDoNotMakeHeaders) {
  MailMessage m = Sample();
  m.subject = "Hello\r\nBcc: victim@example.com";
  m.to_name = "Eve\nX-Injected: yes";
  const std::string path = SendOne(m);
  ASSERT_FALSE(path.empty());
  const std::string raw = ReadFile(path);
  EXPECT_EQ(raw.find("\r\nBcc:"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("\r\nX-Injected:"), std::string::npos) << raw;
  json p = Parse(path);
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p["to"][1], m.to_address);
}

std::unique_ptr<Mailer> MakeOutbox(const std::string& dir, std::shared_ptr<void>*) {
  return std::make_unique<OutboxMailer>(dir + "/outbox");
}

std::unique_ptr<Mailer> MakeSmtp(const std::string& dir, std::shared_ptr<void>* keep) {
  auto sink = std::make_shared<testkit::ChildProcess>(
      std::vector<std::string>{kPython, std::string(RKD_SOURCE_DIR) + "/tests/smtp_sink.py", dir + "/smtp"});
  const std::string line = sink->ReadLine();  // "PORT <n>"
  if (line.rfind("PORT ", 0) != 0) return nullptr;
  *keep = sink;
  SmtpOptions o;
  o.url = "smtp://127.0.0.1:" + line.substr(5);
  o.verify_tls = false;
  o.pool_size = 1;
  o.timeout = std::chrono::seconds(10);
  return std::make_unique<SmtpMailer>(o);
}

INSTANTIATE_TEST_SUITE_P(Mailers, MailerContractTest,
                         ::testing::Values(MailerBackend{"outbox", MakeOutbox}, MailerBackend{"smtp", MakeSmtp}),
                         [](const auto& test_info) { return test_info.param.name; });

// The whole email, as the pipeline makes it for a fixed client, clock and event: the
// template writer's words, the footer, the tracked links and the MIME, byte for byte.
// Nothing in it is random (the MIME boundary derives from the Message-ID), so any
// change shows up here as a diff to review.
TEST(OutboxGoldenTest, TheEmailForAFixedClientClockAndEventIsByteStable) {
  testkit::PipelineRig rig;
  auto templates = TemplateWriter::Load("");
  ASSERT_TRUE(templates.ok()) << templates.status().ToString();
  OutboxMailer outbox(rig.dir / "outbox");
  rig.processor =
      std::make_unique<EmailProcessor>(*rig.store, *rig.bus, **templates, outbox, rig.rules, rig.clock, rig.options);
  User u;
  u.user_id = "u-golden";
  u.email = "lena@example.com";
  u.name = "Lena Lindqvist";
  u.last_order_date = testkit::kRigStart - 120 * kMillisPerDay;
  u.order_count = 4;
  u.average_order_value = 82.5;
  u.preferred_categories = {"Knitwear", "Shoes"};
  ASSERT_TRUE(rig.real_store->CreateUser(u).ok());
  EXPECT_EQ(rig.Run(), 1);
  auto files = EmlFiles(rig.dir / "outbox");
  ASSERT_EQ(files.size(), 1u);
  const std::string actual = ReadFile(files[0]);
  const std::string golden_path = std::string(RKD_SOURCE_DIR) + "/tests/golden/outbox-reengagement.eml";
  if (std::getenv("RKD_UPDATE_GOLDEN")) {
    std::ofstream(golden_path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << golden_path;
  }
  const std::string golden = ReadFile(golden_path);
  ASSERT_FALSE(golden.empty()) << golden_path << " is missing: run with RKD_UPDATE_GOLDEN=1 to write it";
  EXPECT_EQ(actual, golden) << "the outbox message changed; if on purpose, rerun with RKD_UPDATE_GOLDEN=1 and "
                               "review the diff of "
                            << golden_path;
  json p = Parse(files[0]);
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p["defects"], json::array());
  EXPECT_EQ(p["parts"].size(), 2u);
}

}  // namespace
}  // namespace rkd
