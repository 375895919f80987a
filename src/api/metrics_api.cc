// GET /api/metrics: the figures the dashboard's overview shows (clients, at risk,
// average score, the score histogram, emails over time, queue health).
#include <cmath>

#include "api/api.h"
#include "http/envelope.h"

namespace rkd {

nlohmann::json QueueStatsJson(Bus& bus, Status* status);  // queues_api.cc

void RegisterMetricsRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/metrics", [&ctx](HttpRequest&) {
    auto m = ctx.store.Metrics(ctx.rules.threshold);
    if (!m.ok()) return ErrorResponse(m.status());
    nlohmann::json histogram = nlohmann::json::array();
    for (int b = 0; b < 10; ++b)
      histogram.push_back({{"from", b * 10}, {"to", b == 9 ? 100 : b * 10 + 10}, {"count", m->score_histogram[b]}});
    nlohmann::json by_status = nlohmann::json::object();
    for (const auto& [status, n] : m->emails_by_status) by_status[status] = n;
    // Every one of the last 30 days, zeros included, so charts need no gap filling.
    const Millis today = ctx.clock.Now() / kMillisPerDay * kMillisPerDay;
    nlohmann::json per_day = nlohmann::json::array();
    size_t next = 0;
    for (int d = 29; d >= 0; --d) {
      const Millis day = today - d * kMillisPerDay;
      int64_t count = 0;
      while (next < m->emails_per_day.size() && m->emails_per_day[next].first <= day) {
        if (m->emails_per_day[next].first == day) count = m->emails_per_day[next].second;
        ++next;
      }
      per_day.push_back({{"date", FormatRfc3339(day).substr(0, 10)}, {"count", count}});
    }
    nlohmann::json queues = nlohmann::json::array();
    if (ctx.bus) {
      Status st;
      queues = QueueStatsJson(*ctx.bus, &st);
      if (!st.ok()) return ErrorResponse(st);
    }
    return DataResponse(
        {{"threshold", ctx.rules.threshold},
         {"users",
          {{"total", m->users},
           {"atRisk", m->at_risk},
           {"atRiskShare", m->users ? static_cast<double>(m->at_risk) / static_cast<double>(m->users) : 0.0},
           {"averageScore", std::round(m->average_score * 100) / 100}}},
         {"emails",
          {{"total", m->emails_total},
           {"last7Days", m->emails_last_7_days},
           {"last30Days", m->emails_last_30_days},
           {"byStatus", by_status}}},
         {"scoreHistogram", histogram},
         {"emailsPerDay", per_day},
         {"queues", queues}});
  });
}

}  // namespace rkd
