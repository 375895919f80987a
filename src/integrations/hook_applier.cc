#include "integrations/hook_applier.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "api/validation.h"
#include "base/log.h"
#include "integrations/cdp_events.h"
#include "integrations/shopify_events.h"
#include "integrations/woocommerce_events.h"

namespace rkd {
namespace {

// One batch of rows for Store::ImportRows, and what the store refused of it.
class OneBatchFeed : public ImportFeed {
 public:
  explicit OneBatchFeed(ImportBatch batch) : batch_(std::move(batch)) {}
  Result<std::optional<ImportBatch>> Next() override {
    if (done_) return std::optional<ImportBatch>();
    done_ = true;
    return std::optional<ImportBatch>(std::move(batch_));
  }
  void Written(const ImportBatch&, const ImportBatchResult& result) override {
    rejects_.insert(rejects_.end(), result.rejects.begin(), result.rejects.end());
  }
  void Refreshed(int64_t) override {}
  const std::vector<RowError>& rejects() const { return rejects_; }

 private:
  ImportBatch batch_;
  bool done_ = false;
  std::vector<RowError> rejects_;
};

Status Write(Store& store, ImportBatch batch, double at_risk_below) {
  if (batch.clients.empty() && batch.orders.empty()) return Status::Ok();
  OneBatchFeed feed(std::move(batch));
  auto written = store.ImportRows(feed, {.dry_run = false, .stop_on_reject = false, .at_risk_below = at_risk_below});
  if (!written.ok()) return written.status();
  if (!feed.rejects().empty())
    return Status::InvalidArgument(feed.rejects().front().reason, feed.rejects().front().field);
  return Status::Ok();
}

// The client with this address, compared without case; nullopt when none.
Result<std::optional<User>> UserByEmail(Store& store, const std::string& email) {
  UserQuery q;
  q.search = email;
  q.limit = 100;
  auto page = store.ListUsers(q);
  if (!page.ok()) return page.status();
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (User& u : page->items)
    if (lower(u.email) == lower(email)) return std::optional<User>(std::move(u));
  return std::optional<User>();
}

}  // namespace

HookApplier::HookApplier(Store& store, const Clock& clock, HookApplierOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      loop_(options.poll, "shop hooks: could not apply deliveries", [this] { return ApplyPending(); }) {}

Result<int> HookApplier::ApplyPending() {
  auto claimed = store_.ClaimHookDeliveries(options_.lease, options_.batch);
  if (!claimed.ok()) return claimed.status();
  int finished = 0;
  for (const HookDelivery& d : *claimed) {
    std::string note;
    auto outcome = Apply(d, &note);
    std::string status, error = note;
    if (outcome.ok()) {
      status = *outcome;
    } else if (outcome.status().code() == Code::kUnavailable && d.attempts < options_.max_attempts) {
      status = "pending";  // the store is away: again once the lease ends
      error = outcome.status().message();
    } else {
      status = "failed";
      error = outcome.status().message();
    }
    LogInfo("shop hook delivery", {{"source", d.source},
                                   {"topic", d.topic},
                                   {"deliveryId", d.delivery_id},
                                   {"status", status},
                                   {"attempt", d.attempts},
                                   {"note", error}});
    RKD_RETURN_IF_ERROR(store_.FinishHookDelivery(d.hook_id, status, error));
    if (status != "pending") ++finished;
  }
  return finished;
}

Result<std::string> HookApplier::Apply(const HookDelivery& d, std::string* note) {
  const nlohmann::json body = nlohmann::json::parse(d.body, nullptr, false);
  if (body.is_discarded()) return Status::InvalidArgument("the body is not valid JSON", "body");
  const Millis now = clock_.Now();
  Result<ShopChanges> read = Status::InvalidArgument("unknown source " + d.source, "source");
  if (d.source == "shopify") read = ShopifyChanges(d.topic, body, now);
  if (d.source == "woocommerce") read = WooCommerceChanges(d.topic, body, now);
  if (d.source == "cdp") read = CdpChanges(body, now);
  if (!read.ok()) return read.status();
  ShopChanges& changes = *read;
  if (!changes.ignored.empty()) {
    *note = changes.ignored;
    return std::string("ignored");
  }
  // Clients first, so that an order's client carries the shop's name and address.
  RKD_RETURN_IF_ERROR(Write(store_, {.clients = std::move(changes.clients)}, options_.at_risk_below));
  RKD_RETURN_IF_ERROR(Write(store_, {.orders = std::move(changes.orders)}, options_.at_risk_below));
  // A deletion names only the order: cancel it as stored.
  ImportBatch cancels;
  for (const std::string& id : changes.cancel_orders) {
    auto order = store_.GetOrderByExternalId(id);
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
  RKD_RETURN_IF_ERROR(Write(store_, std::move(cancels), options_.at_risk_below));
  // Forgetting: the client, their orders and their emails, deleted.
  std::vector<std::string> forget;
  for (const std::string& id : changes.forget_external_ids) {
    auto user = store_.GetUserByExternalId(id);
    if (user.ok()) forget.push_back(user->user_id);
    if (!user.ok() && user.status().code() != Code::kNotFound) return user.status();
  }
  for (const std::string& email : changes.forget_emails) {
    auto user = UserByEmail(store_, email);
    if (!user.ok()) return user.status();
    if (*user) forget.push_back((*user)->user_id);
  }
  for (const std::string& user_id : forget) {
    Status st = store_.DeleteUser(user_id);
    if (!st.ok() && st.code() != Code::kNotFound) return st;
    if (st.ok()) LogInfo("shop hooks: client deleted", {{"userId", user_id}, {"topic", d.topic}, {"source", d.source}});
  }
  if (!changes.forget_external_ids.empty() || !changes.forget_emails.empty())
    *note = forget.empty() ? "no such client" : "deleted " + std::to_string(forget.size()) + " client(s)";
  for (const std::string& email : changes.suppress) {
    if (!IsValidEmailAddress(email)) return Status::InvalidArgument("is not an email address", "email");
    RKD_RETURN_IF_ERROR(store_.Suppress(email, "unsubscribed"));
  }
  return std::string("applied");
}

}  // namespace rkd
