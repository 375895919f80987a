#include "http/access.h"

#include <algorithm>

#include "http/envelope.h"
#include "http/request_target.h"

namespace rkd {
namespace {

// Compares in time independent of where the strings differ, so a caller cannot find a
// key byte by byte from response times (the length is not treated as secret).
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string HostName(const std::string& value) {
  std::string host;
  if (!value.empty() && value[0] == '[') {
    const size_t close = value.find(']');
    if (close == std::string::npos) return "";
    host = value.substr(0, close + 1);
    if (close + 1 < value.size() && value[close + 1] != ':') return "";
  } else {
    host = value.substr(0, value.find(':'));
  }
  for (char& c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == '@') return "";
    c = static_cast<char>(std::tolower(u));
  }
  return host;
}

bool AccessPolicy::HostAllowed(const HttpRequest& req) const {
  // HTTP/1.0 may leave Host out (HTTP/1.1 without it is refused before); a browser
  // always sends it, so DNS rebinding cannot hide behind its absence.
  if (config_.allowed_hosts.empty() || req.headers.count("host") == 0) return true;
  const std::string host = HostName(req.Header("host"));
  return std::any_of(config_.allowed_hosts.begin(), config_.allowed_hosts.end(),
                     [&](const std::string& h) { return h == "*" || (!host.empty() && h == host); });
}

bool AccessPolicy::OriginAllowed(const std::string& origin) const {
  if (origin.empty()) return false;
  return std::any_of(config_.cors_origins.begin(), config_.cors_origins.end(),
                     [&](const std::string& o) { return o == "*" || o == origin; });
}

int AccessPolicy::AcceptedKey(const std::string& authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.compare(0, kBearer.size(), kBearer) != 0) return -1;
  const std::string key = authorization.substr(kBearer.size());
  // Every key is compared, whichever matches, so the time does not say which one did.
  int found = -1;
  for (size_t i = 0; i < config_.api_keys.size(); ++i)
    if (ConstantTimeEquals(key, config_.api_keys[i])) found = static_cast<int>(i);
  return found;
}

std::string AccessPolicy::KeyName(int index) const {
  const auto i = static_cast<size_t>(index);
  return i < config_.api_key_names.size() ? config_.api_key_names[i] : "key-" + std::to_string(index + 1);
}

std::optional<HttpResponse> AccessPolicy::Screen(HttpRequest& req) const {
  // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
  if (req.version >= 11 && req.headers.count("host") == 0)
    return ErrorResponse(400, "bad_request", "an HTTP/1.1 request must carry a Host header", "Host");
  if (!HostAllowed(req))
    return ErrorResponse(400, "invalid_host",
                         "this server does not answer for host " + HostName(req.Header("host")) +
                             " (RKD_PUBLIC_URL and RKD_ALLOWED_HOSTS name the hosts it answers for)",
                         "Host");
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
  const int key = config_.api_keys.empty() ? -1 : AcceptedKey(req.Header("authorization"));
  if (key >= 0) req.key_name = KeyName(key);
  if (!config_.api_keys.empty() && PathIsUnder(req.path, "/api") && key < 0) {
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
