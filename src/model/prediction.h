// What each client gets from a fitted purchase model and spend model: P(alive), the churn
// probability over a horizon, expected purchases over it, the median time to the next
// purchase, the expected spend per purchase day and the predicted (discounted) value over a
// number of months. Batch form for whole shops: with BG/NBD the hypergeometric terms are
// computed once per distinct (x, T) (1,000,000 clients in ~0.2 s); with Pareto/NBD, whose
// P(alive), churn and median need 2F1 at each client's t_x, once per distinct (x, t_x, T)
// row (~2.4 s). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "model/gamma_gamma.h"
#include "model/purchase_model.h"
#include "model/rfm_summary.h"

namespace rkd {

// A month as CLV counts it: 365.25 / 12 days.
constexpr double kDaysPerMonth = 365.25 / 12;

struct PredictionOptions {
  double horizon = 90;  // churn and expected purchases over (T, T + horizon], in the model's unit
  int clv_months = 12;
  double monthly_discount_rate = 0.01;  // purchases in month m are worth 1 / (1 + rate)^m
};

struct ClientPrediction {
  double p_alive = 0;
  double churn_probability = 0;             // P(no purchase in the horizon)
  double expected_purchases = 0;            // over the horizon
  double median_time_to_next_purchase = 0;  // model unit; +inf when the client more likely never buys again
  // Σ_{m=1..months} (E[Y(m M)] - E[Y((m-1) M)]) / (1 + rate)^m, M one month in the model's
  // unit: expected purchase days, month by month, discounted to today.
  double discounted_purchases = 0;
  std::optional<double> expected_spend;   // per purchase day (Gamma-Gamma); absent without a spend model
  std::optional<double> predicted_value;  // discounted_purchases × expected_spend
};

// InvalidArgument when horizon is not positive, clv_months is negative or more than 1200,
// or the rate is not > -1.
Status CheckPredictionOptions(const PredictionOptions& options);

// Σ_{m=1..months} (E[Y(m M)] - E[Y((m-1) M)]) / (1 + rate)^m for one client.
double DiscountedExpectedPurchases(const PurchaseModel& model, const RfmSummary& row, int months,
                                   double monthly_discount_rate);

// The predictions of one client; as PredictClients. `spend` may be null.
ClientPrediction PredictClient(const PurchaseModel& model, const GammaGammaParams* spend, const RfmSummary& row,
                               const PredictionOptions& options);

// One prediction per client, in order. `spend` may be null (no spend model: no value).
// Errors: CheckPredictionOptions's.
Result<std::vector<ClientPrediction>> PredictClients(const PurchaseModel& model, const GammaGammaParams* spend,
                                                     std::span<const RfmSummary> clients,
                                                     const PredictionOptions& options);

}  // namespace rkd
