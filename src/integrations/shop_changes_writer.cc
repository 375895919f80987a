#include "integrations/shop_changes_writer.h"

#include <cctype>
#include <cmath>

#include "api/validation.h"
#include "base/log.h"
#include "integrations/shop_json.h"

namespace rkd {
namespace {

// One batch of rows for Store::ImportRows, and what the store did with each.
class OneBatchFeed : public ImportFeed {
 public:
  OneBatchFeed(ImportBatch batch, ShopChangesWritten& written) : batch_(std::move(batch)), written_(written) {}
  Result<std::optional<ImportBatch>> Next() override {
    if (done_) return std::optional<ImportBatch>();
    done_ = true;
    return std::optional<ImportBatch>(std::move(batch_));
  }
  void Written(const ImportBatch&, const ImportBatchResult& result) override {
    for (ImportOutcome o : result.outcomes) {
      if (o == ImportOutcome::kImported) ++written_.imported;
      if (o == ImportOutcome::kUpdated) ++written_.updated;
      if (o == ImportOutcome::kUnchanged) ++written_.unchanged;
    }
    written_.rejects.insert(written_.rejects.end(), result.rejects.begin(), result.rejects.end());
  }
  void Refreshed(int64_t) override {}

 private:
  ImportBatch batch_;
  bool done_ = false;
  ShopChangesWritten& written_;
};

Status Write(Store& store, ImportBatch batch, double at_risk_below, ShopChangesWritten& written) {
  if (batch.clients.empty() && batch.orders.empty()) return Status::Ok();
  OneBatchFeed feed(std::move(batch), written);
  return store.ImportRows(feed, {.dry_run = false, .stop_on_reject = false, .at_risk_below = at_risk_below}).status();
}

// The client with this address, compared without case; nullopt when none.
Result<std::optional<User>> UserByEmail(Store& store, const std::string& email) {
  UserQuery q;
  q.search = email;
  q.limit = 100;
  auto page = store.ListUsers(q);
  if (!page.ok()) return page.status();
  for (User& u : page->items)
    if (AsciiLower(u.email) == AsciiLower(email)) return std::optional<User>(std::move(u));
  return std::optional<User>();
}

}  // namespace

Result<ShopChangesWritten> WriteShopChanges(Store& store, ShopChanges changes, double at_risk_below,
                                            bool stop_at_reject, const std::string& why) {
  ShopChangesWritten written;
  RKD_RETURN_IF_ERROR(Write(store, {.clients = std::move(changes.clients)}, at_risk_below, written));
  if (stop_at_reject && !written.rejects.empty()) return written;
  RKD_RETURN_IF_ERROR(Write(store, {.orders = std::move(changes.orders)}, at_risk_below, written));
  if (stop_at_reject && !written.rejects.empty()) return written;
  // A deletion names only the order: cancel it as stored.
  ImportBatch cancels;
  for (const std::string& id : changes.cancel_orders) {
    auto order = store.GetOrderByExternalId(id);
    if (!order.ok() && order.status().code() == Code::kNotFound) continue;
    if (!order.ok()) return order.status();
    OrderRow row;
    row.line = 1;
    row.external_id = order->external_id;
    row.user_id = order->user_id;
    row.order_date = order->order_date;
    row.total_cents = std::llround(order->total_value * 100.0);
    row.items = order->items;
    row.status = kOrderCancelled;
    cancels.orders.push_back(std::move(row));
  }
  RKD_RETURN_IF_ERROR(Write(store, std::move(cancels), at_risk_below, written));
  if (stop_at_reject && !written.rejects.empty()) return written;
  // Forgetting: the client, their orders and their emails, deleted.
  std::vector<std::string> forget;
  for (const std::string& id : changes.forget_external_ids) {
    auto user = store.GetUserByExternalId(id);
    if (user.ok()) forget.push_back(user->user_id);
    if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  }
  for (const std::string& email : changes.forget_emails) {
    auto user = UserByEmail(store, email);
    if (!user.ok()) return user.status();
    if (*user) forget.push_back((*user)->user_id);
  }
  for (const std::string& user_id : forget) {
    Status st = store.DeleteUser(user_id);
    if (!st.ok() && st.code() != Code::kNotFound) return st;
    if (st.ok()) LogInfo("shop changes: client deleted", {{"userId", user_id}, {"why", why}});
  }
  if (!changes.forget_external_ids.empty() || !changes.forget_emails.empty())
    written.note = forget.empty() ? "no such client" : "deleted " + std::to_string(forget.size()) + " client(s)";
  for (const std::string& email : changes.suppress) {
    if (!IsValidEmailAddress(email)) return Status::InvalidArgument("is not an email address", "email");
    RKD_RETURN_IF_ERROR(store.Suppress(email, "unsubscribed"));
  }
  return written;
}

}  // namespace rkd
