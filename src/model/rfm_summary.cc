#include "model/rfm_summary.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

namespace rkd {
namespace {

// Floor division, so that orders before 1970 still fall on the right day.
int64_t DayOf(Millis t) { return t >= 0 ? t / kMillisPerDay : -((-t + kMillisPerDay - 1) / kMillisPerDay); }

}  // namespace

double DaysPerUnit(TimeUnit unit) { return unit == TimeUnit::kWeeks ? 7.0 : 1.0; }

std::optional<RfmSummary> SummarizeOrders(std::span<const DatedOrder> orders, Millis until, TimeUnit unit) {
  const int64_t last_day = DayOf(until);
  std::vector<std::pair<int64_t, int64_t>> days;  // (day, cents), one per order in range
  days.reserve(orders.size());
  for (const DatedOrder& o : orders) {
    const int64_t d = DayOf(o.at);
    if (d <= last_day) days.emplace_back(d, o.value_cents);
  }
  if (days.empty()) return std::nullopt;
  std::sort(days.begin(), days.end());
  const int64_t first = days.front().first;
  int64_t repeat_days = 0, last = first, repeat_cents = 0;
  for (const auto& [d, cents] : days) {
    if (d == first) continue;  // the first day (all its orders) is not a repeat purchase
    if (d != last) ++repeat_days;
    last = d;
    repeat_cents += cents;
  }
  const double per_unit = DaysPerUnit(unit);
  RfmSummary s;
  s.x = static_cast<double>(repeat_days);
  s.t_x = static_cast<double>(last - first) / per_unit;
  s.T = static_cast<double>(last_day - first) / per_unit;
  s.monetary = repeat_days > 0 ? static_cast<double>(repeat_cents) / 100.0 / static_cast<double>(repeat_days) : 0;
  return s;
}

std::vector<RfmSummary> Compress(std::span<const RfmSummary> rows) {
  std::vector<RfmSummary> sorted;
  sorted.reserve(rows.size());
  for (const RfmSummary& r : rows) {
    if (r.weight == 0) continue;
    sorted.push_back({r.x, r.t_x, r.T, 0, r.weight});
  }
  const auto key = [](const RfmSummary& r) { return std::tie(r.x, r.t_x, r.T); };
  std::sort(sorted.begin(), sorted.end(), [&](const RfmSummary& a, const RfmSummary& b) { return key(a) < key(b); });
  std::vector<RfmSummary> out;
  for (const RfmSummary& r : sorted) {
    if (!out.empty() && key(out.back()) == key(r)) {
      out.back().weight += r.weight;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

Status CheckFittable(std::span<const RfmSummary> rows) {
  int64_t clients = 0, with_history = 0, with_repeats = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const RfmSummary& r = rows[i];
    const std::string where = " (row " + std::to_string(i) + ")";
    if (!std::isfinite(r.x) || !std::isfinite(r.t_x) || !std::isfinite(r.T)) {
      return Status::InvalidArgument("x, t_x and T must be finite" + where, "rows");
    }
    if (r.x < 0 || r.x != std::floor(r.x)) {
      return Status::InvalidArgument("x must be a whole number of repeat purchases" + where, "x");
    }
    if (r.t_x < 0 || r.t_x > r.T) return Status::InvalidArgument("t_x must lie in [0, T]" + where, "t_x");
    if (r.x == 0 && r.t_x != 0) return Status::InvalidArgument("t_x must be 0 when x is 0" + where, "t_x");
    if (r.weight < 0) return Status::InvalidArgument("weights must not be negative" + where, "weight");
    clients += r.weight;
    if (r.T > 0) with_history += r.weight;
    if (r.x > 0) with_repeats += r.weight;
  }
  if (clients == 0) return Status::InvalidArgument("no clients to fit the model on", "rows");
  if (with_history == 0) {
    return Status::FailedPrecondition("every client's history is a single day (T = 0): there is no time to learn from");
  }
  if (with_repeats == 0) {
    return Status::FailedPrecondition(
        "no client has a repeat purchase day (x = 0 for all): the purchase rate cannot be estimated");
  }
  return Status::Ok();
}

}  // namespace rkd
