#include "model/prediction.h"

#include <cmath>
#include <functional>
#include <tuple>
#include <unordered_map>

namespace rkd {
namespace {

// The parts of a prediction that depend on (x, T) alone: E[Y(t)] / P(alive) over the
// horizon, and the discounted monthly sum of the same.
struct IfAlive {
  double expected = 0;
  double discounted = 0;
};

double ExpectedIfAlive(const PurchaseModel& m, double x, double T, double t) {
  return m.kind == ModelKind::kBgNbd ? BgNbdExpectedPurchasesIfAlive(m.bgnbd, x, T, t)
                                     : ParetoNbdExpectedPurchasesIfAlive(m.paretonbd, x, T, t);
}

double MonthInUnit(const PurchaseModel& m) { return kDaysPerMonth / DaysPerUnit(m.unit); }

double DiscountedIfAlive(const PurchaseModel& m, double x, double T, int months, double rate) {
  const double month = MonthInUnit(m);
  double sum = 0, before = 0, discount = 1;
  for (int k = 1; k <= months; ++k) {
    discount /= 1 + rate;
    const double upto = ExpectedIfAlive(m, x, T, k * month);
    sum += discount * (upto - before);
    before = upto;
  }
  return sum;
}

IfAlive ComputeIfAlive(const PurchaseModel& m, double x, double T, const PredictionOptions& o) {
  return {ExpectedIfAlive(m, x, T, o.horizon), DiscountedIfAlive(m, x, T, o.clv_months, o.monthly_discount_rate)};
}

ClientPrediction Assemble(const GammaGammaParams* spend, const RfmSummary& row, double p_alive, double churn,
                          double median, const IfAlive& if_alive) {
  ClientPrediction out;
  out.p_alive = p_alive;
  out.churn_probability = churn;
  out.expected_purchases = p_alive * if_alive.expected;
  out.median_time_to_next_purchase = median;
  out.discounted_purchases = p_alive * if_alive.discounted;
  if (spend != nullptr) {
    out.expected_spend = GammaGammaExpectedAverageSpend(*spend, row.x, row.monetary);
    out.predicted_value = out.discounted_purchases * *out.expected_spend;
  }
  return out;
}

struct KeyHash {
  size_t operator()(const std::pair<double, double>& k) const {
    return std::hash<double>()(k.first) * 0x9E3779B97F4A7C15ULL ^ std::hash<double>()(k.second);
  }
  size_t operator()(const std::tuple<double, double, double>& k) const {
    return (std::hash<double>()(std::get<0>(k)) * 0x9E3779B97F4A7C15ULL ^ std::hash<double>()(std::get<1>(k))) *
               0xC2B2AE3D27D4EB4FULL ^
           std::hash<double>()(std::get<2>(k));
  }
};

}  // namespace

Status CheckPredictionOptions(const PredictionOptions& o) {
  if (!(o.horizon > 0) || !std::isfinite(o.horizon)) {
    return Status::InvalidArgument("the horizon must be a positive number of time units", "horizon");
  }
  if (o.clv_months < 0 || o.clv_months > 1200) {
    return Status::InvalidArgument("the value's months must lie in [0, 1200]", "clv_months");
  }
  if (!(o.monthly_discount_rate > -1) || !std::isfinite(o.monthly_discount_rate)) {
    return Status::InvalidArgument("the monthly discount rate must be greater than -1", "monthly_discount_rate");
  }
  return Status::Ok();
}

double DiscountedExpectedPurchases(const PurchaseModel& model, const RfmSummary& row, int months,
                                   double monthly_discount_rate) {
  return PAlive(model, row) * DiscountedIfAlive(model, row.x, row.T, months, monthly_discount_rate);
}

ClientPrediction PredictClient(const PurchaseModel& model, const GammaGammaParams* spend, const RfmSummary& row,
                               const PredictionOptions& options) {
  return Assemble(spend, row, PAlive(model, row), ChurnProbability(model, row, options.horizon),
                  MedianTimeToNextPurchase(model, row), ComputeIfAlive(model, row.x, row.T, options));
}

Result<std::vector<ClientPrediction>> PredictClients(const PurchaseModel& model, const GammaGammaParams* spend,
                                                     std::span<const RfmSummary> clients,
                                                     const PredictionOptions& options) {
  RKD_RETURN_IF_ERROR(CheckPredictionOptions(options));
  std::vector<ClientPrediction> out;
  out.reserve(clients.size());
  // The hypergeometric (BG/NBD) terms once per distinct (x, T); for Pareto/NBD, whose
  // P(alive), churn and median each need 2F1 at the client's own t_x, once per distinct row.
  std::unordered_map<std::pair<double, double>, IfAlive, KeyHash> by_x_T;
  struct Row {
    double p_alive, churn, median;
  };
  std::unordered_map<std::tuple<double, double, double>, Row, KeyHash> by_row;
  for (const RfmSummary& c : clients) {
    auto [it, fresh] = by_x_T.try_emplace({c.x, c.T});
    if (fresh) it->second = ComputeIfAlive(model, c.x, c.T, options);
    if (model.kind == ModelKind::kBgNbd) {
      out.push_back(Assemble(spend, c, BgNbdPAlive(model.bgnbd, c),
                             BgNbdChurnProbability(model.bgnbd, c, options.horizon),
                             BgNbdMedianTimeToNextPurchase(model.bgnbd, c), it->second));
    } else {
      auto [rit, rfresh] = by_row.try_emplace({c.x, c.t_x, c.T});
      if (rfresh) {
        rit->second = {ParetoNbdPAlive(model.paretonbd, c),
                       ParetoNbdChurnProbability(model.paretonbd, c, options.horizon),
                       ParetoNbdMedianTimeToNextPurchase(model.paretonbd, c)};
      }
      out.push_back(Assemble(spend, c, rit->second.p_alive, rit->second.churn, rit->second.median, it->second));
    }
  }
  return out;
}

}  // namespace rkd
