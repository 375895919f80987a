#include "http/request_target.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

std::string PathOf(std::string_view raw) {
  auto t = NormalizeTarget(raw);
  return t.ok() ? t->path : "REFUSED";
}

TEST(RequestTargetTest, NormalFormsAreKept) {
  EXPECT_EQ(PathOf("/"), "/");
  EXPECT_EQ(PathOf("/api/users"), "/api/users");
  EXPECT_EQ(PathOf("/api/users/"), "/api/users");  // one trailing slash is dropped
  EXPECT_EQ(PathOf("/api/users/a%20b"), "/api/users/a b");
  EXPECT_EQ(PathOf("/api/users/%C3%A9"), "/api/users/\xC3\xA9");
  auto t = NormalizeTarget("/api/users/u1?limit=5&search=x+y&cursor=");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->segments, (std::vector<std::string>{"api", "users", "u1"}));
  EXPECT_EQ(t->query.at("limit"), "5");
  EXPECT_EQ(t->query.at("search"), "x y");
  EXPECT_EQ(t->query.at("cursor"), "");
}

// Every way a hostile client spelled "/api/…" or a file outside the web root.
TEST(RequestTargetTest, AmbiguousTargetsAreRefused) {
  for (const char* raw : {"",
                          "*",
                          "api/users",
                          "Xapi/users",
                          "*api/queues",
                          "//api/users",
                          "//etc/passwd",
                          "/%2fetc/passwd",
                          "/%2Fapi/users",
                          "/api//users",
                          "/api/./users",
                          "/api/../api/users",
                          "/api/%2e%2e/x",
                          "/api/%2E/users",
                          "/..",
                          "/.",
                          "/a/..",
                          "/x%5c..%5cetc",
                          "/x\\y",
                          "/api/users%00",
                          "/api/users/%0d%0aSet-Cookie:x",
                          "/%c0%af",
                          "/%c0%ae%c0%ae/etc/passwd",
                          "/%e0%80%af",
                          "/%ed%a0%80",
                          "/%f8%88%80%80%80",
                          "/%ff",
                          "/api/users/%zz",
                          "/api/users/%2",
                          "/api/users#frag",
                          "/api/users\x7f",
                          "/api/\xC3\xA9",
                          "http://evil.test/api/users",
                          "/api/users ",
                          "/api/users?x=1 2"}) {
    SCOPED_TRACE(raw);
    auto t = NormalizeTarget(raw);
    EXPECT_FALSE(t.ok());
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
    }
  }
}

TEST(RequestTargetTest, QueryValuesAreCheckedOnce) {
  for (const char* raw : {"/api/effectiveness?days=30%00", "/api/users?search=%0a", "/api/users?x=%zz",
                          "/api/users?limit=1&limit=500", "/api/users?search=%c0%80", "/api/users?%00=1"}) {
    SCOPED_TRACE(raw);
    EXPECT_FALSE(NormalizeTarget(raw).ok());
  }
  auto dup = NormalizeTarget("/api/users?limit=1&limit=2");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().field(), "limit");
  // A parameter without a name (found by the fuzzer: the field was empty) names the query.
  for (const char* raw : {"/api/users?=30%00", "/api/users?=1&=2", "/api/users?%01=1"}) {
    auto bad = NormalizeTarget(raw);
    ASSERT_FALSE(bad.ok()) << raw;
    EXPECT_EQ(bad.status().field(), "query") << raw;
  }
  // Decoded once: "%2525" is the text "%25", not "%".
  auto once = NormalizeTarget("/api/users/%2525?q=%2541");
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once->path, "/api/users/%25");
  EXPECT_EQ(once->query.at("q"), "%41");
}

TEST(RequestTargetTest, PathIsUnderComparesWholeSegments) {
  EXPECT_TRUE(PathIsUnder("/api", "/api"));
  EXPECT_TRUE(PathIsUnder("/api/users", "/api"));
  EXPECT_FALSE(PathIsUnder("/apix", "/api"));
  EXPECT_FALSE(PathIsUnder("/ap", "/api"));
  EXPECT_FALSE(PathIsUnder("/", "/api"));
}

}  // namespace
}  // namespace rkd
