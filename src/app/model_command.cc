#include "app/model_command.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "app/components.h"
#include "base/log.h"

namespace rkd {
namespace {

int Fail(const Status& st) {
  std::cerr << "rekindle: " << st.message() << "\n";
  return st.code() == Code::kInvalidArgument ? 2 : 1;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvNumber(double v) {
  if (!std::isfinite(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The options the command line names, over the settings' defaults.
Result<ModelRunOptions> OptionsOf(const Config& config, const ModelArgs& a, Millis now) {
  ModelRunOptions o = ModelOptionsFromConfig(config, now);
  if (!a.until.empty()) {
    auto until = ParseRfc3339(a.until);
    if (!until) return Status::InvalidArgument("--until: " + a.until + " is not a date (YYYY-MM-DD)", "until");
    o.until = *until;
  }
  auto unit = ParseTimeUnit(a.unit);
  if (!unit) return Status::InvalidArgument("--unit must be days or weeks", "unit");
  o.unit = *unit;
  auto kind = ParseModelKind(a.model);
  if (!kind) return Status::InvalidArgument("--model must be bgnbd or paretonbd", "model");
  o.kind = *kind;
  if (!a.horizon.empty()) {
    auto horizon = ParseHorizon(a.horizon, "horizon");
    if (!horizon.ok()) return Status::InvalidArgument("--" + horizon.status().message(), "horizon");
    o.horizon_days = *horizon;
  }
  return o;
}

void AddCommonOptions(CLI::App* cmd, ModelArgs& a) {
  cmd->add_option("--until", a.until, "The last day of the history fitted on (YYYY-MM-DD; default: today)");
  cmd->add_option("--unit", a.unit, "The model's time unit: days or weeks (default: weeks)")
      ->check(CLI::IsMember({"days", "weeks"}));
  cmd->add_option("--model", a.model, "bgnbd or paretonbd (default: bgnbd)")
      ->check(CLI::IsMember({"bgnbd", "paretonbd"}));
}

int RunFit(const Config& config, Store& store, const Clock& clock, const ModelRunOptions& o) {
  // One fit at a time across the processes sharing the store (the API's included).
  ModelRunner runner(store, clock, MakeLeaderLock(config, kModelRole));
  auto fit = runner.TryFit(o);
  if (!fit.ok()) return Fail(fit.status());
  nlohmann::json out = FitRecordJson(fit->record);
  out["parameters"] = out["params"];
  out["spendParameters"] = out["spendParams"];
  out.erase("params");
  out.erase("spendParams");
  out["predictions"] = fit->predictions;
  LogInfo("model fitted", {{"fitId", fit->record.fit_id},
                           {"model", fit->record.model},
                           {"clients", fit->clients},
                           {"logLikelihood", fit->record.log_likelihood},
                           {"seconds", fit->record.seconds}});
  std::cout << out.dump(2) << "\n";
  return 0;
}

int RunPredict(Store& store, const ModelRunOptions& o, Millis now, const std::string& path) {
  auto fit = FitStoreModel(store, o, now);
  if (!fit.ok()) return Fail(fit.status());
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!path.empty() && path != "-") {
    file.open(path, std::ios::trunc);
    if (!file) return Fail(Status::InvalidArgument("cannot write " + path + ": " + std::strerror(errno), "out"));
    out = &file;
  }
  *out << "externalId,userId,x,t_x,T,pAlive,churnProbability,expectedOrders,predictedValue\n";
  int64_t rows = 0;
  Status st = PredictStoreClients(*fit, o, [&](const std::vector<ClientModelRow>& page) {
    for (const ClientModelRow& r : page) {
      const ClientPrediction& p = r.prediction;
      *out << CsvField(r.external_id) << ',' << CsvField(r.user_id) << ',' << CsvNumber(r.summary.x) << ','
           << CsvNumber(r.summary.t_x) << ',' << CsvNumber(r.summary.T) << ',' << CsvNumber(p.p_alive) << ','
           << CsvNumber(p.churn_probability) << ',' << CsvNumber(p.expected_purchases) << ','
           << (p.predicted_value ? CsvNumber(*p.predicted_value) : "") << '\n';
    }
    rows += static_cast<int64_t>(page.size());
    return *out ? Status::Ok() : Status::Internal("cannot write the predictions");
  });
  if (!st.ok()) return Fail(st);
  out->flush();
  if (!*out) return Fail(Status::Internal("cannot write the predictions"));
  std::cerr << "rekindle: " << rows << " clients predicted (" << fit->record.model << ", " << fit->record.unit
            << ", horizon " << CsvNumber(o.horizon_days) << " days)\n";
  return 0;
}

}  // namespace

ModelRunOptions ModelOptionsFromConfig(const Config& config, Millis now) {
  ModelRunOptions o;
  o.until = now;
  o.horizon_days = config.churn_horizon_days;
  o.clv_months = config.clv_months;
  o.monthly_discount = config.clv_monthly_discount;
  o.min_clients = config.model_min_clients;
  o.min_history_days = config.model_min_history_days;
  return o;
}

Result<double> ParseHorizon(const std::string& text, const std::string& field) {
  const std::string why = field + " must be a whole number of days or weeks from 1 to 3650 days, as 90d or 13w";
  if (text.empty() || text.size() > 8) return Status::InvalidArgument(why, field);
  std::string digits = text;
  double per = 1;
  if (digits.back() == 'd' || digits.back() == 'w') {
    per = digits.back() == 'w' ? 7 : 1;
    digits.pop_back();
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    return Status::InvalidArgument(why, field);
  const double days = std::stod(digits) * per;
  if (days < 1 || days > 3650) return Status::InvalidArgument(why, field);
  return days;
}

CLI::App* AddModelCommand(CLI::App& app, ModelArgs& a) {
  auto* cmd = app.add_subcommand("model", "Churn and value models: fit them on the order history, or predict");
  cmd->require_subcommand(1);
  auto* fit = cmd->add_subcommand(
      "fit",
      "Fit the purchase and spend models on the history, store the fit and every client's prediction, and "
      "print the fit (JSON)");
  AddCommonOptions(fit, a);
  auto* predict = cmd->add_subcommand(
      "predict", "Fit on the history and write every client's prediction over a horizon as CSV (stores nothing)");
  AddCommonOptions(predict, a);
  predict->add_option("--horizon", a.horizon, "The churn and expected orders' horizon: N days or weeks (90d, 13w)")
      ->required();
  predict->add_option("--out", a.out, "Where to write the CSV (default, or -: standard output)");
  predict->callback([&a] { a.predict = true; });
  return cmd;
}

int RunModelCommand(const Config& config, const ModelArgs& a) {
  SystemClock clock;
  const Millis now = clock.Now();
  auto options = OptionsOf(config, a, now);
  if (!options.ok()) return Fail(options.status());
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  return a.predict ? RunPredict(**store, *options, now, a.out) : RunFit(config, **store, clock, *options);
}

}  // namespace rkd
