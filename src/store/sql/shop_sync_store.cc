// The store's side of issue 17's reconciliation: one row per platform (shop_syncs),
// begun under a lease so that one process at a time syncs a platform, saved after each
// page (its cursors and progress), listed for the dashboard.
#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"

namespace rkd {
namespace {

ShopSyncState ReadShopSync(const SqlRow& r) {
  ShopSyncState s;
  s.source = r.Text(0);
  s.status = r.Text(1);
  s.trigger = r.Text(2);
  s.started_at = r.OptInt(3);
  s.finished_at = r.OptInt(4);
  s.last_success_at = r.OptInt(5);
  s.lease_until = r.OptInt(6);
  s.error = r.Text(7);
  s.field = r.Text(8);
  s.orders_cursor = r.Text(9);
  s.customers_cursor = r.Text(10);
  s.progress = {.pages = r.Int(11),
                .fetched = r.Int(12),
                .imported = r.Int(13),
                .updated = r.Int(14),
                .unchanged = r.Int(15),
                .rejected = r.Int(16)};
  return s;
}

}  // namespace

Result<std::optional<ShopSyncState>> SqlStore::BeginShopSync(const std::string& source, const std::string& trigger,
                                                             Millis lease) {
  std::optional<ShopSyncState> begun;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    begun.reset();
    RKD_RETURN_IF_ERROR(tx.Run("ensure-shop-sync", {source}).status());
    const Millis now = clock_->Now();
    auto r = tx.Run("begin-shop-sync", {source, trigger, now, now + lease},
                    [&](const SqlRow& row) { begun = ReadShopSync(row); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return begun;
}

Status SqlStore::SaveShopSync(const ShopSyncState& s) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    const ShopSyncProgress& p = s.progress;
    auto r = tx.Run("save-shop-sync", {s.source, s.status, s.finished_at, s.last_success_at, s.lease_until, s.error,
                                       s.field, s.orders_cursor, s.customers_cursor, p.pages, p.fetched, p.imported,
                                       p.updated, p.unchanged, p.rejected});
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<std::vector<ShopSyncState>> SqlStore::ListShopSyncs() {
  std::vector<ShopSyncState> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.clear();
    auto r = tx.Run("list-shop-syncs", {}, [&](const SqlRow& row) { out.push_back(ReadShopSync(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace rkd
