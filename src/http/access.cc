#include "http/access.h"

#include <algorithm>

#include "api/envelope.h"

namespace rkd {
namespace {

bool IsApiPath(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

// Compares in time independent of where the strings differ, so a caller cannot find a
// key byte by byte from response times (the length is not treated as secret).
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

bool AccessPolicy::OriginAllowed(const std::string& origin) const {
  if (origin.empty()) return false;
  return std::any_of(config_.cors_origins.begin(), config_.cors_origins.end(),
                     [&](const std::string& o) { return o == "*" || o == origin; });
}

bool AccessPolicy::KeyAccepted(const std::string& authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.compare(0, kBearer.size(), kBearer) != 0) return false;
  const std::string key = authorization.substr(kBearer.size());
  bool ok = false;
  for (const std::string& k : config_.api_keys) ok |= ConstantTimeEquals(key, k);
  return ok;
}

std::optional<HttpResponse> AccessPolicy::Screen(const HttpRequest& req) const {
  if (req.method == "OPTIONS" && !req.Header("access-control-request-method").empty()) {
    if (!OriginAllowed(req.Header("origin")))
      return ErrorResponse(403, "forbidden", "origin " + req.Header("origin") + " may not call this API");
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    r.headers.emplace_back("Access-Control-Max-Age", "600");
    return r;
  }
  if (!config_.api_keys.empty() && IsApiPath(req.path) && !KeyAccepted(req.Header("authorization"))) {
    HttpResponse r =
        ErrorResponse(401, "unauthenticated",
                      req.Header("authorization").empty() ? "an API key is required: send Authorization: Bearer <key>"
                                                          : "the API key is not valid");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  return std::nullopt;
}

void AccessPolicy::Decorate(const HttpRequest& req, HttpResponse* resp) const {
  const std::string& origin = req.Header("origin");
  if (!OriginAllowed(origin)) return;
  resp->headers.emplace_back("Access-Control-Allow-Origin", origin);
  resp->headers.emplace_back("Access-Control-Expose-Headers", "Location, X-Request-Id");
  resp->headers.emplace_back("Vary", "Origin");
}

Handler WithAccess(const AccessPolicy& policy, const Router& router) {
  return [&policy, &router](HttpRequest& req) {
    std::optional<HttpResponse> screened = policy.Screen(req);
    HttpResponse resp = screened ? std::move(*screened) : router.Dispatch(req);
    policy.Decorate(req, &resp);
    return resp;
  };
}

}  // namespace rkd
