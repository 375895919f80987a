// /api/suppressions: addresses never to email (unsubscribed, bounced, complained, or
// added by hand), visible and editable.
#include <set>

#include "api/api.h"
#include "api/list_filters.h"
#include "api/validation.h"
#include "http/envelope.h"

namespace rkd {
namespace {

nlohmann::json SuppressionJson(const Suppression& s) {
  return {{"email", s.email}, {"reason", s.reason}, {"createdAt", FormatRfc3339(s.created_at)}};
}

}  // namespace

void RegisterSuppressionRoutes(Router& router, ApiContext& ctx) {
  // A page, newest first, searched by address (q), with the total for that search.
  router.Add("GET", "/api/suppressions", [&ctx](HttpRequest& req) {
    auto q = ParseSuppressionQuery(req.query, ctx.page_limits);
    if (!q.ok()) return ErrorResponse(q.status());
    auto page = ctx.store.ListSuppressions(*q);
    if (!page.ok()) return ErrorResponse(page.status());
    auto total = ctx.store.CountSuppressions(q->search);
    if (!total.ok()) return ErrorResponse(total.status());
    nlohmann::json items = nlohmann::json::array();
    for (const Suppression& s : page->items) items.push_back(SuppressionJson(s));
    return ListResponse(items, page->next_cursor, *total);
  });

  router.Add("GET", "/api/suppressions/:email", [&ctx](HttpRequest& req) {
    auto s = ctx.store.GetSuppression(req.Param("email"));
    if (!s.ok()) return ErrorResponse(s.status());
    if (!*s) return ErrorResponse(Status::NotFound(req.Param("email") + " is not on the suppression list", "email"));
    return DataResponse(SuppressionJson(**s));
  });

  router.Add("POST", "/api/suppressions", [&ctx](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    for (const auto& [key, value] : body->items())
      if (key != "email" && key != "reason")
        return ErrorResponse(Status::InvalidArgument(key + " is not a known field", key));
    const auto email = body->find("email");
    if (email == body->end() || !email->is_string() || !IsValidEmailAddress(email->get<std::string>()))
      return ErrorResponse(Status::InvalidArgument("email must be a valid email address", "email"));
    std::string reason = "manual";
    if (auto r = body->find("reason"); r != body->end()) {
      static const std::set<std::string> kReasons = {"unsubscribed", "bounced", "complained", "manual"};
      if (!r->is_string() || !kReasons.count(r->get<std::string>()))
        return ErrorResponse(
            Status::InvalidArgument("reason must be one of unsubscribed, bounced, complained, manual", "reason"));
      reason = r->get<std::string>();
    }
    if (Status st = ctx.store.Suppress(email->get<std::string>(), reason); !st.ok()) return ErrorResponse(st);
    // As stored: an address already on the list keeps its date (and takes the new reason).
    auto stored = ctx.store.GetSuppression(email->get<std::string>());
    if (!stored.ok()) return ErrorResponse(stored.status());
    if (!*stored) return ErrorResponse(Status::Unavailable("the suppression was removed meanwhile; try again"));
    return DataResponse(SuppressionJson(**stored), 201);
  });

  router.Add("DELETE", "/api/suppressions/:email", [&ctx](HttpRequest& req) {
    if (Status st = ctx.store.Unsuppress(req.Param("email")); !st.ok()) return ErrorResponse(st);
    return DataResponse({{"deleted", true}});
  });
}

}  // namespace rkd
