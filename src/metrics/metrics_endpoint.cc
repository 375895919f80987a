#include "metrics/metrics_endpoint.h"

#include <openssl/crypto.h>

#include <string_view>

#include "http/envelope.h"

namespace rkd {
namespace {

// CRYPTO_memcmp takes the same time wherever the strings differ, so response times do
// not reveal a key byte by byte (the length is not treated as secret).
bool SameSecret(std::string_view given, const std::string& secret) {
  return !secret.empty() && given.size() == secret.size() &&
         CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

}  // namespace

bool MetricsAuthorized(const MetricsGuard& guard, const std::string& authorization) {
  if (guard.token.empty() && guard.api_keys.empty()) return true;
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.compare(0, kBearer.size(), kBearer) != 0) return false;
  const std::string_view given = std::string_view(authorization).substr(kBearer.size());
  if (!guard.token.empty()) return SameSecret(given, guard.token);
  bool ok = false;
  for (const std::string& key : guard.api_keys) ok |= SameSecret(given, key);  // no early exit: same time for each
  return ok;
}

Handler MetricsEndpoint(const Metrics& metrics, MetricsGuard guard) {
  return [&metrics, guard = std::move(guard)](HttpRequest& request) {
    const std::string& authorization = request.Header("authorization");
    if (!MetricsAuthorized(guard, authorization)) {
      HttpResponse r = ErrorResponse(
          401, "unauthenticated",
          authorization.empty() ? std::string("the metrics need a bearer token: send Authorization: Bearer <") +
                                      (guard.token.empty() ? "API key" : "RKD_METRICS_TOKEN") + ">"
                                : "the bearer token is not valid for the metrics");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
      return r;
    }
    HttpResponse r;
    r.content_type = kPrometheusTextContentType;
    r.headers.emplace_back("Cache-Control", "no-store");
    r.body = metrics.Render();
    return r;
  };
}

}  // namespace rkd
