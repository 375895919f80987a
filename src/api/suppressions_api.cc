// /api/suppressions: addresses never to email (unsubscribed, bounced, complained, or
// added by hand), visible and editable.
#include <set>

#include "api/api.h"
#include "api/validation.h"
#include "http/envelope.h"

namespace rkd {

void RegisterSuppressionRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/suppressions", [&ctx](HttpRequest&) {
    auto list = ctx.store.ListSuppressions(10000);
    if (!list.ok()) return ErrorResponse(list.status());
    nlohmann::json items = nlohmann::json::array();
    for (const Suppression& s : *list)
      items.push_back({{"email", s.email}, {"reason", s.reason}, {"createdAt", FormatRfc3339(s.created_at)}});
    return ListResponse(items, "");
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
    return DataResponse({{"email", email->get<std::string>()}, {"reason", reason}}, 201);
  });

  router.Add("DELETE", "/api/suppressions/:email", [&ctx](HttpRequest& req) {
    if (Status st = ctx.store.Unsuppress(req.Param("email")); !st.ok()) return ErrorResponse(st);
    return DataResponse({{"deleted", true}});
  });
}

}  // namespace rkd
