// Variant assignment for experiments: a client is put in a variant by a stable hash of the
// experiment and the client, so the same client always gets the same variant of the same
// experiment, in every process and every run, with no state to store or share.
//
// The hash is 64-bit FNV-1a over the bytes of `experiment_id + ':' + user_id`, finished by
// splitmix64's mixer (FNV-1a alone spreads short, similar ids poorly in its high bits). It
// is defined on bytes, so it is the same on every platform and compiler (unlike std::hash).
// It is not SHA-256 on purpose: assignment needs uniformity and stability, not collision
// resistance (a client cannot choose their id to pick a variant, and nothing is gained if
// they could), and it runs once per email in the pipeline, where a few nanoseconds and no
// libcrypto dependency matter. The proportions it gives are tested on 100,000 ids.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rkd {

// InvalidArgument (field "weights") unless `weights` is non-empty and every weight is
// finite and >= 0 with a positive sum.
Status ValidateVariantWeights(const std::vector<double>& weights);

// The 64-bit hash of `experiment_id + ':' + user_id` described above.
uint64_t VariantHash(std::string_view experiment_id, std::string_view user_id);

// The variant (an index into `weights`) for this client: the hash mapped to u in [0, 1)
// falls in variant i's share of the cumulative normalized weights. A zero weight is never
// chosen. Returns -1 when the weights are invalid (see ValidateVariantWeights, which says
// why); a caller validates an experiment's weights once, when it is created.
int AssignVariant(std::string_view experiment_id, std::string_view user_id, const std::vector<double>& weights);

}  // namespace rkd
