#include "http/router.h"

#include <gtest/gtest.h>

#include "http/access.h"
#include "http/envelope.h"
#include "http/request_target.h"

namespace rkd {
namespace {

HttpRequest Request(std::string method, std::string target) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  auto t = NormalizeTarget(r.target);
  EXPECT_TRUE(t.ok()) << r.target;
  if (t.ok()) {
    r.path = t->path;
    r.segments = t->segments;
    r.query = t->query;
  }
  r.headers["host"] = "127.0.0.1:8080";
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

TEST(RouterTest, WritesMustBeJsonUnlessTheRouteSaysOtherwise) {
  Router router;
  router.Add("POST", "/api/users", [](HttpRequest&) { return HttpResponse{}; });
  router.Add("POST", "/u/:token", [](HttpRequest&) { return HttpResponse{}; },
             {.accepts = {"application/x-www-form-urlencoded"}});
  for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "application/jsonx", "application/json-seq", "text/json"}) {
    SCOPED_TRACE(type);
    auto req = Request("POST", "/api/users");
    if (*type) req.headers["content-type"] = type;
    HttpResponse r = router.Dispatch(req);
    EXPECT_EQ(r.status, 415);
    EXPECT_NE(r.body.find("\"field\":\"Content-Type\""), std::string::npos) << r.body;
  }
  for (const char* type : {"application/json", "Application/JSON; charset=utf-8", "application/json ;charset=UTF-8"}) {
    auto req = Request("POST", "/api/users");
    req.headers["content-type"] = type;
    EXPECT_EQ(router.Dispatch(req).status, 200) << type;
  }
  auto form = Request("POST", "/u/tok");
  form.headers["content-type"] = "application/x-www-form-urlencoded";
  EXPECT_EQ(router.Dispatch(form).status, 200);
  form.headers["content-type"] = "application/json";
  EXPECT_EQ(router.Dispatch(form).status, 415);
}

TEST(RouterTest, RouteIsTheMatchedPattern) {
  Router router = TestRouter();
  auto req = Request("GET", "/api/users/u7");
  router.Dispatch(req);
  EXPECT_EQ(req.route, "/api/users/:userId");
  auto none = Request("GET", "/api/nothing");
  router.Dispatch(none);
  EXPECT_EQ(none.route, "");
}

TEST(RouterTest, TheFallbackNeverAnswersUnderApi) {
  Router router = TestRouter();
  router.SetFallback([](HttpRequest&) {
    HttpResponse r;
    r.body = "index";
    return r;
  });
  auto page = Request("GET", "/clients");
  EXPECT_EQ(router.Dispatch(page).body, "index");
  for (const char* t : {"/api", "/api/", "/api/queues/x/y/z"}) {
    auto api = Request("GET", t);
    EXPECT_EQ(router.Dispatch(api).status, 404) << t;
  }
  auto post = Request("POST", "/clients");
  EXPECT_EQ(router.Dispatch(post).status, 404);
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

// A key is accepted only whole: not by a prefix, not with something appended, not in
// another scheme, not empty.
TEST(AccessTest, KeysMatchExactly) {
  Router router = TestRouter();
  AccessPolicy policy({{"alpha-key"}, {}, {}});
  Handler h = WithAccess(policy, router);
  for (const char* auth : {"", "Bearer", "Bearer ", "Bearer alpha", "Bearer alpha-ke", "Bearer alpha-keyX",
                           "Bearer alpha-key ", "Bearer  alpha-key", "Basic alpha-key", "alpha-key", "Bearer ALPHA-KEY",
                           "Bearer lpha-key", "Bearer alpha-key,alpha-key"}) {
    auto req = Request("GET", "/api/users/1");
    req.headers["authorization"] = auth;
    EXPECT_EQ(h(req).status, 401) << "[" << auth << "]";
  }
  auto req = Request("GET", "/api/users/1");
  req.headers["authorization"] = "Bearer alpha-key";
  EXPECT_EQ(h(req).status, 200);
}

TEST(AccessTest, HostMustBeOneTheServerAnswersFor) {
  Router router = TestRouter();
  AccessPolicy policy({{}, {}, {"localhost", "127.0.0.1", "rekindle.example"}});
  Handler h = WithAccess(policy, router);
  for (const char* host : {"127.0.0.1:8080", "localhost", "LOCALHOST:1", "rekindle.example", "Rekindle.Example:443"}) {
    auto req = Request("GET", "/api/users/1");
    req.headers["host"] = host;
    EXPECT_EQ(h(req).status, 200) << host;
  }
  for (const char* host : {"evil.test", "evil.test:8080", "rekindle.example.evil.test", "127.0.0.1.evil.test", "",
                           "user@localhost", "localhost/x", "[::1"}) {
    auto req = Request("GET", "/api/users/1");
    req.headers["host"] = host;
    HttpResponse r = h(req);
    EXPECT_EQ(r.status, 400) << host;
    EXPECT_NE(r.body.find("invalid_host"), std::string::npos) << host;
  }
  auto no_host = Request("GET", "/api/users/1");
  no_host.headers.erase("host");
  EXPECT_EQ(h(no_host).status, 400);
  no_host.version = 10;  // HTTP/1.0 may omit it, and is then not checked against the list
  AccessPolicy open({{}, {}, {}});
  EXPECT_EQ(WithAccess(open, router)(no_host).status, 200);
}

TEST(EnvelopeTest, AnErrorsReasonPhraseCarriesItsMessageAsPrintableAscii) {
  HttpResponse r = ErrorResponse(Status::InvalidArgument("email is required", "email"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "email is required");
  // No CR or LF can reach the status line (response splitting); UTF-8 shows as '?'.
  EXPECT_EQ(ReasonPhrase("bad\r\nSet-Cookie: x=1"), "bad??Set-Cookie: x=1");
  EXPECT_EQ(ReasonPhrase("caf\xc3\xa9 \x7f"), "caf? ?");
  EXPECT_EQ(ReasonPhrase(std::string(500, 'x')).size(), 160u);
  EXPECT_EQ(ErrorResponse(Status::Internal("secret detail")).reason, "internal error");
  EXPECT_TRUE(DataResponse({}).reason.empty());
}

}  // namespace
}  // namespace rkd
