// /api/emails: the emails Rekindle wrote, newest first, filtered (status, step, dates,
// text; list_filters.h) with the list's total and whom each went to, and one email by id
// (with the tracking-free preview of its HTML that the dashboard shows); and one
// client's emails, /api/users/:userId/emails. Every email's `content` is its body as an
// HTML fragment and `text` the plain text (email_fragment.h); only the single email
// carries the `html` document as sent (a list of 50 has no use for 50 documents).
#include <map>

#include "api/api.h"
#include "api/email_fragment.h"
#include "api/list_filters.h"
#include "api/validation.h"
#include "delivery/tracking_links.h"
#include "domain/json_codec.h"
#include "domain/shop_settings.h"
#include "http/envelope.h"

namespace rkd {
namespace {

// Rekindle's own base URLs: this server's, and the shop settings' where they name another
// (emails link to it): links under them stay text in `content`.
std::vector<std::string> OwnUrls(ApiContext& ctx, const std::string& public_url) {
  std::vector<std::string> own{public_url};
  if (auto rows = ctx.store.GetSettings(); rows.ok()) {
    std::string stored = SettingsFromRows(*rows).public_url;
    if (!stored.empty() && stored != public_url) own.push_back(std::move(stored));
  }
  return own;
}

// An email in a list: `content` the HTML fragment, `text` the plain text, no `html`.
nlohmann::json ListedEmail(const Email& e, const std::vector<std::string>& own_urls) {
  nlohmann::json item = ToJson(e);
  item["content"] = EmailBodyFragment(e.content, own_urls);
  item["text"] = e.content;
  item.erase("html");
  return item;
}

}  // namespace

void RegisterEmailRoutes(Router& router, ApiContext& ctx, const std::string& public_url, const std::string& secret) {
  router.Add("GET", "/api/emails", [&ctx, public_url](HttpRequest& req) {
    auto q = ParseEmailListQuery(req.query, ctx.page_limits);
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
    const std::vector<std::string> own = OwnUrls(ctx, public_url);
    nlohmann::json items = nlohmann::json::array();
    for (const Email& e : page->items) {
      nlohmann::json item = ListedEmail(e, own);
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
    const std::vector<std::string> own = OwnUrls(ctx, public_url);
    nlohmann::json data = ListedEmail(*email, own);
    data["html"] = email->html;  // as sent
    // What the dashboard renders: viewing it or clicking in it must not mark the email
    // opened or clicked. Emails link to the public URL of the shop's settings where set
    // (sending controls), which may differ from this server's: its tracking comes out too.
    std::string preview = email->html;
    for (const std::string& base : own) preview = RemoveTracking(preview, base, secret);
    data["previewHtml"] = preview;
    return DataResponse(data);
  });

  router.Add("GET", "/api/users/:userId/emails", [&ctx, public_url](HttpRequest& req) {
    EmailQuery q;
    Status st = ParseLimitAndCursor(req.query, ctx.page_limits, &q.limit, &q.cursor);
    if (!st.ok()) return ErrorResponse(st);
    q.user_id = req.Param("userId");
    auto user = ctx.store.GetUser(q.user_id);
    if (!user.ok()) return ErrorResponse(user.status());
    auto page = ctx.store.ListEmails(q);
    if (!page.ok()) return ErrorResponse(page.status());
    const std::vector<std::string> own = OwnUrls(ctx, public_url);
    nlohmann::json items = nlohmann::json::array();
    for (const Email& e : page->items) items.push_back(ListedEmail(e, own));
    return ListResponse(items, page->next_cursor);
  });
}

}  // namespace rkd
