// `rekindle model fit` and `rekindle model predict` (issue 11): the command line's side
// of pipeline/model_runner.h.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "app/config.h"
#include "pipeline/model_runner.h"

namespace rkd {

struct ModelArgs {
  std::string until;            // YYYY-MM-DD or RFC 3339; empty: now
  std::string unit = "weeks";   // days | weeks
  std::string model = "bgnbd";  // bgnbd | paretonbd
  std::string horizon;          // predict: N d|w (empty: RKD_CHURN_HORIZON_DAYS)
  std::string out;              // predict: the CSV's file; empty or -: standard output
  bool predict = false;         // `model predict` ran (else `model fit`)
};

// Adds `model` with its two subcommands to `app`; returns `model` (parsed() says it ran).
CLI::App* AddModelCommand(CLI::App& app, ModelArgs& args);
int RunModelCommand(const Config& config, const ModelArgs& args);

// The fit's options from the settings (RKD_CHURN_HORIZON_DAYS, RKD_CLV_*, RKD_MODEL_MIN_*),
// until `now`, BG/NBD in weeks.
ModelRunOptions ModelOptionsFromConfig(const Config& config, Millis now);

// "90d", "13w", "90" (days): the horizon in days. InvalidArgument (field `field`) otherwise.
Result<double> ParseHorizon(const std::string& text, const std::string& field);

}  // namespace rkd
