// The churn and value models over HTTP (issue 11): GET /api/model (the current fit, or
// why there is none, and how this process's last fit ended), POST /api/model/fit (refit
// now, in the background: 202, then GET /api/model's lastRun says whether it fitted or
// why not; 409 while another fit runs, here or in another process on the store), and a
// client's prediction as GET /api/users shows it.
#pragma once

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "pipeline/model_runner.h"

namespace rkd {

// `defaults`: the settings' options (RKD_CHURN_HORIZON_DAYS, RKD_CLV_*, RKD_MODEL_MIN_*);
// a request may name model, unit and until. `runner` outlives the router. GET /api/model
// also shows the targeting (ctx.targeting), the refit schedule (`refit_hours`, 0: none)
// with the runner's last scheduled attempt, and the fit's distributions.
void RegisterModelRoutes(Router& router, ApiContext& ctx, ModelRunner& runner, const ModelRunOptions& defaults,
                         int refit_hours);

// {pAlive, churnProbability, expectedOrders, expectedNextOrderAt, predictedValue, fitId, computedAt}.
nlohmann::json PredictionJson(const ClientPredictionRecord& prediction);

// POST /api/model/fit's body (may be empty): model (bgnbd, paretonbd), unit (days, weeks),
// until (a date, not in the future); any other key is refused. InvalidArgument naming the field.
Result<ModelRunOptions> ParseModelFitRequest(const std::string& body, const ModelRunOptions& defaults, Millis now);

}  // namespace rkd
