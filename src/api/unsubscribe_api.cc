// One-click unsubscribe (RFC 8058) at /u/:token, outside /api (no key, no session, no
// CSRF token: the signed token is the authority). GET shows a confirmation page with a
// button, so link scanners that follow every link unsubscribe nobody; POST (the button,
// or a mail client's List-Unsubscribe-Post) unsubscribes at once. A link acts on the
// address it was sent to and only while that is still the client's address (410
// otherwise; see UnsubscribeToken in signed_token.h).
#include "api/api.h"
#include "base/text_encoding.h"
#include "delivery/signed_token.h"

namespace rkd {
namespace {

HttpResponse HtmlPage(int status, const std::string& title, const std::string& body_html) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Robots-Tag", "noindex");
  r.body =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><title>" +
      HtmlEscape(title) +
      "</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;"
      "color:#222}button{font-size:1rem;padding:.6rem 1.2rem;background:#8a3b12;color:#fff;border:0;"
      "border-radius:6px;cursor:pointer}</style></head><body><h1>" +
      HtmlEscape(title) + "</h1>" + body_html + "</body></html>";
  return r;
}

}  // namespace

void RegisterUnsubscribeRoutes(Router& router, ApiContext& ctx, const std::string& secret) {
  // The client the link is for, when it is still the address it was sent to; else the
  // page to answer with (nothing is ever suppressed then).
  auto find_user = [&ctx, secret](const std::string& token, HttpResponse* refusal) -> std::optional<User> {
    auto link = VerifyUnsubscribeToken(secret, token);
    auto user = link ? ctx.store.GetUser(link->user_id) : Result<User>(Status::NotFound("no such link"));
    if (!user.ok()) {
      *refusal = HtmlPage(404, "Link not valid", "<p>This unsubscribe link is not valid or has expired.</p>");
      return std::nullopt;
    }
    if (!link->BelongsTo(user->email)) {
      // The client's address changed since (or the link predates links that name their
      // address): acting would unsubscribe an address the email never went to.
      *refusal = HtmlPage(410, "Link no longer applies",
                          "<p>This unsubscribe link was sent to an address that is no longer on file, so it "
                          "no longer applies. Please use the link in a more recent email.</p>");
      return std::nullopt;
    }
    return *user;
  };
  router.Add("GET", "/u/:token", [&ctx, find_user](HttpRequest& req) {
    HttpResponse refusal;
    auto user = find_user(req.Param("token"), &refusal);
    if (!user) return refusal;
    // Someone who already unsubscribed (or whose address is suppressed for another
    // reason: a bounce, a complaint, by hand) sees that it is done, not a button that
    // would ask again (issue 16). A store that cannot answer shows the button: pressing
    // it is harmless.
    if (auto s = ctx.store.GetSuppression(user->email); s.ok() && *s)
      return HtmlPage(200, "You are unsubscribed",
                      "<p>" + HtmlEscape(user->email) + " has not received these emails since " +
                          HtmlEscape(FormatRfc3339((*s)->created_at).substr(0, 10)) +
                          ". There is nothing more to do.</p>");
    return HtmlPage(200, "Unsubscribe",
                    "<p>Stop re-engagement emails to <strong>" + HtmlEscape(user->email) +
                        "</strong>?</p><form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>");
  });
  auto unsubscribe = [&ctx, find_user](HttpRequest& req) {
    HttpResponse refusal;
    auto user = find_user(req.Param("token"), &refusal);
    if (!user) return refusal;
    if (Status st = ctx.store.Suppress(user->email, "unsubscribed"); !st.ok())
      return HtmlPage(503, "Please try again", "<p>We could not record your choice just now. Please try again.</p>");
    return HtmlPage(200, "You are unsubscribed",
                    "<p>" + HtmlEscape(user->email) + " will not receive these emails any more.</p>");
  };
  // RFC 8058: a mail client's one-click POST is multipart/form-data or form-urlencoded.
  router.Add("POST", "/u/:token", unsubscribe,
             {.accepts = {"multipart/form-data", "application/x-www-form-urlencoded"}});
}

}  // namespace rkd
