// GET /health: liveness and whether sending works, for balancers, monitors and people;
// open even when API keys are set. GET /api/alerts: the same findings in full, for the
// dashboard's banner. The rule an operator alerts on (README, "The health rule"):
//   503  the store or the bus does not answer: this instance cannot do its work;
//   200  {"status": "degraded", "reasons": [...]}: it works, but a delivery failed in
//        the last RKD_ALERT_WINDOW_MINUTES or dead letters wait;
//   200  {"status": "ok", "reasons": []} otherwise.
// A balancer keeps a degraded instance (taking it out would not make mail flow); a
// monitor pages on "degraded".
#include "api/api.h"
#include "http/envelope.h"

namespace rkd {

void RegisterHealthRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/health", [&ctx](HttpRequest&) {
    auto checkpoint = ctx.store.GetCheckpoint("stream");  // a cheap read proves the store answers
    if (!checkpoint.ok()) return ErrorResponse(503, "unavailable", "store is not answering");
    nlohmann::json data = {{"status", "ok"},
                           {"reasons", nlohmann::json::array()},
                           {"version", ctx.version},
                           {"uptimeSeconds", (ctx.clock.Now() - ctx.started_at) / 1000}};
    if (ctx.alerts) {
      const AlertSnapshot s = ctx.alerts->Current();
      // The details (a server's reply may name a recipient) stay behind the keys: /api/alerts.
      if (!s.bus.ok()) return ErrorResponse(503, "unavailable", "bus is not answering");
      if (!s.store.ok()) return ErrorResponse(503, "unavailable", "store is not answering");
      data["status"] = s.degraded() ? "degraded" : "ok";
      data["reasons"] = s.Reasons(ctx.alerts->window(), /*detailed=*/false);
      data["failedDeliveries"] = s.failures.count;
      data["deadLetters"] = s.dead_letters;
    }
    return DataResponse(data);
  });

  router.Add("GET", "/api/alerts", [&ctx](HttpRequest&) {
    if (!ctx.alerts) return ErrorResponse(503, "unavailable", "alerts are not kept in this process");
    const AlertSnapshot s = ctx.alerts->Current();
    if (!s.store.ok()) return ErrorResponse(s.store);
    if (!s.bus.ok()) return ErrorResponse(s.bus);
    return DataResponse(ctx.alerts->ToJson(s));
  });
}

}  // namespace rkd
