// GET /api/effectiveness?days=30: did the emails win clients back? The funnel (sent →
// delivered → opened → clicked → converted, revenue; unsubscribes, bounces, complaints)
// and the lift of emailed over held-out clients at risk, with a 95% confidence interval,
// overall and by the targeting rule that chose the clients (issue 11).
#include <cmath>

#include "api/api.h"
#include "http/envelope.h"

namespace rkd {
namespace {

nlohmann::json Group(const LiftGroup& g) {
  const double rate = g.clients ? static_cast<double>(g.converted) / static_cast<double>(g.clients) : 0.0;
  return {{"clients", g.clients},
          {"converted", g.converted},
          {"conversionRate", rate},
          {"revenue", std::round(g.revenue * 100) / 100},
          {"revenuePerClient", g.clients ? std::round(g.revenue / static_cast<double>(g.clients) * 100) / 100 : 0.0}};
}

// The lift of the emailed group over the held-out one: the difference of their conversion
// rates with a 95% interval (two proportions, normal approximation), and the ratio.
nlohmann::json Lift(const LiftGroup& emailed, const LiftGroup& held_out) {
  const double n1 = static_cast<double>(emailed.clients), n2 = static_cast<double>(held_out.clients);
  const double p1 = n1 > 0 ? static_cast<double>(emailed.converted) / n1 : 0;
  const double p2 = n2 > 0 ? static_cast<double>(held_out.converted) / n2 : 0;
  const double diff = p1 - p2;
  nlohmann::json ci = nullptr;
  bool significant = false;
  if (n1 > 0 && n2 > 0) {
    const double se = std::sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
    ci = {diff - 1.96 * se, diff + 1.96 * se};
    significant = se > 0 && (diff - 1.96 * se > 0 || diff + 1.96 * se < 0);
  }
  return {{"emailed", Group(emailed)},
          {"heldOut", Group(held_out)},
          {"absoluteLift", diff},
          {"relativeLift", p2 > 0 ? nlohmann::json(diff / p2) : nlohmann::json(nullptr)},
          {"ci95", ci},
          {"significant", significant}};
}

}  // namespace

void RegisterEffectivenessRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/effectiveness", [&ctx](HttpRequest& req) {
    int days = 30;
    if (auto it = req.query.find("days"); it != req.query.end()) {
      char* end = nullptr;
      const long v = std::strtol(it->second.c_str(), &end, 10);
      if (it->second.empty() || *end != '\0' || v < 1 || v > 365)
        return ErrorResponse(Status::InvalidArgument("days must be a whole number from 1 to 365", "days"));
      days = static_cast<int>(v);
    }
    auto f = ctx.store.Effectiveness(days);
    if (!f.ok()) return ErrorResponse(f.status());
    // Issue 11: the lift of the clients each targeting rule chose.
    nlohmann::json by_rule = nlohmann::json::array();
    for (const RuleLift& r : f->by_rule) {
      nlohmann::json lift = Lift(r.emailed, r.held_out);
      lift["rule"] = r.rule;
      by_rule.push_back(std::move(lift));
    }
    // The journey's steps (issue 16): each step's delivered emails and their conversions.
    nlohmann::json by_step = nlohmann::json::array();
    for (const StepEffect& st : f->by_step)
      by_step.push_back(
          {{"step", st.step},
           {"sent", st.sent},
           {"converted", st.converted},
           {"conversionRate", st.sent > 0 ? static_cast<double>(st.converted) / static_cast<double>(st.sent) : 0.0}});
    nlohmann::json daily = nlohmann::json::array();
    for (const DailyEffect& d : f->daily)
      daily.push_back({{"date", FormatRfc3339(d.day).substr(0, 10)},
                       {"sent", d.sent},
                       {"opened", d.opened},
                       {"clicked", d.clicked},
                       {"converted", d.converted},
                       {"revenue", std::round(d.revenue * 100) / 100}});
    return DataResponse({{"windowDays", days},
                         {"attributionDays", ctx.attribution_days},
                         {"holdoutShare", ctx.holdout_share},
                         {"funnel",
                          {{"sent", f->sent},
                           {"delivered", f->delivered},
                           {"failed", f->failed},
                           {"opened", f->opened},
                           {"clicked", f->clicked},
                           {"converted", f->converted},
                           {"revenue", std::round(f->revenue * 100) / 100},
                           {"unsubscribes", f->unsubscribes},
                           {"bounces", f->bounces},
                           {"complaints", f->complaints}}},
                         {"opensUnreliable", true},
                         {"lift", Lift(f->emailed, f->held_out)},
                         {"daily", daily},
                         {"byStep", by_step},
                         {"byRule", by_rule}});
  });
}

}  // namespace rkd
