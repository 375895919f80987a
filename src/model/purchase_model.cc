#include "model/purchase_model.h"

#include <cmath>

namespace rkd {

Result<PurchaseModelFit> FitPurchaseModel(ModelKind kind, TimeUnit unit, std::span<const RfmSummary> rows,
                                          const FitOptions& options) {
  PurchaseModelFit out;
  out.model.kind = kind;
  out.model.unit = unit;
  if (kind == ModelKind::kBgNbd) {
    Result<BgNbdFit> fit = FitBgNbd(rows, options);
    if (!fit.ok()) return fit.status();
    out.model.bgnbd = fit->params;
    out.result = std::move(fit->result);
  } else {
    Result<ParetoNbdFit> fit = FitParetoNbd(rows, options);
    if (!fit.ok()) return fit.status();
    out.model.paretonbd = fit->params;
    out.result = std::move(fit->result);
  }
  return out;
}

Result<PurchaseModel> PurchaseModelFromParams(ModelKind kind, TimeUnit unit, const std::vector<NamedParam>& params) {
  PurchaseModel m;
  m.kind = kind;
  m.unit = unit;
  const auto get = [&params](const char* name, double* out) -> Status {
    for (const NamedParam& p : params) {
      if (p.name != name) continue;
      if (!std::isfinite(p.value) || p.value <= 0) {
        return Status::InvalidArgument(std::string("parameter ") + name + " must be a positive number", name);
      }
      *out = p.value;
      return Status::Ok();
    }
    return Status::InvalidArgument(std::string("parameter ") + name + " is missing", name);
  };
  if (kind == ModelKind::kBgNbd) {
    RKD_RETURN_IF_ERROR(get("r", &m.bgnbd.r));
    RKD_RETURN_IF_ERROR(get("alpha", &m.bgnbd.alpha));
    RKD_RETURN_IF_ERROR(get("a", &m.bgnbd.a));
    RKD_RETURN_IF_ERROR(get("b", &m.bgnbd.b));
  } else {
    RKD_RETURN_IF_ERROR(get("r", &m.paretonbd.r));
    RKD_RETURN_IF_ERROR(get("alpha", &m.paretonbd.alpha));
    RKD_RETURN_IF_ERROR(get("s", &m.paretonbd.s));
    RKD_RETURN_IF_ERROR(get("beta", &m.paretonbd.beta));
  }
  return m;
}

std::vector<NamedParam> PurchaseModelParams(const PurchaseModel& m) {
  if (m.kind == ModelKind::kBgNbd) {
    return {{"r", m.bgnbd.r}, {"alpha", m.bgnbd.alpha}, {"a", m.bgnbd.a}, {"b", m.bgnbd.b}};
  }
  return {{"r", m.paretonbd.r}, {"alpha", m.paretonbd.alpha}, {"s", m.paretonbd.s}, {"beta", m.paretonbd.beta}};
}

double PAlive(const PurchaseModel& m, const RfmSummary& row) {
  return m.kind == ModelKind::kBgNbd ? BgNbdPAlive(m.bgnbd, row) : ParetoNbdPAlive(m.paretonbd, row);
}

double ExpectedPurchases(const PurchaseModel& m, const RfmSummary& row, double t) {
  return m.kind == ModelKind::kBgNbd ? BgNbdExpectedPurchases(m.bgnbd, row, t)
                                     : ParetoNbdExpectedPurchases(m.paretonbd, row, t);
}

double ChurnProbability(const PurchaseModel& m, const RfmSummary& row, double t) {
  return m.kind == ModelKind::kBgNbd ? BgNbdChurnProbability(m.bgnbd, row, t)
                                     : ParetoNbdChurnProbability(m.paretonbd, row, t);
}

double MedianTimeToNextPurchase(const PurchaseModel& m, const RfmSummary& row) {
  return m.kind == ModelKind::kBgNbd ? BgNbdMedianTimeToNextPurchase(m.bgnbd, row)
                                     : ParetoNbdMedianTimeToNextPurchase(m.paretonbd, row);
}

}  // namespace rkd
