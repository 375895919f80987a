#include "integrations/shop_sync.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <thread>

#include "base/log.h"
#include "compose/openai_protocol.h"
#include "integrations/shop_changes_writer.h"
#include "integrations/shop_json.h"

namespace rkd {
namespace {

// A page's changes as one: clients once each (an order page names a customer per order;
// the last word on each is kept), the rest appended.
class PageChanges {
 public:
  void Add(ShopChanges changes) {
    for (ClientRow& client : changes.clients) {
      const std::string key = client.external_id.empty() ? "@" + AsciiLower(client.email) : client.external_id;
      auto [it, inserted] = client_at_.emplace(key, merged_.clients.size());
      if (inserted) {
        merged_.clients.push_back(std::move(client));
      } else {
        merged_.clients[it->second] = std::move(client);
      }
    }
    auto append = [](auto& to, auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    append(merged_.orders, changes.orders);
    append(merged_.cancel_orders, changes.cancel_orders);
    append(merged_.forget_external_ids, changes.forget_external_ids);
    append(merged_.forget_emails, changes.forget_emails);
    append(merged_.suppress, changes.suppress);
  }
  ShopChanges Take() { return std::move(merged_); }

 private:
  ShopChanges merged_;
  std::map<std::string, size_t> client_at_;
};

const char* RecordKind(ShopResource r) { return r == ShopResource::kOrders ? "order" : "customer"; }

}  // namespace

ShopSync::ShopSync(Store& store, const Clock& clock, std::vector<ShopConnection> connections, ShopSyncOptions options)
    : store_(store),
      clock_(clock),
      connections_(std::move(connections)),
      options_(options),
      http_(OpenAiClient::Options{.max_in_flight = 2}),
      loop_(options.poll, "shop sync: could not run", [this] { return Round(); }) {}

ShopSync::~ShopSync() { Stop(); }

void ShopSync::StartThread() {
  if (!connections_.empty()) loop_.Start();
}

void ShopSync::Stop() {
  stopping_ = true;
  loop_.Stop();
}

Status ShopNotConnected(const std::string& source) {
  if (source == "shopify")
    return Status::NotFound("Shopify is not connected for sync: set RKD_SHOPIFY_SHOP_URL and RKD_SHOPIFY_ACCESS_TOKEN",
                            "source");
  if (source == "woocommerce")
    return Status::NotFound(
        "WooCommerce is not connected for sync: set RKD_WOOCOMMERCE_URL, RKD_WOOCOMMERCE_CONSUMER_KEY and "
        "RKD_WOOCOMMERCE_CONSUMER_SECRET",
        "source");
  return Status::NotFound("there is no platform " + source.substr(0, 40) + " to sync: shopify or woocommerce",
                          "source");
}

std::optional<Millis> ShopSync::NextRun(const ShopSyncState* state, Millis now) const {
  if (options_.interval <= 0) return std::nullopt;
  if (!state || !state->started_at) return now;
  return *state->started_at + options_.interval;
}

const ShopConnection* ShopSync::Find(const std::string& source) const {
  for (const ShopConnection& c : connections_)
    if (c.source == source) return &c;
  return nullptr;
}

Result<ShopSyncState> ShopSync::RunNow(const std::string& source, const std::string& trigger,
                                       const std::function<void(const ShopSyncState&)>& progress) {
  const ShopConnection* c = Find(source);
  if (!c) return ShopNotConnected(source);
  auto begun = store_.BeginShopSync(source, trigger, options_.lease);
  if (!begun.ok()) return begun.status();
  if (!*begun) return Status::FailedPrecondition("a " + c->name + " sync is already running", "source");
  return Execute(*c, std::move(**begun), progress);
}

Result<std::optional<ShopSyncState>> ShopSync::Start(const std::string& source, const std::string& trigger) {
  if (!Find(source)) return ShopNotConnected(source);
  auto begun = store_.BeginShopSync(source, trigger, options_.lease);
  if (!begun.ok() || !*begun) return begun;
  {
    std::lock_guard lock(mu_);
    claimed_.push_back(**begun);
  }
  loop_.Wake();
  return begun;
}

Result<int> ShopSync::Round() {
  std::optional<ShopSyncState> claimed;
  {
    std::lock_guard lock(mu_);
    if (!claimed_.empty()) {
      claimed = std::move(claimed_.front());
      claimed_.erase(claimed_.begin());
    }
  }
  if (claimed) {
    const ShopConnection* c = Find(claimed->source);  // Start found it
    Execute(*c, std::move(*claimed), nullptr);
    return 1;
  }
  if (options_.interval <= 0 || stopping_) return 0;
  auto states = store_.ListShopSyncs();
  if (!states.ok()) return states.status();
  const Millis now = clock_.Now();
  for (const ShopConnection& c : connections_) {
    auto it =
        std::find_if(states->begin(), states->end(), [&](const ShopSyncState& s) { return s.source == c.source; });
    const std::optional<Millis> next = NextRun(it == states->end() ? nullptr : &*it, now);
    if (!next || *next > now) continue;
    auto begun = store_.BeginShopSync(c.source, "schedule", options_.lease);
    if (!begun.ok()) return begun.status();
    if (!*begun) continue;  // another process runs it
    Execute(c, std::move(**begun), nullptr);
    return 1;
  }
  return 0;
}

ShopSyncState ShopSync::Execute(const ShopConnection& c, ShopSyncState state,
                                const std::function<void(const ShopSyncState&)>& progress) {
  LogInfo("shop sync started", {{"source", c.source}, {"trigger", state.trigger}});
  // Customers first: an order's client then carries what the customer record says.
  Status st = SyncResource(c, ShopResource::kCustomers, state, progress);
  if (st.ok()) st = SyncResource(c, ShopResource::kOrders, state, progress);
  const Millis now = clock_.Now();
  state.finished_at = now;
  state.lease_until.reset();
  if (st.ok()) {
    state.status = "succeeded";
    state.last_success_at = now;
  } else {
    state.status = "failed";
    state.error = st.message();
    state.field = st.field();
  }
  if (Status saved = store_.SaveShopSync(state); !saved.ok())
    LogWarn("shop sync: could not save its state", {{"source", c.source}, {"error", saved.message()}});
  const ShopSyncProgress& p = state.progress;
  LogInfo("shop sync finished", {{"source", c.source},
                                 {"status", state.status},
                                 {"pages", p.pages},
                                 {"fetched", p.fetched},
                                 {"imported", p.imported},
                                 {"updated", p.updated},
                                 {"unchanged", p.unchanged},
                                 {"rejected", p.rejected},
                                 {"error", state.error}});
  if (progress) progress(state);
  return state;
}

// One resource's pass. The cursor advances only when the pass ends: the pages come in
// modification order where the platform sorts by it, but a record changed during the
// pass moves, and WooCommerce's customers come by id. A pass cut short is read again
// from the old cursor, and what it already wrote is unchanged.
Status ShopSync::SyncResource(const ShopConnection& c, ShopResource r, ShopSyncState& state,
                              const std::function<void(const ShopSyncState&)>& progress) {
  std::string& cursor_text = r == ShopResource::kOrders ? state.orders_cursor : state.customers_cursor;
  const Millis cursor = cursor_text.empty() ? 0 : ParseRfc3339(cursor_text).value_or(0);
  // WooCommerce cannot filter its customers by modification: every page is read and
  // those not changed since the cursor are skipped here.
  const bool skip_here = c.source == "woocommerce" && r == ShopResource::kCustomers;
  Millis newest = cursor;
  std::string url = FirstPageUrl(c, r, skip_here ? 0 : cursor);
  for (;;) {
    if (stopping_) return Status::Unavailable("interrupted: the process stopped; the next run starts again there");
    auto reply = Fetch(c, url);
    if (!reply.ok()) return reply.status();
    auto page = ReadShopPage(c, r, url, reply->headers, reply->body);
    if (!page.ok()) return page.status();
    const Millis now = clock_.Now();
    ShopSyncProgress& p = state.progress;
    ++p.pages;
    p.fetched += static_cast<int64_t>(page->records.size());
    PageChanges changes;
    std::vector<std::string> ids;  // the record of each row's line
    auto reject = [&](const std::string& id, const Status& why) {
      ++p.rejected;
      state.error = std::string(RecordKind(r)) + " " + id + ": " + why.message();
      state.field = why.field();
    };
    for (const nlohmann::json& record : page->records) {
      const std::string id = RecordId(record);
      auto modified = RecordModifiedAt(c, record);
      if (!modified.ok()) {
        reject(id, modified.status());
        continue;
      }
      newest = std::max(newest, *modified);
      if (skip_here && *modified < cursor) continue;
      auto read = RecordChanges(c, r, record, now);
      if (!read.ok()) {
        reject(id, read.status());
        continue;
      }
      if (!read->ignored.empty()) continue;  // an order still unpaid: its update comes later
      ids.push_back(id);
      for (ClientRow& row : read->clients) row.line = static_cast<int64_t>(ids.size());
      for (OrderRow& row : read->orders) row.line = static_cast<int64_t>(ids.size());
      changes.Add(std::move(*read));
    }
    auto written =
        WriteShopChanges(store_, changes.Take(), options_.at_risk_below, /*stop_at_reject=*/false, c.source + " sync");
    if (!written.ok()) return written.status();
    p.imported += written->imported;
    p.updated += written->updated;
    p.unchanged += written->unchanged;
    for (const RowError& e : written->rejects) {
      const size_t at = static_cast<size_t>(e.line) - 1;
      reject(at < ids.size() ? ids[at] : "?", Status::InvalidArgument(e.reason, e.field));
    }
    if (!page->next_url) break;
    url = *page->next_url;
    state.lease_until = clock_.Now() + options_.lease;
    RKD_RETURN_IF_ERROR(store_.SaveShopSync(state));
    if (progress) progress(state);
  }
  if (newest > 0) cursor_text = FormatRfc3339(newest);
  state.lease_until = clock_.Now() + options_.lease;
  RKD_RETURN_IF_ERROR(store_.SaveShopSync(state));
  if (progress) progress(state);
  return Status::Ok();
}

Result<HttpReply> ShopSync::Fetch(const ShopConnection& c, const std::string& url) {
  for (int attempt = 1;; ++attempt) {
    HttpCall call;
    call.url = url;
    call.get = true;
    call.headers = c.auth_headers;
    call.timeout = options_.timeout;
    HttpReply reply = http_.Post(std::move(call)).get();
    if (reply.status == 200) return reply;
    const std::string where = c.name + " (" + url.substr(0, url.find('?')) + ")";
    const bool retry = reply.status == 0 || reply.status == 429 || reply.status >= 500;
    if (!retry || attempt >= options_.max_tries) {
      if (reply.status == 0)
        return Status::Unavailable(where + " could not be reached after " + std::to_string(attempt) +
                                   " tries: " + reply.error);
      std::string why = where + " answered " + std::to_string(reply.status) + ": " + ErrorMessage(reply.body);
      if (reply.status == 401 || reply.status == 403)
        why += c.source == "shopify" ? " (check RKD_SHOPIFY_ACCESS_TOKEN and its read_orders, read_customers scopes)"
                                     : " (check RKD_WOOCOMMERCE_CONSUMER_KEY and RKD_WOOCOMMERCE_CONSUMER_SECRET)";
      return Status::FailedPrecondition(why, "url");
    }
    std::chrono::milliseconds wait =
        std::min(options_.first_retry * (int64_t{1} << std::min(attempt - 1, 10)), std::chrono::milliseconds(30'000));
    if (reply.status == 429)
      if (auto after = RetryAfter(reply.headers, std::chrono::system_clock::now())) wait = *after;
    LogInfo("shop sync: retrying a page",
            {{"source", c.source}, {"status", reply.status}, {"error", reply.error}, {"waitMs", wait.count()}});
    for (auto until = std::chrono::steady_clock::now() + wait; std::chrono::steady_clock::now() < until;) {
      if (stopping_) return Status::Unavailable("interrupted: the process stopped");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace rkd
