// The store's side of issue 12's experiments: one running at a time (a partial unique
// index), every change of plan kept, and the results as one grouped read over the
// emails the variants wrote.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"

namespace rkd {
namespace {

using nlohmann::json;
using sql::RunOne;

std::string VariantsJson(const std::vector<ExperimentVariant>& variants) {
  json out = json::array();
  for (const ExperimentVariant& v : variants) out.push_back({{"message", v.message}, {"weight", v.weight}});
  return out.dump();
}

// The JSON columns are written only by this file; a row that does not parse is Internal.
Result<Experiment> ReadExperiment(const SqlRow& r) {
  Experiment e;
  e.experiment_id = r.Text(0);
  e.name = r.Text(1);
  e.message = r.Text(2);
  e.metric = r.Text(4);
  e.allocation = r.Text(5);
  e.min_recipients = r.Int(6);
  e.threshold = r.Real(7);
  e.planned_recipients = r.Int(8);
  e.status = r.Text(9);
  e.planned_at = r.Int(11);
  e.created_at = r.Int(12);
  e.created_by = r.Text(13);
  e.stopped_at = r.OptInt(14);
  if (auto v = r.OptInt(15)) e.promoted_variant = static_cast<int>(*v);
  try {
    for (const json& v : json::parse(r.Text(3)))
      e.variants.push_back({v.at("message").get<std::string>(), v.at("weight").get<double>()});
    e.weights = json::parse(r.Text(10)).get<std::vector<double>>();
  } catch (const json::exception& ex) {
    return Status::Internal("experiment " + e.experiment_id + " has unreadable variants: " + ex.what());
  }
  return e;
}

// Runs a query of experiment rows into `out`.
Status ReadExperiments(SqlTx& tx, const std::string& query, const SqlParams& params, std::vector<Experiment>* out) {
  Status bad = Status::Ok();
  Status st = RunOne(tx, query, params, [&](const SqlRow& r) {
    auto e = ReadExperiment(r);
    if (e.ok())
      out->push_back(std::move(e).value());
    else
      bad = e.status();
  });
  return st.ok() ? bad : st;
}

Status InsertAllocation(SqlTx& tx, const std::string& experiment_id, const ExperimentAllocation& a) {
  return RunOne(tx, "insert-experiment-allocation", {experiment_id, a.at, json(a.weights).dump(), a.reason}, nullptr);
}

}  // namespace

Status SqlStore::CreateExperiment(const Experiment& e) {
  return db_->Write([&](SqlTx& tx) -> Status {
    std::vector<Experiment> running;
    RKD_RETURN_IF_ERROR(ReadExperiments(tx, "running-experiment", {}, &running));
    // Checked first for a clear message; the unique index settles a race between processes.
    if (!running.empty())
      return Status::AlreadyExists(
          "experiment " + running[0].experiment_id + " (" + running[0].name + ") is running: stop it first", "status");
    auto inserted = tx.Run("insert-experiment", {e.experiment_id, e.name, e.message, VariantsJson(e.variants), e.metric,
                                                 e.allocation, e.min_recipients, e.threshold, e.planned_recipients,
                                                 json(e.weights).dump(), e.planned_at, e.created_at, e.created_by});
    if (!inserted.ok())
      return inserted.status().code() == Code::kAlreadyExists
                 ? Status::AlreadyExists("another experiment started at the same time", "status")
                 : inserted.status();
    return InsertAllocation(tx, e.experiment_id, {e.planned_at, e.weights, "start"});
  });
}

Result<Experiment> SqlStore::GetExperiment(const std::string& experiment_id) {
  std::vector<Experiment> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return ReadExperiments(tx, "get-experiment", {experiment_id}, &out);
  });
  if (!st.ok()) return st;
  if (out.empty()) return Status::NotFound("experiment " + experiment_id + " not found");
  return std::move(out[0]);
}

Result<std::vector<Experiment>> SqlStore::ListExperiments() {
  std::vector<Experiment> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return ReadExperiments(tx, "list-experiments", {}, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::optional<Experiment>> SqlStore::RunningExperiment() {
  std::vector<Experiment> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return ReadExperiments(tx, "running-experiment", {}, &out);
  });
  if (!st.ok()) return st;
  if (out.empty()) return std::optional<Experiment>();
  return std::optional<Experiment>(std::move(out[0]));
}

Status SqlStore::StopExperiment(const std::string& experiment_id) {
  return db_->Write([&](SqlTx& tx) -> Status {
    auto changed = tx.Run("stop-experiment", {experiment_id, clock_->Now()});
    if (!changed.ok()) return changed.status();
    if (*changed > 0) return Status::Ok();
    std::vector<Experiment> found;
    RKD_RETURN_IF_ERROR(ReadExperiments(tx, "get-experiment", {experiment_id}, &found));
    if (found.empty()) return Status::NotFound("experiment " + experiment_id + " not found");
    return Status::FailedPrecondition("experiment " + experiment_id + " is already stopped", "status");
  });
}

Result<bool> SqlStore::ReplanExperiment(const std::string& experiment_id, Millis planned_at,
                                        const ExperimentAllocation& allocation) {
  bool replanned = false;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    auto changed =
        tx.Run("replan-experiment", {experiment_id, json(allocation.weights).dump(), allocation.at, planned_at});
    if (!changed.ok()) return changed.status();
    replanned = *changed > 0;
    return replanned ? InsertAllocation(tx, experiment_id, allocation) : Status::Ok();
  });
  if (!st.ok()) return st;
  return replanned;
}

Status SqlStore::MarkPromoted(const std::string& experiment_id, int variant) {
  return db_->Write([&](SqlTx& tx) -> Status {
    auto changed = tx.Run("promote-experiment", {experiment_id, int64_t{variant}});
    if (!changed.ok()) return changed.status();
    return *changed > 0 ? Status::Ok() : Status::NotFound("experiment " + experiment_id + " not found");
  });
}

Result<std::vector<ExperimentAllocation>> SqlStore::ExperimentAllocations(const std::string& experiment_id) {
  std::vector<ExperimentAllocation> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunOne(tx, "list-experiment-allocations", {experiment_id}, [&](const SqlRow& r) {
      ExperimentAllocation a;
      a.at = r.Int(0);
      const json weights = json::parse(r.Text(1), nullptr, false);
      if (weights.is_array())
        for (const json& w : weights) a.weights.push_back(w.is_number() ? w.get<double>() : 0.0);
      a.reason = r.Text(2);
      out.push_back(std::move(a));
    });
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<ExperimentVariantTotals>> SqlStore::ExperimentTotals(const std::string& experiment_id,
                                                                        int variants) {
  std::vector<ExperimentVariantTotals> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.assign(static_cast<size_t>(std::max(variants, 0)), {});
    return RunOne(tx, "experiment-totals", {experiment_id}, [&](const SqlRow& r) {
      const int64_t v = r.Int(0);
      if (v < 0 || v >= variants) return;  // not a variant of this experiment: left out
      out[static_cast<size_t>(v)] = {r.Int(1), r.Int(2), r.Int(3), r.Real(4), r.Real(5)};
    });
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace rkd
