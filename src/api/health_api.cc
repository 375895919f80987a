// GET /health: liveness for balancers and people; open even when API keys are set.
#include "api/api.h"
#include "http/envelope.h"

namespace rkd {

void RegisterHealthRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/health", [&ctx](HttpRequest&) {
    auto checkpoint = ctx.store.GetCheckpoint("stream");  // a cheap read proves the store answers
    if (!checkpoint.ok()) return ErrorResponse(503, "unavailable", "store is not answering");
    return DataResponse(
        {{"status", "ok"}, {"version", ctx.version}, {"uptimeSeconds", (ctx.clock.Now() - ctx.started_at) / 1000}});
  });
}

}  // namespace rkd
