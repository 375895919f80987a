// The store's side of issue 17's outgoing webhooks: endpoints, and the deliveries the
// triggers of 0017_webhooks.sql write, claimed under a lease by whichever process sends
// them, finished, listed and replayed.
#include <algorithm>
#include <tuple>

#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"

namespace rkd {
namespace {

// ",email.sent,email.opened," <-> {"email.sent", "email.opened"}: fenced by commas, so
// the triggers find a type with one instr() and no type matches inside another.
std::string FenceEvents(const std::vector<std::string>& events) {
  std::string out = ",";
  for (const std::string& e : events) out += e + ",";
  return out;
}

std::vector<std::string> UnfenceEvents(const std::string& fenced) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < fenced.size()) {
    size_t comma = fenced.find(',', start);
    if (comma == std::string::npos) comma = fenced.size();
    if (comma > start) out.push_back(fenced.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

WebhookEndpoint ReadEndpoint(const SqlRow& r) {
  WebhookEndpoint e;
  e.endpoint_id = r.Text(0);
  e.url = r.Text(1);
  e.secret = r.Text(2);
  e.events = UnfenceEvents(r.Text(3));
  e.description = r.Text(4);
  e.created_at = r.Int(5);
  return e;
}

WebhookDelivery ReadDelivery(const SqlRow& r) {
  WebhookDelivery d;
  d.delivery_id = r.Text(0);
  d.endpoint_id = r.Text(1);
  d.type = r.Text(2);
  d.payload = r.Text(3);
  d.created_at = r.Int(4);
  d.status = r.Text(5);
  d.attempts = r.Int(6);
  d.next_attempt_at = r.Int(7);
  if (auto s = r.OptInt(8)) d.last_status = static_cast<int>(*s);
  d.last_error = r.Text(9);
  d.delivered_at = r.OptInt(10);
  d.url = r.Text(11);
  d.secret = r.Text(12);
  return d;
}

}  // namespace

Status SqlStore::CreateWebhookEndpoint(const WebhookEndpoint& e) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("insert-webhook-endpoint",
                    {e.endpoint_id, e.url, e.secret, FenceEvents(e.events), e.description, e.created_at});
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<std::vector<WebhookEndpoint>> SqlStore::ListWebhookEndpoints() {
  std::vector<WebhookEndpoint> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.clear();
    auto r = tx.Run("list-webhook-endpoints", {}, [&](const SqlRow& row) { out.push_back(ReadEndpoint(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

Result<bool> SqlStore::DeleteWebhookEndpoint(const std::string& endpoint_id) {
  int64_t changed = 0;
  Status st = db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("disable-webhook-endpoint", {endpoint_id, clock_->Now()});
    if (!r.ok()) return r.status();
    changed = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return changed > 0;
}

Result<std::vector<WebhookDelivery>> SqlStore::ClaimWebhookDeliveries(Millis lease, int limit) {
  std::vector<WebhookDelivery> claimed;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    claimed.clear();
    const Millis now = clock_->Now();
    auto r = tx.Run("claim-webhook-deliveries", {now, now + lease, int64_t{std::clamp(limit, 1, 1000)}},
                    [&](const SqlRow& row) { claimed.push_back(ReadDelivery(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  // RETURNING gives the rows in no stated order: send them as they fell due.
  std::sort(claimed.begin(), claimed.end(), [](const WebhookDelivery& a, const WebhookDelivery& b) {
    return std::tie(a.next_attempt_at, a.delivery_id) < std::tie(b.next_attempt_at, b.delivery_id);
  });
  return claimed;
}

Status SqlStore::FinishWebhookDeliveries(const std::vector<WebhookAttempt>& attempts) {
  if (attempts.empty()) return Status::Ok();
  std::vector<SqlParams> rows;
  rows.reserve(attempts.size());
  for (const WebhookAttempt& a : attempts)
    rows.push_back({a.delivery_id, a.status, a.next_attempt_at, a.http_status, a.error, a.delivered_at});
  return db_->Write([&](SqlTx& tx) -> Status {
    auto r = tx.RunBatch("finish-webhook-delivery", rows);
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<int64_t> SqlStore::PruneWebhookDeliveries(Millis before, int limit) {
  int64_t deleted = 0;
  Status st = db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("prune-webhook-deliveries", {before, int64_t{std::clamp(limit, 1, 100'000)}});
    if (!r.ok()) return r.status();
    deleted = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return deleted;
}

Result<std::vector<WebhookDelivery>> SqlStore::ListWebhookDeliveries(const std::string& endpoint_id,
                                                                     const std::string& status, int limit) {
  std::vector<WebhookDelivery> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.clear();
    auto r = tx.Run("list-webhook-deliveries", {endpoint_id, status, int64_t{std::clamp(limit, 1, 500)}},
                    [&](const SqlRow& row) { out.push_back(ReadDelivery(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

Result<bool> SqlStore::ReplayWebhookDelivery(const std::string& delivery_id) {
  int64_t changed = 0;
  Status st = db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("replay-webhook-delivery", {delivery_id, clock_->Now()});
    if (!r.ok()) return r.status();
    changed = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return changed > 0;
}

}  // namespace rkd
