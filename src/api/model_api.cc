#include "api/model_api.h"

#include <algorithm>

#include "api/validation.h"
#include "http/envelope.h"

namespace rkd {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<Millis>& t) { return t ? json(FormatRfc3339(*t)) : json(nullptr); }

json OptionalText(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// {trigger, status: running|fitted|failed, startedAt, finishedAt, error, field, fitId, predictions}.
json FitRunJson(const FitRun& run) {
  const bool finished = run.finished_at.has_value();
  const char* status = !finished ? "running" : run.outcome.ok() ? "fitted" : "failed";
  return {{"trigger", run.trigger == FitRun::Trigger::kApi ? "api" : "schedule"},
          {"status", status},
          {"startedAt", FormatRfc3339(run.started_at)},
          {"finishedAt", OptionalTime(run.finished_at)},
          {"error", OptionalText(run.outcome.message())},
          {"field", OptionalText(run.outcome.field())},
          {"fitId", OptionalText(run.fit_id)},
          {"predictions", finished && run.outcome.ok() ? json(run.predictions) : json(nullptr)}};
}

}  // namespace

json PredictionJson(const ClientPredictionRecord& p) {
  return {{"pAlive", p.p_alive},
          {"churnProbability", p.churn_probability},
          {"expectedOrders", p.expected_orders},
          {"expectedNextOrderAt", OptionalTime(p.next_order_at)},
          {"predictedValue", p.predicted_value ? json(*p.predicted_value) : json(nullptr)},
          {"fitId", p.fit_id},
          {"computedAt", FormatRfc3339(p.computed_at)}};
}

Result<ModelRunOptions> ParseModelFitRequest(const std::string& body, const ModelRunOptions& defaults, Millis now) {
  ModelRunOptions o = defaults;
  o.until = now;
  if (body.empty()) return o;
  auto parsed = ParseJsonObject(body);
  if (!parsed.ok()) return parsed.status();
  for (const auto& [key, value] : parsed->items()) {
    if (key == "model") {
      auto kind = value.is_string() ? ParseModelKind(value.get<std::string>()) : std::nullopt;
      if (!kind) return Status::InvalidArgument("model must be bgnbd or paretonbd", "model");
      o.kind = *kind;
    } else if (key == "unit") {
      auto unit = value.is_string() ? ParseTimeUnit(value.get<std::string>()) : std::nullopt;
      if (!unit) return Status::InvalidArgument("unit must be days or weeks", "unit");
      o.unit = *unit;
    } else if (key == "until") {
      auto until = value.is_string() && value.get<std::string>().size() <= 40 ? ParseRfc3339(value.get<std::string>())
                                                                              : std::nullopt;
      if (!until) return Status::InvalidArgument("until must be a date (YYYY-MM-DD or RFC 3339)", "until");
      if (*until > now + kClockSkewAllowance)
        return Status::InvalidArgument("until must not be in the future", "until");
      o.until = *until;
    } else {
      // A key is named back only when it is short printable ASCII (never a header's line break).
      const bool plain =
          key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
      return Status::InvalidArgument(plain ? key + " is not a known field" : "a field is not known",
                                     plain ? key : "body");
    }
  }
  return o;
}

void RegisterModelRoutes(Router& router, ApiContext& ctx, ModelRunner& runner, const ModelRunOptions& defaults,
                         int refit_hours) {
  router.Add("GET", "/api/model", [&ctx, &runner, defaults, refit_hours](HttpRequest&) {
    auto fit = ctx.store.LatestModelFit();
    if (!fit.ok()) return ErrorResponse(fit.status());
    const RefitStatus refit = runner.refit_status();
    const std::optional<FitRun> last_run = runner.last_run();
    json out = {{"running", runner.running()},
                {"lastRun", last_run ? FitRunJson(*last_run) : json(nullptr)},
                {"targeting",
                 {{"rule", TargetingRuleName(ctx.targeting.rule)}, {"churnThreshold", ctx.targeting.churn_threshold}}},
                {"refit",
                 {{"everyHours", refit_hours},
                  {"lastAttemptAt", OptionalTime(refit.last_attempt_at)},
                  {"lastError", refit.last_error.empty() ? json(nullptr) : json(refit.last_error)}}}};
    if (!*fit) {
      out["fit"] = nullptr;
      out["reason"] =
          "no model has been fitted yet: POST /api/model/fit or run `rekindle model fit` (a fit needs at "
          "least " +
          std::to_string(defaults.min_clients) + " clients with an order and " +
          std::to_string(defaults.min_history_days) + " days of order history)";
      if (!refit.last_error.empty()) out["reason"] = "the last scheduled fit did not run: " + refit.last_error;
      return DataResponse(out);
    }
    out["fit"] = FitRecordJson(**fit);
    // Kept with the fit's diagnostics; shown beside it (a fit from before has none).
    json& diagnostics = out["fit"]["diagnostics"];
    if (diagnostics.is_object() && diagnostics.contains("distributions")) {
      out["distributions"] = std::move(diagnostics["distributions"]);
      diagnostics.erase("distributions");
    }
    return DataResponse(out);
  });

  router.Add("POST", "/api/model/fit", [&ctx, &runner, defaults](HttpRequest& req) {
    auto options = ParseModelFitRequest(req.body, defaults, ctx.clock.Now());
    if (!options.ok()) return ErrorResponse(options.status());
    auto run = runner.StartFit(*options);
    if (!run.ok()) {
      if (run.status().code() == Code::kAlreadyExists)
        return ErrorResponse(409, "conflict", run.status().message(), "fit");
      return ErrorResponse(run.status());
    }
    // Accepted: GET /api/model shows the run (lastRun) until it ends, then the new fit.
    HttpResponse resp = DataResponse({{"running", true}, {"lastRun", FitRunJson(*run)}}, 202);
    resp.headers.emplace_back("Location", "/api/model");
    return resp;
  });
}

}  // namespace rkd
