// The routes behind the links in emails, in process on a real SQLite store: the click
// redirect (/t/c/) and one-click unsubscribe (/u/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "api/api.h"
#include "delivery/signed_token.h"
#include "http/request_target.h"
#include "store/sqlite/sqlite_store.h"

namespace rkd {
namespace {

const std::string kSecret = "links-secret-0123456789";

class LinkRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = ::testing::TempDir() + "rkd-links-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(scratch_);
    auto store = SqliteStore::Open(scratch_ + "/test.db", rules_, &clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ctx_ = std::make_unique<ApiContext>(ApiContext{.store = *store_, .rules = rules_, .clock = clock_});
    RegisterTrackingRoutes(router_, *ctx_, kSecret);
    RegisterUnsubscribeRoutes(router_, *ctx_, kSecret);
    User u;
    u.email = "lena@shop.test";
    u.name = "Lena";
    auto created = store_->CreateUser(u);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    user_ = *created;
    Email draft;
    draft.email_id = "e-1";
    draft.user_id = user_.user_id;
    draft.subject = "Hi";
    draft.generated_at = clock_.Now();
    ASSERT_TRUE(store_->ReserveEmail(draft, "t1", 0, 60'000).ok());
    ASSERT_TRUE(store_->FinishEmail("e-1", "SENT", clock_.Now(), "").ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(scratch_);
  }

  HttpResponse Call(const std::string& method, const std::string& path) {
    HttpRequest req;
    req.method = method;
    req.target = path;
    auto target = NormalizeTarget(path);
    EXPECT_TRUE(target.ok()) << path;
    if (target.ok()) {
      req.path = target->path;
      req.segments = target->segments;
    }
    if (method == "POST") {
      req.headers["content-type"] = "application/x-www-form-urlencoded";
      req.body = "List-Unsubscribe=One-Click";
    }
    return router_.Dispatch(req);
  }
  std::string EmailStatus() { return store_->GetEmail("e-1")->status; }
  bool Suppressed(const std::string& addr) { return *store_->IsSuppressed(addr); }
  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  ScoreRules rules_;
  SystemClock clock_;
  std::string scratch_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ApiContext> ctx_;
  Router router_;
  User user_;
};

TEST_F(LinkRoutesTest, ClickRedirectsToTheSignedUrl) {
  auto r = Call("GET", "/t/c/" + SignToken(kSecret, "click", "e-1\nhttps://shop.test/new?a=1&b=2"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(Header(r, "Location"), "https://shop.test/new?a=1&b=2");
  EXPECT_EQ(EmailStatus(), "CLICKED");
}

// A validly signed token (signed before the sanitizer refused such links, say) whose URL
// would put a control character or whitespace into the Location header.
TEST_F(LinkRoutesTest, ClickRefusesUrlsThatWouldBreakTheLocationHeader) {
  const std::vector<std::string> urls = {"https://x.test/\r\nSet-Cookie: pwned=1",
                                         "https://x.test/\nSet-Cookie: pwned=1",
                                         "https://x.test/\rX: 1",
                                         "https://x.test/ a",
                                         "https://x.test/\ta",
                                         "https://x.test/\x7f",
                                         "https://x.test/\x01",
                                         std::string("https://x.test/\0a", 16),
                                         "javascript:alert(1)",
                                         " https://x.test/"};
  for (const std::string& url : urls) {
    auto r = Call("GET", "/t/c/" + SignToken(kSecret, "click", "e-1\n" + url));
    EXPECT_EQ(r.status, 404) << url;
    EXPECT_EQ(Header(r, "Location"), "") << url;
    EXPECT_EQ(r.body.find("Set-Cookie"), std::string::npos);
  }
  EXPECT_EQ(EmailStatus(), "SENT");  // nothing recorded
}

TEST_F(LinkRoutesTest, UnsubscribeActsOnTheAddressTheLinkWasSentTo) {
  const std::string path = "/u/" + SignUnsubscribeToken(kSecret, user_.user_id, "lena@shop.test");
  EXPECT_EQ(Call("GET", path).status, 200);
  EXPECT_FALSE(Suppressed("lena@shop.test"));  // GET changes nothing
  EXPECT_EQ(Call("POST", path).status, 200);
  EXPECT_TRUE(Suppressed("lena@shop.test"));
}

TEST_F(LinkRoutesTest, AnOldLinkDoesNotUnsubscribeANewAddress) {
  const std::string path = "/u/" + SignUnsubscribeToken(kSecret, user_.user_id, "lena@shop.test");
  UserPatch patch;
  patch.email = "lena@new.test";
  ASSERT_TRUE(store_->UpdateUser(user_.user_id, patch).ok());
  EXPECT_EQ(Call("GET", path).status, 410);
  EXPECT_EQ(Call("POST", path).status, 410);
  EXPECT_FALSE(Suppressed("lena@new.test"));
  EXPECT_FALSE(Suppressed("lena@shop.test"));
}

TEST_F(LinkRoutesTest, AnOldFormatLinkFailsSafe) {
  const std::string path = "/u/" + SignToken(kSecret, "unsubscribe", user_.user_id);
  EXPECT_EQ(Call("POST", path).status, 410);
  EXPECT_FALSE(Suppressed("lena@shop.test"));
}

TEST_F(LinkRoutesTest, UnsubscribeRefusesForgedAndForeignTokens) {
  const std::string token = SignUnsubscribeToken(kSecret, user_.user_id, "lena@shop.test");
  EXPECT_EQ(Call("POST", "/u/" + token.substr(0, token.size() - 1)).status, 404);
  EXPECT_EQ(Call("POST", "/u/" + SignUnsubscribeToken(kSecret + "x", user_.user_id, "lena@shop.test")).status, 404);
  EXPECT_EQ(Call("POST", "/u/" + SignUnsubscribeToken(kSecret, "no-such-user", "lena@shop.test")).status, 404);
  EXPECT_EQ(Call("POST", "/u/" + SignToken(kSecret, "click", user_.user_id + "\nx")).status, 404);
  EXPECT_FALSE(Suppressed("lena@shop.test"));
}

}  // namespace
}  // namespace rkd
