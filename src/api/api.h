// The REST API's resources. Each Register* adds one resource's routes to the router;
// handlers are stateless (parse, validate, call the store, serialize) and share an
// ApiContext that must outlive the router.
#pragma once

#include <string>

#include "base/time.h"
#include "domain/score.h"
#include "http/router.h"
#include "store/store.h"

namespace rkd {

struct ApiContext {
  Store& store;
  const ScoreRules& rules;
  const Clock& clock;
  std::string version;
  Millis started_at = 0;
};

void RegisterHealthRoutes(Router& router, ApiContext& ctx);
void RegisterUserRoutes(Router& router, ApiContext& ctx);
void RegisterOrderRoutes(Router& router, ApiContext& ctx);
void RegisterEmailRoutes(Router& router, ApiContext& ctx);

}  // namespace rkd
