// An experiment on the win-back message (issue 12): two to five variants of the message
// under test, each a stored or built-in message; every email a journey step would write
// from that message is written from the client's variant instead. Variant 0 (A) is the
// message itself, the control. At most one experiment runs at a time; the holdout stays
// outside it (a held-out client is not emailed, so is in no variant).
//
// `weights` is the plan the pipeline assigns by (experiments/variant_assignment.h): the
// configured weights for a fixed allocation, the latest Thompson-sampling plan for a bandit
// (experiments/bandit_allocation.h), each change recorded as an ExperimentAllocation.
// Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace rkd {

struct ExperimentVariant {
  std::string message;  // a message name (domain/message.h)
  double weight = 1;    // as configured; a bandit starts from an even split
};

struct Experiment {
  std::string experiment_id;
  std::string name;
  std::string message;  // the message under test; variants[0].message
  std::vector<ExperimentVariant> variants;
  std::string metric = "conversion";   // conversion | click | revenue (per recipient)
  std::string allocation = "fixed";    // fixed | bandit
  int64_t min_recipients = 500;        // per variant, before a winner can be declared
  double threshold = 0.95;             // the probability of being best a winner needs at the end
  int64_t planned_recipients = 5'000;  // per variant: the horizon the stated error holds over
  std::string status = "running";      // running | stopped
  std::vector<double> weights;         // the current plan, one per variant, summing to 1
  Millis planned_at = 0;               // when `weights` was set
  Millis created_at = 0;
  std::string created_by;
  std::optional<Millis> stopped_at;
  std::optional<int> promoted_variant;

  bool Running() const { return status == "running"; }
};

// One change of plan: at the start, and at each bandit re-plan.
struct ExperimentAllocation {
  Millis at = 0;
  std::vector<double> weights;
  std::string reason;
};

// One variant's results so far: its recipients are the clients with a delivered email
// (SENT, OPENED, CLICKED), each counted once; clicks and conversions count clients too.
struct ExperimentVariantTotals {
  int64_t recipients = 0;
  int64_t clicks = 0;
  int64_t conversions = 0;
  double revenue_sum = 0;
  double revenue_sum_squares = 0;
};

}  // namespace rkd
