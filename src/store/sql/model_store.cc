// The store's side of the churn and value models (issue 11): clients' order histories
// page by page for the fit, the fits and the clients' predictions, and the clients' list
// sorted or filtered by churn probability. Reads are keyset pages; writes are one
// transaction per call.
#include <algorithm>

#include "store/cursor.h"
#include "store/list_query.h"
#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"
#include "store/sql/table_rows.h"

namespace rkd {
namespace {

using nlohmann::json;

ModelFitRecord ReadModelFit(const SqlRow& r) {
  ModelFitRecord f;
  f.fit_id = r.Text(0);
  f.model = r.Text(1);
  f.unit = r.Text(2);
  f.until = r.Int(3);
  f.params = r.Text(4);
  f.log_likelihood = r.Real(5);
  f.clients = r.Int(6);
  f.iterations = r.Int(7);
  f.seconds = r.Real(8);
  f.converged = r.Int(9) != 0;
  f.diagnostics = r.Text(10);
  f.fitted_at = r.Int(11);
  return f;
}

ClientPredictionRecord ReadPrediction(const SqlRow& r) {
  ClientPredictionRecord p;
  p.user_id = r.Text(0);
  p.fit_id = r.Text(1);
  p.p_alive = r.Real(2);
  p.churn_probability = r.Real(3);
  p.expected_orders = r.Real(4);
  p.next_order_at = r.OptInt(5);
  p.predicted_value = r.OptReal(6);
  p.computed_at = r.Int(7);
  return p;
}

SqlParams PredictionParams(const ClientPredictionRecord& p) {
  return {p.user_id,         p.fit_id,        p.p_alive,         p.churn_probability,
          p.expected_orders, p.next_order_at, p.predicted_value, p.computed_at};
}

}  // namespace

Result<std::vector<ClientOrders>> SqlStore::ScanClientOrders(const std::string& after_user_id, Millis until,
                                                             int limit) {
  limit = std::clamp(limit, 1, 10000);
  std::vector<ClientOrders> out;
  // One snapshot: the clients of the page and their orders agree.
  Status st = db_->ReadSnapshot([&](SqlTx& tx) -> Status {
    out.clear();
    auto r = tx.Run("scan-model-clients", {after_user_id, until, int64_t{limit}}, [&](const SqlRow& row) {
      out.push_back(ClientOrders{row.Text(0), row.Text(1), {}});
    });
    if (!r.ok()) return r.status();
    if (out.empty()) return Status::Ok();
    size_t i = 0;
    r = tx.Run("scan-model-orders", {after_user_id, out.back().user_id}, [&](const SqlRow& row) {
      const std::string user_id = row.Text(0);
      // Orders of clients the page skipped (only orders after `until`) fall between.
      while (i < out.size() && out[i].user_id < user_id) ++i;
      if (i < out.size() && out[i].user_id == user_id) out[i].orders.emplace_back(row.Int(1), row.Real(2));
    });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

Status SqlStore::SaveModelFit(const ModelFitRecord& f) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r =
        tx.Run("insert-model-fit", {f.fit_id, f.model, f.unit, f.until, f.params, f.log_likelihood, f.clients,
                                    f.iterations, f.seconds, int64_t{f.converged ? 1 : 0}, f.diagnostics, f.fitted_at});
    if (r.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("fit " + f.fit_id + " already exists", "fitId");
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<std::optional<ModelFitRecord>> SqlStore::LatestModelFit() {
  std::optional<ModelFitRecord> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.reset();
    return sql::RunOne(tx, "latest-model-fit", {}, [&](const SqlRow& r) { out = ReadModelFit(r); });
  });
  if (!st.ok()) return st;
  return out;
}

Status SqlStore::SavePredictions(const std::vector<ClientPredictionRecord>& rows) {
  if (rows.empty()) return Status::Ok();
  std::vector<SqlParams> params;
  params.reserve(rows.size());
  for (const ClientPredictionRecord& p : rows) params.push_back(PredictionParams(p));
  return db_->Write([&](SqlTx& tx) -> Status {
    auto r = tx.RunBatch("upsert-prediction", params);
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<int64_t> SqlStore::DeletePredictionsNotOf(const std::string& fit_id) {
  int64_t deleted = 0;
  Status st = db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("delete-predictions-not-of", {fit_id});
    if (!r.ok()) return r.status();
    deleted = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return deleted;
}

Result<std::vector<ClientPredictionRecord>> SqlStore::PredictionsOf(const std::vector<std::string>& user_ids) {
  std::vector<ClientPredictionRecord> out;
  if (user_ids.empty()) return out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return sql::RunInto(tx, "predictions-of", {sql::IdArray(user_ids)}, ReadPrediction, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<ClientPredictionRecord>> SqlStore::PredictionsBetween(const std::string& after_user_id,
                                                                         const std::string& last_user_id) {
  std::vector<ClientPredictionRecord> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return sql::RunInto(tx, "predictions-between", {after_user_id, last_user_id}, ReadPrediction, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<Page<User>> SqlStore::ListUsersByChurn(const UserQuery& q) {
  const int limit = ClampLimit(q.limit);
  UserQuery sorted = q;
  sorted.sort = UserSort::kChurnProbability;  // minChurnProbability alone lists by churn too
  auto cursor = DecodeUserCursor(sorted);
  if (!cursor.ok()) return cursor.status();
  const json& after = *cursor;
  SqlParams p{q.score_below, q.search.empty() ? std::nullopt : std::optional<std::string>(ContainsPattern(q.search))};
  if (after.is_null())
    p.insert(p.end(), {std::nullopt, std::nullopt});
  else
    p.insert(p.end(), {after["k"].get<double>(), after["i"].get<std::string>()});
  p.emplace_back(int64_t{limit + 1});
  p.emplace_back(q.min_churn_probability);
  std::vector<User> rows;
  std::vector<double> churn;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    rows.clear();
    churn.clear();
    auto r = tx.Run(q.descending ? "list-users-churn-desc" : "list-users-churn-asc", p, [&](const SqlRow& row) {
      rows.push_back(ReadUser(row));
      churn.push_back(row.Real(15));
    });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  Page<User> page{std::move(rows), {}};
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    const size_t last = static_cast<size_t>(limit) - 1;
    page.next_cursor = EncodeCursor({{"s", SortName(UserSort::kChurnProbability)},
                                     {"d", q.descending},
                                     {"k", churn[last]},
                                     {"i", page.items[last].user_id}});
  }
  return page;
}

}  // namespace rkd
