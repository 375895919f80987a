// Tracking, outside /api: /t/o/TOKEN.gif (the open pixel) and /t/c/TOKEN (a click,
// redirected to the link the email contained). Tokens are signed; an unknown or altered
// token gets a 404 and records nothing.
#include <algorithm>

#include "api/api.h"
#include "delivery/signed_token.h"
#include "http/envelope.h"

namespace rkd {
namespace {

// The smallest transparent GIF.
const unsigned char kPixel[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                                0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                                0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                                0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

HttpResponse NotFound() { return ErrorResponse(404, "not_found", "this link is not valid"); }

// A URL that can go into a Location header as it is: http(s), and no control character,
// whitespace or DEL (CR or LF would end the header and start one of the sender's
// choosing). The sanitizer refuses such links already; this holds for tokens signed
// before it did, and for any other path to AddTracking.
bool IsRedirectable(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return false;
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

}  // namespace

void RegisterTrackingRoutes(Router& router, ApiContext& ctx, const std::string& secret) {
  router.Add("GET", "/t/o/:token", [&ctx, secret](HttpRequest& req) {
    std::string token = req.Param("token");
    if (token.size() > 4 && token.compare(token.size() - 4, 4, ".gif") == 0) token.resize(token.size() - 4);
    auto email_id = VerifyToken(secret, "open", token);
    if (!email_id) return NotFound();
    auto email = ctx.store.RecordEmailEvent(*email_id, "open", "");
    if (!email.ok() && !email.status().IsNotFound()) return ErrorResponse(email.status());
    HttpResponse r;
    r.content_type = "image/gif";
    r.body.assign(reinterpret_cast<const char*>(kPixel), sizeof kPixel);
    r.headers.emplace_back("Cache-Control", "no-store, max-age=0");
    return r;
  });
  router.Add("GET", "/t/c/:token", [&ctx, secret](HttpRequest& req) {
    auto payload = VerifyToken(secret, "click", req.Param("token"));
    if (!payload) return NotFound();
    const size_t nl = payload->find('\n');
    if (nl == std::string::npos) return NotFound();
    const std::string email_id = payload->substr(0, nl), url = payload->substr(nl + 1);
    if (!IsRedirectable(url)) return NotFound();  // before anything is recorded
    auto email = ctx.store.RecordEmailEvent(email_id, "click", url);
    if (email.status().IsNotFound()) return NotFound();
    if (!email.ok()) return ErrorResponse(email.status());
    HttpResponse r;
    r.status = 302;
    r.content_type.clear();
    r.headers.emplace_back("Location", url);
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    return r;
  });
}

}  // namespace rkd
