// /api/emails: the emails Rekindle wrote, newest first, and one email by id.
#include <set>

#include "api/api.h"
#include "api/envelope.h"
#include "api/validation.h"
#include "domain/json_codec.h"

namespace rkd {

void RegisterEmailRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/emails", [&ctx](HttpRequest& req) {
    EmailQuery q;
    Status st = ParseLimitAndCursor(req.query, &q.limit, &q.cursor);
    if (!st.ok()) return ErrorResponse(st);
    if (auto it = req.query.find("status"); it != req.query.end()) {
      static const std::set<std::string> kStatuses = {"GENERATED", "SENT", "OPENED", "CLICKED", "FAILED"};
      if (!kStatuses.count(it->second))
        return ErrorResponse(
            Status::InvalidArgument("status must be one of GENERATED, SENT, OPENED, CLICKED, FAILED", "status"));
      q.status = it->second;
    }
    if (auto it = req.query.find("userId"); it != req.query.end()) q.user_id = it->second;
    auto page = ctx.store.ListEmails(q);
    if (!page.ok()) return ErrorResponse(page.status());
    nlohmann::json items = nlohmann::json::array();
    for (const Email& e : page->items) items.push_back(ToJson(e));
    return ListResponse(items, page->next_cursor);
  });

  router.Add("GET", "/api/emails/:emailId", [&ctx](HttpRequest& req) {
    auto email = ctx.store.GetEmail(req.Param("emailId"));
    if (!email.ok()) return ErrorResponse(email.status());
    return DataResponse(ToJson(*email));
  });
}

}  // namespace rkd
