#include "http/router.h"

#include <gtest/gtest.h>

#include "http/access.h"

namespace rkd {
namespace {

HttpRequest Request(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  EXPECT_TRUE(ParseTarget(r.target, &r.path, &r.query));
  return r;
}

Router TestRouter() {
  Router router;
  router.Add("GET", "/api/users/:userId", [](HttpRequest& r) {
    HttpResponse resp;
    resp.body = "user " + r.Param("userId");
    return resp;
  });
  router.Add("DELETE", "/api/users/:userId", [](HttpRequest&) { return HttpResponse{}; });
  return router;
}

TEST(RouterTest, MatchesParamsAndDecodes) {
  Router router = TestRouter();
  auto req = Request("GET", "/api/users/a%20b?limit=5&search=x+y");
  EXPECT_EQ(router.Dispatch(req).body, "user a b");
  EXPECT_EQ(req.query.at("limit"), "5");
  EXPECT_EQ(req.query.at("search"), "x y");
}

TEST(RouterTest, WrongMethodIs405WithAllowAndUnknownIs404) {
  Router router = TestRouter();
  auto put = Request("PUT", "/api/users/1");
  HttpResponse r = router.Dispatch(put);
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].second, "GET, DELETE");
  auto unknown = Request("GET", "/api/nothing");
  EXPECT_EQ(router.Dispatch(unknown).status, 404);
}

TEST(RouterTest, BrokenPercentEncodingIsRejected) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_FALSE(ParseTarget("/api/users/%zz", &path, &query));
  EXPECT_FALSE(ParseTarget("/api/users?x=%2", &path, &query));
}

TEST(AccessTest, KeysAndCors) {
  Router router = TestRouter();
  AccessPolicy policy({{"k1", "k2"}, {"https://app.example"}});
  Handler h = WithAccess(policy, router);
  auto no_key = Request("GET", "/api/users/1");
  EXPECT_EQ(h(no_key).status, 401);
  auto wrong = Request("GET", "/api/users/1");
  wrong.headers["authorization"] = "Bearer k3";
  EXPECT_EQ(h(wrong).status, 401);
  auto right = Request("GET", "/api/users/1");
  right.headers["authorization"] = "Bearer k2";
  right.headers["origin"] = "https://app.example";
  HttpResponse ok = h(right);
  EXPECT_EQ(ok.status, 200);
  bool has_origin = false;
  for (auto& [k, v] : ok.headers) has_origin |= k == "Access-Control-Allow-Origin" && v == "https://app.example";
  EXPECT_TRUE(has_origin);
  auto preflight = Request("OPTIONS", "/api/users/1");
  preflight.headers["origin"] = "https://app.example";
  preflight.headers["access-control-request-method"] = "DELETE";
  EXPECT_EQ(h(preflight).status, 204);
  preflight.headers["origin"] = "https://evil.example";
  EXPECT_EQ(h(preflight).status, 403);
  auto health = Request("GET", "/health");
  EXPECT_EQ(h(health).status, 404);  // not routed here, but not screened either
}

}  // namespace
}  // namespace rkd
