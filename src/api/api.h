// The REST API's resources. Each Register* adds one resource's routes to the router;
// handlers are stateless (parse, validate, call the store, serialize) and share an
// ApiContext that must outlive the router.
#pragma once

#include <string>

#include "base/time.h"
#include "domain/score.h"
#include "http/router.h"
#include "bus/bus.h"
#include "pipeline/sweeper.h"
#include "store/store.h"

namespace rkd {

struct ApiContext {
  Store& store;
  const ScoreRules& rules;
  const Clock& clock;
  std::string version;
  Millis started_at = 0;
  Bus* bus = nullptr;          // null: the queue routes answer 503
  Sweeper* sweeper = nullptr;  // null: POST /api/sweep answers 503
};

void RegisterHealthRoutes(Router& router, ApiContext& ctx);
void RegisterUserRoutes(Router& router, ApiContext& ctx);
void RegisterOrderRoutes(Router& router, ApiContext& ctx);
void RegisterEmailRoutes(Router& router, ApiContext& ctx);
void RegisterQueueRoutes(Router& router, ApiContext& ctx);
void RegisterMetricsRoutes(Router& router, ApiContext& ctx);
void RegisterSuppressionRoutes(Router& router, ApiContext& ctx);
// /u/:token (outside /api): one-click unsubscribe; `secret` signs the tokens.
void RegisterUnsubscribeRoutes(Router& router, ApiContext& ctx, const std::string& secret);

}  // namespace rkd
