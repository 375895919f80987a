// /api/emails: the emails Rekindle wrote, newest first, filtered (status, step, dates,
// text; list_filters.h) with the list's total and whom each went to, and one email by id
// (with the tracking-free preview of its HTML that the dashboard shows).
#include <map>

#include "api/api.h"
#include "api/list_filters.h"
#include "api/validation.h"
#include "delivery/tracking_links.h"
#include "domain/json_codec.h"
#include "domain/shop_settings.h"
#include "http/envelope.h"

namespace rkd {

void RegisterEmailRoutes(Router& router, ApiContext& ctx, const std::string& public_url, const std::string& secret) {
  router.Add("GET", "/api/emails", [&ctx](HttpRequest& req) {
    auto q = ParseEmailListQuery(req.query);
    if (!q.ok()) return ErrorResponse(q.status());
    auto page = ctx.store.ListEmails(*q);
    if (!page.ok()) return ErrorResponse(page.status());
    auto total = ctx.store.CountEmails(*q);
    if (!total.ok()) return ErrorResponse(total.status());
    // Whom each email went to (issue 16): the page's clients in one batched read.
    std::vector<std::string> user_ids;
    for (const Email& e : page->items) user_ids.push_back(e.user_id);
    auto users = ctx.store.GetUsers(user_ids);
    if (!users.ok()) return ErrorResponse(users.status());
    std::map<std::string, const User*> by_id;
    for (const User& u : *users) by_id[u.user_id] = &u;
    nlohmann::json items = nlohmann::json::array();
    for (const Email& e : page->items) {
      nlohmann::json item = ToJson(e);
      auto u = by_id.find(e.user_id);
      item["userName"] = u == by_id.end() ? nlohmann::json(nullptr) : nlohmann::json(u->second->name);
      item["userEmail"] = u == by_id.end() ? nlohmann::json(nullptr) : nlohmann::json(u->second->email);
      items.push_back(std::move(item));
    }
    return ListResponse(items, page->next_cursor, *total);
  });

  router.Add("GET", "/api/emails/:emailId", [&ctx, public_url, secret](HttpRequest& req) {
    auto email = ctx.store.GetEmail(req.Param("emailId"));
    if (!email.ok()) return ErrorResponse(email.status());
    nlohmann::json data = ToJson(*email);
    // What the dashboard renders: viewing it or clicking in it must not mark the email
    // opened or clicked. `html` stays the HTML as sent.
    std::string preview = RemoveTracking(email->html, public_url, secret);
    // Emails link to the public URL of the shop's settings where set (sending controls),
    // which may differ from this server's: its tracking comes out too.
    if (auto rows = ctx.store.GetSettings(); rows.ok()) {
      const std::string stored = SettingsFromRows(*rows).public_url;
      if (!stored.empty() && stored != public_url) preview = RemoveTracking(preview, stored, secret);
    }
    data["previewHtml"] = preview;
    return DataResponse(data);
  });
}

}  // namespace rkd
