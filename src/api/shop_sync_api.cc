// GET /api/integrations/sync: each platform's reconciliation (issue 17): configured or
// not, where it stands, what its last run did, when the schedule runs it next. POST
// /api/integrations/sync/:source starts one now (202, run in the background; 409 while
// one runs; 404 for a platform not configured). The credentials are never shown.
#include "api/api.h"
#include "http/envelope.h"
#include "integrations/shop_sync.h"

namespace rkd {
namespace {

nlohmann::json OptTime(const std::optional<Millis>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}
nlohmann::json OptText(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json SyncJson(const char* source, const char* name, const ShopSync* sync,
                        const std::optional<ShopSyncState>& stored, Millis now) {
  const ShopConnection* c = sync ? sync->Find(source) : nullptr;
  ShopSyncState s = stored.value_or(ShopSyncState{.source = source});
  // A run whose lease ran out stopped without a word (its process was killed).
  if (s.status == "running" && (!s.lease_until || *s.lease_until < now)) {
    s.status = "failed";
    s.error = "interrupted: the process running it stopped; the next run starts again from the last cursor";
  }
  const Millis interval = c ? sync->options().interval : 0;
  const std::optional<Millis> next = c ? sync->NextRun(stored ? &*stored : nullptr, now) : std::nullopt;
  const ShopSyncProgress& p = s.progress;
  return {{"source", source},
          {"name", name},
          {"configured", c != nullptr},
          {"shopUrl", c ? nlohmann::json(c->url) : nlohmann::json(nullptr)},
          {"status", s.status},
          {"trigger", OptText(s.trigger)},
          {"startedAt", OptTime(s.started_at)},
          {"finishedAt", OptTime(s.finished_at)},
          {"lastSuccessAt", OptTime(s.last_success_at)},
          {"error", OptText(s.error)},
          {"field", OptText(s.field)},
          {"cursors", {{"orders", OptText(s.orders_cursor)}, {"customers", OptText(s.customers_cursor)}}},
          {"progress",
           {{"pages", p.pages},
            {"fetched", p.fetched},
            {"imported", p.imported},
            {"updated", p.updated},
            {"unchanged", p.unchanged},
            {"rejected", p.rejected}}},
          {"intervalMinutes", interval / 60'000},
          {"nextRunAt", OptTime(next)}};
}

struct Platform {
  const char* source;
  const char* name;
};
constexpr Platform kPlatforms[] = {{"shopify", "Shopify"}, {"woocommerce", "WooCommerce"}};

}  // namespace

void RegisterShopSyncRoutes(Router& router, ApiContext& ctx, ShopSync* sync) {
  router.Add("GET", "/api/integrations/sync", [&ctx, sync](HttpRequest&) {
    auto states = ctx.store.ListShopSyncs();
    if (!states.ok()) return ErrorResponse(states.status());
    nlohmann::json out = nlohmann::json::array();
    for (const Platform& p : kPlatforms) {
      std::optional<ShopSyncState> stored;
      for (const ShopSyncState& s : *states)
        if (s.source == p.source) stored = s;
      out.push_back(SyncJson(p.source, p.name, sync, stored, ctx.clock.Now()));
    }
    return DataResponse(out);
  });
  router.Add("POST", "/api/integrations/sync/:source", [&ctx, sync](HttpRequest& req) {
    const std::string& source = req.Param("source");
    const Platform* platform = nullptr;
    for (const Platform& p : kPlatforms)
      if (source == p.source) platform = &p;
    if (!platform || !sync || !sync->Find(source)) return ErrorResponse(ShopNotConnected(source));
    if (!req.body.empty() && req.body != "{}")
      return ErrorResponse(Status::InvalidArgument("this request takes no body (or {})", "body"));
    auto started = sync->Start(source, "api");
    if (!started.ok()) return ErrorResponse(started.status());
    if (!*started)
      return ErrorResponse(409, "conflict", std::string("a ") + platform->name + " sync is already running");
    HttpResponse resp = DataResponse(SyncJson(platform->source, platform->name, sync, *started, ctx.clock.Now()), 202);
    resp.headers.emplace_back("Location", "/api/integrations/sync");
    return resp;
  });
}

}  // namespace rkd
