#include "experiments/variant_assignment.h"

#include <cmath>

namespace rkd {
namespace {

constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t FnvAppend(uint64_t h, std::string_view bytes) {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

// splitmix64's finalizer (Steele, Lea & Flood 2014): every input bit affects every output bit.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Status ValidateVariantWeights(const std::vector<double>& weights) {
  if (weights.empty()) return Status::InvalidArgument("an experiment needs at least one variant weight", "weights");
  double sum = 0;
  for (const double w : weights) {
    if (!std::isfinite(w) || w < 0) {
      return Status::InvalidArgument("variant weights must be finite and not negative", "weights");
    }
    sum += w;
  }
  if (!(sum > 0) || !std::isfinite(sum)) {
    return Status::InvalidArgument("at least one variant weight must be positive", "weights");
  }
  return Status::Ok();
}

uint64_t VariantHash(std::string_view experiment_id, std::string_view user_id) {
  uint64_t h = FnvAppend(kFnvOffsetBasis, experiment_id);
  h = FnvAppend(h, ":");
  h = FnvAppend(h, user_id);
  return Mix64(h);
}

int AssignVariant(std::string_view experiment_id, std::string_view user_id, const std::vector<double>& weights) {
  if (!ValidateVariantWeights(weights).ok()) return -1;
  double total = 0;
  for (const double w : weights) total += w;
  // The top 53 bits as a double in [0, 1): exact, and uniform to double precision.
  const double u = static_cast<double>(VariantHash(experiment_id, user_id) >> 11) * 0x1.0p-53;
  const double target = u * total;
  double cumulative = 0;
  int last_positive = -1;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    cumulative += weights[i];
    last_positive = static_cast<int>(i);
    if (target < cumulative) return last_positive;
  }
  return last_positive;  // rounding put target at the very top: the last variant that can be chosen
}

}  // namespace rkd
