// The store's side of issue 17's shop webhooks: deliveries recorded once per platform
// delivery id, claimed under a lease by whichever process applies them, and finished;
// and an order found by the shop's number (a deletion names nothing else).
#include <algorithm>
#include <tuple>

#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"
#include "store/sql/table_rows.h"

namespace rkd {
namespace {

HookDelivery ReadHookDelivery(const SqlRow& r) {
  HookDelivery d;
  d.hook_id = r.Text(0);
  d.source = r.Text(1);
  d.delivery_id = r.Text(2);
  d.topic = r.Text(3);
  d.body = r.Text(4);
  d.received_at = r.Int(5);
  d.status = r.Text(6);
  d.attempts = r.Int(7);
  d.error = r.Text(8);
  d.applied_at = r.OptInt(9);
  return d;
}

}  // namespace

Result<bool> SqlStore::RecordHookDelivery(const HookDelivery& d) {
  int64_t inserted = 0;
  Status st = db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("record-hook-delivery", {d.hook_id, d.source, d.delivery_id, d.topic, d.body, d.received_at});
    if (!r.ok()) return r.status();
    inserted = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return inserted > 0;
}

Result<std::vector<HookDelivery>> SqlStore::ClaimHookDeliveries(Millis lease, int limit) {
  std::vector<HookDelivery> claimed;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    claimed.clear();
    const Millis now = clock_->Now();
    auto r = tx.Run("claim-hook-deliveries", {now, now + lease, int64_t{std::clamp(limit, 1, 1000)}},
                    [&](const SqlRow& row) { claimed.push_back(ReadHookDelivery(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  // RETURNING gives the rows in no stated order: apply them as they were received.
  std::sort(claimed.begin(), claimed.end(), [](const HookDelivery& a, const HookDelivery& b) {
    return std::tie(a.received_at, a.hook_id) < std::tie(b.received_at, b.hook_id);
  });
  return claimed;
}

Status SqlStore::FinishHookDelivery(const std::string& hook_id, const std::string& status, const std::string& error) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    std::optional<Millis> applied_at;
    if (status != "pending") applied_at = clock_->Now();
    auto r = tx.Run("finish-hook-delivery", {hook_id, status, error, applied_at});
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<std::vector<HookDelivery>> SqlStore::ListHookDeliveries(const std::string& source, int limit) {
  std::vector<HookDelivery> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.clear();
    auto r = tx.Run("list-hook-deliveries", {source, int64_t{std::clamp(limit, 1, 500)}},
                    [&](const SqlRow& row) { out.push_back(ReadHookDelivery(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

Result<Order> SqlStore::GetOrderByExternalId(const std::string& external_id) {
  std::optional<Order> order;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    auto r = tx.Run("get-order-by-external-id", {external_id}, [&](const SqlRow& row) { order = ReadOrder(row); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  if (!order) return Status::NotFound("no order has externalId " + external_id, "externalId");
  return std::move(*order);
}

}  // namespace rkd
