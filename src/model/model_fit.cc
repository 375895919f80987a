#include "model/model_fit.h"

#include <limits>

namespace rkd {

const char* ModelKindName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kBgNbd:
      return "bgnbd";
    case ModelKind::kParetoNbd:
      return "paretonbd";
  }
  return "bgnbd";
}

std::optional<ModelKind> ParseModelKind(std::string_view name) {
  if (name == "bgnbd") return ModelKind::kBgNbd;
  if (name == "paretonbd") return ModelKind::kParetoNbd;
  return std::nullopt;
}

double FitResult::Param(std::string_view name) const {
  for (const NamedParam& p : params) {
    if (p.name == name) return p.value;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace rkd
