#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/request_target.h"

namespace rkd {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("rkd-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "web" / "assets");
    Write(base_ / "web" / "index.html", "<!doctype html>app");
    Write(base_ / "web" / "assets" / "app-1.js", "console.log(1)");
    Write(base_ / "web" / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "outside the root");
    fs::create_symlink(base_ / "secret.txt", base_ / "web" / "link.txt");
    fs::create_symlink(base_, base_ / "web" / "up");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& content) { std::ofstream(p) << content; }

  HttpResponse Get(const std::string& target) {
    HttpRequest req;
    req.method = "GET";
    req.target = target;
    auto t = NormalizeTarget(target);
    EXPECT_TRUE(t.ok()) << target;
    req.path = t->path;
    req.segments = t->segments;
    return StaticFiles((base_ / "web").string()).Serve(req);
  }

  fs::path base_;
};

TEST_F(StaticFilesTest, ServesFilesAndClientRoutes) {
  EXPECT_EQ(Get("/").body, "<!doctype html>app");
  EXPECT_EQ(Get("/clients/u1").body, "<!doctype html>app");
  EXPECT_EQ(Get("/effectiveness").body, "<!doctype html>app");
  EXPECT_EQ(Get("/journey").body, "<!doctype html>app");
  EXPECT_EQ(Get("/settings").body, "<!doctype html>app");
  EXPECT_EQ(Get("/suppressions").body, "<!doctype html>app");
  EXPECT_EQ(Get("/import").body, "<!doctype html>app");
  EXPECT_EQ(Get("/model").body, "<!doctype html>app");
  HttpResponse js = Get("/assets/app-1.js");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  HttpResponse index = Get("/");
  bool csp = false;
  for (auto& [k, v] : index.headers) csp |= k == "Content-Security-Policy" && v.find("img-src 'self' data:") != v.npos;
  EXPECT_TRUE(csp);
}

// Unknown paths that are not the dashboard's routes are 404, not the app.
TEST_F(StaticFilesTest, UnknownPathsAre404) {
  for (const char* t : {"/metrics", "/.env", "/.git/config", "/admin", "/assets/missing.js", "/index.htm"}) {
    HttpResponse r = Get(t);
    EXPECT_EQ(r.status, 404) << t;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << t;
  }
}

// A symlink that leads out of the root serves nothing.
TEST_F(StaticFilesTest, SymlinksOutOfTheRootAreRefused) {
  EXPECT_EQ(Get("/link.txt").status, 404);
  EXPECT_EQ(Get("/up/secret.txt").status, 404);
}

}  // namespace
}  // namespace rkd
