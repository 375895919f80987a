// /api/emails: the emails Rekindle wrote, newest first, and one email by id (with the
// tracking-free preview of its HTML that the dashboard shows).
#include <set>

#include "api/api.h"
#include "api/validation.h"
#include "delivery/tracking_links.h"
#include "domain/json_codec.h"
#include "http/envelope.h"

namespace rkd {

void RegisterEmailRoutes(Router& router, ApiContext& ctx, const std::string& public_url, const std::string& secret) {
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

  router.Add("GET", "/api/emails/:emailId", [&ctx, public_url, secret](HttpRequest& req) {
    auto email = ctx.store.GetEmail(req.Param("emailId"));
    if (!email.ok()) return ErrorResponse(email.status());
    nlohmann::json data = ToJson(*email);
    // What the dashboard renders: viewing it or clicking in it must not mark the email
    // opened or clicked. `html` stays the HTML as sent.
    data["previewHtml"] = RemoveTracking(email->html, public_url, secret);
    return DataResponse(data);
  });
}

}  // namespace rkd
