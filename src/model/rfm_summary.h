// The (x, t_x, T) summary BTYD models are fitted on, built from a client's orders, and the
// compression of many clients into distinct rows with weights. Pure functions; thread-safe.
//
// Purchases are counted in UTC calendar days, as in the CDNOW data the models were
// published on: orders on the same day are one purchase (their values summed), and the
// first purchase day is the start of the client's history, not a repeat purchase.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace rkd {

// The time unit of t_x and T (and so of the fitted rate parameters).
enum class TimeUnit { kDays, kWeeks };
double DaysPerUnit(TimeUnit unit);  // 1 or 7

struct RfmSummary {
  double x = 0;         // repeat purchase days (purchase days after the first)
  double t_x = 0;       // first purchase day to last purchase day; 0 when x = 0
  double T = 0;         // first purchase day to the last calibration day
  double monetary = 0;  // mean value of the repeat purchase days (major units); 0 when x = 0
  int64_t weight = 1;   // how many clients share this row (Compress)
};

struct DatedOrder {
  Millis at = 0;            // UTC
  int64_t value_cents = 0;  // the order's total value in minor units
};

// The summary of one client's orders up to and including the UTC calendar day that
// contains `until` (orders after it are ignored), in `unit`. monetary is in major units
// (cents / 100). nullopt when the client has no order up to then. Orders need not be sorted.
std::optional<RfmSummary> SummarizeOrders(std::span<const DatedOrder> orders, Millis until, TimeUnit unit);

// Distinct (x, t_x, T) rows, weights summed, sorted by (x, t_x, T); monetary is dropped
// (set to 0): the purchase models do not read it. Rows with weight 0 are left out.
std::vector<RfmSummary> Compress(std::span<const RfmSummary> rows);

// Whether a purchase model can be fitted on `rows`, checked before any optimizer runs so
// that bad or degenerate data get a message instead of NaN parameters:
// InvalidArgument for a malformed row (x not a non-negative whole number, t_x outside
// [0, T], x = 0 with t_x > 0, a non-finite value, a negative weight) or no clients at all;
// FailedPrecondition when every history is a single day (T = 0 for all) or nobody has a
// repeat purchase day (x = 0 for all), as then no purchase rate can be estimated.
Status CheckFittable(std::span<const RfmSummary> rows);

}  // namespace rkd
