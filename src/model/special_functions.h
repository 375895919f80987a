// Boost.Math's special functions as the models use them: one policy, under which a domain
// error, pole, overflow or failed series gives NaN or ±inf instead of throwing, so that a
// bad optimizer step is rejected by the finiteness checks rather than unwinding through
// NLopt's C code. Pure functions; thread-safe (unlike std::lgamma, which writes signgam).
#pragma once

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>

namespace rkd::model_math {

using NoThrowPolicy =
    boost::math::policies::policy<boost::math::policies::domain_error<boost::math::policies::ignore_error>,
                                  boost::math::policies::pole_error<boost::math::policies::ignore_error>,
                                  boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
                                  boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
                                  boost::math::policies::promote_double<false>>;

inline double LogGamma(double x) { return boost::math::lgamma(x, NoThrowPolicy()); }
inline double Digamma(double x) { return boost::math::digamma(x, NoThrowPolicy()); }

// Gauss's 2F1(a, b; c; z) for |z| < 1.
inline double Hyp2F1(double a, double b, double c, double z) {
  return boost::math::hypergeometric_pFq({a, b}, {c}, z, static_cast<double*>(nullptr), NoThrowPolicy());
}

}  // namespace rkd::model_math
