// /api/experiments (issue 12): A/B tests and bandits between wordings of the win-back
// message. POST starts one (one runs at a time), GET lists them or shows one with its
// results (experiments/experiment_stats.h), the decision (experiment_decision.h) and every
// change of plan; …/stop ends one and …/promote saves a variant's wording as the new
// version of the message under test. Results are read, never written, by looking: a GET
// changes no figure.
#include <algorithm>
#include <cmath>

#include "api/api.h"
#include "api/current_message.h"
#include "api/validation.h"
#include "base/ids.h"
#include "base/log.h"
#include "compose/email_checks.h"
#include "compose/message_checks.h"
#include "compose/template_writer.h"
#include "experiments/experiment_decision.h"
#include "experiments/experiment_plan.h"
#include "http/envelope.h"
#include "pipeline/experiment_cache.h"
#include "pipeline/message_cache.h"

namespace rkd {
namespace {

using nlohmann::json;

// How the winner is decided, for the dashboard (experiment_decision.h has the derivation).
constexpr const char* kMethod =
    "A winner is declared only when every variant has at least the minimum of recipients and one variant's "
    "probability of being best (Beta-Binomial posteriors for a rate, a normal approximation for revenue) reaches "
    "a bar that starts strict and falls to its final level at the planned recipients per variant (an "
    "O'Brien-Fleming-shaped boundary). Looking at the results as often as you like keeps the chance of declaring "
    "a winner between equal variants at most one minus the threshold (5% by default), as checked by simulation. Past "
    "the planned recipients each further look adds some error: stop or promote there.";

// A figure the statistics leave undefined (NaN) is null on the wire.
json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json Range(const Interval& i) {
  return std::isfinite(i.low) && std::isfinite(i.high) ? json{{"low", i.low}, {"high", i.high}} : json(nullptr);
}

json ExperimentJson(const Experiment& e) {
  json variants = json::array();
  for (size_t i = 0; i < e.variants.size(); ++i)
    variants.push_back({{"index", i},
                        {"letter", VariantLetter(static_cast<int>(i))},
                        {"message", e.variants[i].message},
                        {"weight", e.variants[i].weight},
                        {"share", i < e.weights.size() ? e.weights[i] : 0.0}});
  return {{"experimentId", e.experiment_id},
          {"name", e.name},
          {"message", e.message},
          {"metric", e.metric},
          {"allocation", e.allocation},
          {"status", e.status},
          {"createdAt", FormatRfc3339(e.created_at)},
          {"createdBy", e.created_by},
          {"stoppedAt", e.stopped_at ? json(FormatRfc3339(*e.stopped_at)) : json(nullptr)},
          {"minRecipients", e.min_recipients},
          {"threshold", e.threshold},
          {"plannedRecipients", e.planned_recipients},
          {"promotedVariant", e.promoted_variant ? json(*e.promoted_variant) : json(nullptr)},
          {"variants", variants}};
}

const char* DecisionStateName(DecisionState s) {
  switch (s) {
    case DecisionState::kWinner:
      return "winner";
    case DecisionState::kNeedsRecipients:
      return "needsRecipients";
    case DecisionState::kNoWinnerYet:
      return "noWinnerYet";
  }
  return "noWinnerYet";
}

DecisionOptions DecisionOptionsFor(const Experiment& e) {
  DecisionOptions o;
  o.min_recipients = e.min_recipients;
  o.threshold = e.threshold;
  o.planned_recipients = e.planned_recipients;
  o.metric = MetricOf(e.metric);
  return o;
}

// An integer field within [low, high], or `fallback` when absent.
Result<int64_t> IntField(const json& body, const std::string& key, int64_t fallback, int64_t low, int64_t high) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < low || it->get<int64_t>() > high)
    return Status::InvalidArgument(
        key + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high), key);
  return it->get<int64_t>();
}

// A string field among `allowed`, or the first of them when absent.
Result<std::string> ChoiceField(const json& body, const std::string& key, const std::vector<std::string>& allowed) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return allowed.front();
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  if (!it->is_string() || std::find(allowed.begin(), allowed.end(), it->get<std::string>()) == allowed.end())
    return Status::InvalidArgument(key + " must be one of " + list, key);
  return it->get<std::string>();
}

class ExperimentRoutes {
 public:
  ExperimentRoutes(ApiContext& ctx, ExperimentApiOptions options) : ctx_(ctx), options_(options) {}

  HttpResponse List() {
    auto all = ctx_.store.ListExperiments();
    if (!all.ok()) return ErrorResponse(all.status());
    json items = json::array();
    for (const Experiment& e : *all) items.push_back(ExperimentJson(e));
    return DataResponse(items);
  }

  HttpResponse Create(HttpRequest& req) {
    auto e = Parse(req.body);
    if (!e.ok()) return ErrorResponse(e.status());
    const Millis now = ctx_.clock.Now();
    e->experiment_id = "exp_" + NewOrderedUuid();
    e->created_at = now;
    e->planned_at = now;
    e->created_by = Author(req);
    e->weights = InitialWeights(*e);
    if (Status st = ctx_.store.CreateExperiment(*e); !st.ok()) return ErrorResponse(st);
    if (options_.cache) options_.cache->Invalidate();
    LogInfo("experiment started", {{"experimentId", e->experiment_id}, {"message", e->message}, {"by", e->created_by}});
    return DataResponse(ExperimentJson(*e), 201);
  }

  HttpResponse Get(HttpRequest& req) {
    auto e = ctx_.store.GetExperiment(req.Param("id"));
    if (!e.ok()) return ErrorResponse(e.status());
    auto totals = ctx_.store.ExperimentTotals(e->experiment_id, static_cast<int>(e->variants.size()));
    if (!totals.ok()) return ErrorResponse(totals.status());
    auto allocations = ctx_.store.ExperimentAllocations(e->experiment_id);
    if (!allocations.ok()) return ErrorResponse(allocations.status());
    const std::vector<VariantCounts> counts = MetricCounts(*totals, e->metric);
    auto stats = ComputeExperimentStats(counts);
    if (!stats.ok()) return ErrorResponse(stats.status());
    auto decision = DecideExperiment(counts, DecisionOptionsFor(*e));
    if (!decision.ok()) return ErrorResponse(decision.status());

    json data = ExperimentJson(*e);
    const bool revenue = e->metric == "revenue";
    for (size_t i = 0; i < e->variants.size(); ++i) {
      const ExperimentVariantTotals& t = (*totals)[i];
      const VariantStats& s = (*stats)[i];
      json& v = data["variants"][i];
      v["recipients"] = t.recipients;
      v["clicks"] = t.clicks;
      v["conversions"] = t.conversions;
      v["revenue"] = t.revenue_sum;
      v["rate"] = t.recipients > 0 ? Num(s.rate) : json(nullptr);
      v["rateInterval"] = t.recipients > 0 ? Range(s.rate_interval) : json(nullptr);
      v["revenuePerRecipient"] = t.recipients > 0 ? Num(s.revenue_per_recipient) : json(nullptr);
      v["revenueInterval"] = t.recipients > 1 ? Range(s.revenue_interval) : json(nullptr);
      if (i == 0) {
        v["difference"] = nullptr;
      } else {
        const double value = revenue ? s.revenue_difference : s.rate_difference;
        const Interval& range = revenue ? s.revenue_difference_interval : s.rate_difference_interval;
        const double p = revenue ? s.revenue_p_value : s.rate_p_value;
        v["difference"] =
            t.recipients > 0 && (*totals)[0].recipients > 0
                ? json{{"value", Num(value)}, {"low", Num(range.low)}, {"high", Num(range.high)}, {"pValue", Num(p)}}
                : json(nullptr);
      }
      v["probabilityBest"] = Num(revenue ? s.probability_best_revenue : s.probability_best_rate);
      v["winner"] = decision->state == DecisionState::kWinner && decision->winner == static_cast<int>(i);
    }
    data["decision"] = {{"state", DecisionStateName(decision->state)},
                        {"winner", decision->winner >= 0 ? json(decision->winner) : json(nullptr)},
                        {"moreRecipientsNeeded", decision->more_recipients_needed},
                        {"requiredProbability", Num(decision->required_probability)},
                        {"reason", decision->reason}};
    data["method"] = kMethod;
    json history = json::array();
    for (const ExperimentAllocation& a : *allocations)
      history.push_back({{"at", FormatRfc3339(a.at)}, {"weights", a.weights}, {"reason", a.reason}});
    data["allocations"] = history;
    return DataResponse(data);
  }

  HttpResponse Stop(HttpRequest& req) {
    const std::string& id = req.Param("id");
    if (Status st = ctx_.store.StopExperiment(id); !st.ok()) return ErrorResponse(st);
    if (options_.cache) options_.cache->Invalidate();
    auto e = ctx_.store.GetExperiment(id);
    if (!e.ok()) return ErrorResponse(e.status());
    LogInfo("experiment stopped", {{"experimentId", id}, {"by", Author(req)}});
    return DataResponse(ExperimentJson(*e));
  }

  // Saves the variant's wording (the declared winner, or the one the body names) as the
  // new version of the message under test, and stops the experiment.
  HttpResponse Promote(HttpRequest& req) {
    auto e = ctx_.store.GetExperiment(req.Param("id"));
    if (!e.ok()) return ErrorResponse(e.status());
    if (e->promoted_variant)
      return ErrorResponse(Status::FailedPrecondition(
          VariantLetter(*e->promoted_variant) + " was promoted already: edit the message instead", "variant"));
    const bool empty = req.body.find_first_not_of(" \t\r\n") == std::string::npos;
    json body = json::object();
    if (!empty) {
      auto parsed = ParseJsonObject(req.body);
      if (!parsed.ok()) return ErrorResponse(parsed.status());
      body = std::move(parsed).value();
    }
    for (const auto& item : body.items())
      if (item.key() != "variant")
        return ErrorResponse(Status::InvalidArgument(item.key() + " is not a known field", item.key()));
    const int k = static_cast<int>(e->variants.size());
    int variant = -1;
    if (body.contains("variant")) {
      auto chosen = IntField(body, "variant", 0, 0, k - 1);
      if (!chosen.ok()) return ErrorResponse(chosen.status());
      variant = static_cast<int>(*chosen);
    } else {
      auto totals = ctx_.store.ExperimentTotals(e->experiment_id, k);
      if (!totals.ok()) return ErrorResponse(totals.status());
      auto decision = DecideExperiment(MetricCounts(*totals, e->metric), DecisionOptionsFor(*e));
      if (!decision.ok()) return ErrorResponse(decision.status());
      if (decision->state != DecisionState::kWinner)
        return ErrorResponse(Status::FailedPrecondition(
            "no winner is declared yet (" + decision->reason + "): name the variant to promote", "variant"));
      variant = decision->winner;
    }
    auto source = Current(e->variants[static_cast<size_t>(variant)].message);
    if (!source.ok()) return ErrorResponse(source.status());
    MessageVersion m{
        .name = e->message,
        .content = source->content,
        .note = "promoted " + VariantLetter(variant) + " (" + source->name + ") from experiment " + e->name,
        .created_by = Author(req)};
    auto saved = ctx_.store.SaveMessage(m, std::nullopt);
    if (!saved.ok()) return ErrorResponse(saved.status());
    if (options_.messages) options_.messages->Invalidate();
    if (Status st = ctx_.store.MarkPromoted(e->experiment_id, variant); !st.ok()) return ErrorResponse(st);
    if (e->Running()) {
      Status st = ctx_.store.StopExperiment(e->experiment_id);
      if (!st.ok() && st.code() != Code::kFailedPrecondition) return ErrorResponse(st);
      if (options_.cache) options_.cache->Invalidate();
    }
    auto after = ctx_.store.GetExperiment(e->experiment_id);
    if (!after.ok()) return ErrorResponse(after.status());
    LogInfo("experiment promoted", {{"experimentId", e->experiment_id},
                                    {"variant", variant},
                                    {"message", saved->name},
                                    {"version", saved->version}});
    return DataResponse(
        {{"experiment", ExperimentJson(*after)}, {"message", {{"name", saved->name}, {"version", saved->version}}}});
  }

 private:
  // The newest version of a message: stored, else built in; NotFound (field `field`) when neither.
  Result<MessageVersion> Current(const std::string& name, const std::string& field = "message") {
    return CurrentMessage(ctx_.store, *options_.templates, name, field);
  }

  // A message name that exists, in `field`.
  Result<std::string> MessageField(const json& value, const std::string& field) {
    if (!value.is_string()) return Status::InvalidArgument(field + " must be a message's name", field);
    const std::string name = value.get<std::string>();
    if (Status st = CheckMessageName(name); !st.ok()) return Status::InvalidArgument(st.message(), field);
    auto found = Current(name, field);
    if (!found.ok())
      return found.status().IsNotFound()
                 ? Status::InvalidArgument("no message named " + name + ": create it on the Messages page first", field)
                 : found.status();
    return name;
  }

  Result<Experiment> Parse(const std::string& text) {
    auto body = ParseJsonObject(text);
    if (!body.ok()) return body.status();
    static const char* const kKnown[] = {"name",       "message",       "variants",  "metric",
                                         "allocation", "minRecipients", "threshold", "plannedRecipients"};
    for (const auto& item : body->items())
      if (std::find_if(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return item.key() == k; }) ==
          std::end(kKnown))
        return Status::InvalidArgument(item.key() + " is not a known field", item.key());
    Experiment e;
    const json& b = *body;
    if (!b.contains("name") || !b["name"].is_string() || b["name"].get<std::string>().empty() ||
        Utf8Length(b["name"].get<std::string>()) > 100)
      return Status::InvalidArgument("name must be a text of 1 to 100 characters", "name");
    e.name = b["name"].get<std::string>();
    if (!b.contains("message"))
      return Status::InvalidArgument("message (the message under test) is required", "message");
    RKD_ASSIGN_OR_RETURN(e.message, MessageField(b["message"], "message"));
    if (!b.contains("variants") || !b["variants"].is_array() || b["variants"].size() < 2 || b["variants"].size() > 5)
      return Status::InvalidArgument("variants must list 2 to 5 variants", "variants");
    for (size_t i = 0; i < b["variants"].size(); ++i) {
      const json& v = b["variants"][i];
      const std::string at = "variants[" + std::to_string(i) + "]";
      if (!v.is_object()) return Status::InvalidArgument(at + " must be an object with a message", at);
      for (const auto& item : v.items())
        if (item.key() != "message" && item.key() != "weight")
          return Status::InvalidArgument(at + "." + item.key() + " is not a known field", at + "." + item.key());
      ExperimentVariant variant;
      if (!v.contains("message")) return Status::InvalidArgument(at + ".message is required", at + ".message");
      RKD_ASSIGN_OR_RETURN(variant.message, MessageField(v["message"], at + ".message"));
      if (v.contains("weight") && !v["weight"].is_null()) {
        if (!v["weight"].is_number() || !std::isfinite(v["weight"].get<double>()) || v["weight"].get<double>() <= 0 ||
            v["weight"].get<double>() > 1000)
          return Status::InvalidArgument(at + ".weight must be a number above 0 and at most 1000", at + ".weight");
        variant.weight = v["weight"].get<double>();
      }
      e.variants.push_back(std::move(variant));
    }
    if (e.variants[0].message != e.message)
      return Status::InvalidArgument("variants[0] (A, the control) must be the message under test, " + e.message,
                                     "variants[0].message");
    RKD_ASSIGN_OR_RETURN(e.metric, ChoiceField(b, "metric", {"conversion", "click", "revenue"}));
    RKD_ASSIGN_OR_RETURN(e.allocation, ChoiceField(b, "allocation", {"fixed", "bandit"}));
    RKD_ASSIGN_OR_RETURN(e.min_recipients, IntField(b, "minRecipients", 500, 10, 1'000'000));
    RKD_ASSIGN_OR_RETURN(e.planned_recipients, IntField(b, "plannedRecipients", 5'000, 10, 10'000'000));
    if (e.planned_recipients < e.min_recipients)
      return Status::InvalidArgument("plannedRecipients must be at least minRecipients", "plannedRecipients");
    if (auto it = b.find("threshold"); it != b.end() && !it->is_null()) {
      if (!it->is_number() || !(it->get<double>() >= 0.8 && it->get<double>() <= 0.999))
        return Status::InvalidArgument("threshold must be a probability from 0.8 to 0.999", "threshold");
      e.threshold = it->get<double>();
    }
    return e;
  }

  ApiContext& ctx_;
  ExperimentApiOptions options_;
};

}  // namespace

void RegisterExperimentRoutes(Router& router, ApiContext& ctx, ExperimentApiOptions options) {
  auto routes = std::make_shared<ExperimentRoutes>(ctx, options);
  router.Add("GET", "/api/experiments", [routes](HttpRequest&) { return routes->List(); });
  router.Add("POST", "/api/experiments", [routes](HttpRequest& req) { return routes->Create(req); });
  router.Add("GET", "/api/experiments/:id", [routes](HttpRequest& req) { return routes->Get(req); });
  router.Add("POST", "/api/experiments/:id/stop", [routes](HttpRequest& req) { return routes->Stop(req); });
  router.Add("POST", "/api/experiments/:id/promote", [routes](HttpRequest& req) { return routes->Promote(req); });
}

}  // namespace rkd
