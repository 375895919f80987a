// Draws from the posteriors the experiments use (Beta for a rate, normal for a mean), on a
// generator whose sequence is fixed by the C++ standard (std::mt19937_64) and with our own
// transformations (Marsaglia's polar method, Marsaglia & Tsang's gamma), so a seed gives the
// same figures with every standard library, unlike std::normal_distribution and
// std::gamma_distribution, whose algorithms are unspecified. Not thread-safe: one per thread
// or per call.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace rkd {

class PosteriorRng {
 public:
  explicit PosteriorRng(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1), 53 bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  // Standard normal (Marsaglia's polar method; the second value of each pair is kept).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2 * Uniform() - 1;
      v = 2 * Uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double f = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

  // Gamma(shape, 1) for shape > 0 (Marsaglia & Tsang 2000; shape < 1 by boosting to shape + 1).
  double Gamma(double shape) {
    if (shape < 1) {
      const double u = Uniform();
      return Gamma(shape + 1) * std::pow(u > 0 ? u : 0x1.0p-53, 1 / shape);
    }
    const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
    while (true) {
      double x, v;
      do {
        x = Normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = Uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (u > 0 && std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
    }
  }

  // Beta(a, b) for a, b > 0, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
  double Beta(double a, double b) {
    const double x = Gamma(a), y = Gamma(b);
    return x / (x + y);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace rkd
