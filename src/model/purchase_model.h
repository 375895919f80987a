// A fitted purchase model of either kind (BG/NBD or Pareto/NBD) behind one set of
// functions, for the code that fits, stores and predicts without caring which was chosen
// (`rekindle model fit --model bgnbd|paretonbd`). Value type; pure functions; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "base/status.h"
#include "model/bg_nbd.h"
#include "model/model_fit.h"
#include "model/pareto_nbd.h"
#include "model/rfm_summary.h"

namespace rkd {

struct PurchaseModel {
  ModelKind kind = ModelKind::kBgNbd;
  TimeUnit unit = TimeUnit::kDays;  // of t_x, T, horizons and the rate parameters
  BgNbdParams bgnbd;                // read when kind == kBgNbd
  ParetoNbdParams paretonbd;        // read when kind == kParetoNbd
};

struct PurchaseModelFit {
  PurchaseModel model;
  FitResult result;
};

// Fits `kind` on rows summarized in `unit`. Errors: the model's Fit errors.
Result<PurchaseModelFit> FitPurchaseModel(ModelKind kind, TimeUnit unit, std::span<const RfmSummary> rows,
                                          const FitOptions& options = {});

// Rebuilds a model from stored named parameters (FitResult::params). InvalidArgument when
// a parameter is missing or not a positive finite number.
Result<PurchaseModel> PurchaseModelFromParams(ModelKind kind, TimeUnit unit, const std::vector<NamedParam>& params);

// The model's named parameters, as FitResult::params lists them.
std::vector<NamedParam> PurchaseModelParams(const PurchaseModel& model);

// The per-client predictions of bg_nbd.h / pareto_nbd.h for the model's kind; t in the
// model's unit.
double PAlive(const PurchaseModel& model, const RfmSummary& row);
double ExpectedPurchases(const PurchaseModel& model, const RfmSummary& row, double t);
double ChurnProbability(const PurchaseModel& model, const RfmSummary& row, double t);
double MedianTimeToNextPurchase(const PurchaseModel& model, const RfmSummary& row);  // +inf: none

}  // namespace rkd
