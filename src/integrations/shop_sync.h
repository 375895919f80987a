// Keeping in step with a shop's platform (issue 17): WooCommerce never retries a failed
// webhook and Shopify drops a subscription after repeated failures, so a reconciliation
// pages through the platform's REST API (shop_rest_api.h) for the orders and customers
// changed since the last sync and writes them as the webhooks would
// (shop_changes_writer.h): idempotent, so what a webhook already brought is unchanged.
//
// Each platform's run is claimed in the store under a lease (one process at a time); its
// cursors and progress are saved after every page, so a run that stops (a crash, an
// error) resumes from its last page. A 429 waits its Retry-After, a 5xx or a transport
// failure backs off and retries (`max_tries` a page); anything else fails the run with
// the platform's answer. Runs come from `rekindle sync` (RunNow, the caller's thread),
// the API (Start: claimed on the request, run on the thread) and the schedule (every
// `interval` after the last run began; 0: none). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/poll_loop.h"
#include "base/status.h"
#include "base/time.h"
#include "compose/openai_client.h"
#include "domain/shop_sync.h"
#include "integrations/shop_rest_api.h"
#include "store/store.h"

namespace rkd {

struct ShopSyncOptions {
  Millis interval = 0;  // the schedule; 0: only when asked
  Millis lease = Millis{5} * 60'000;
  double at_risk_below = 40;                    // the score threshold the store's refresh counts against
  int max_tries = 5;                            // a page's attempts before the run fails
  std::chrono::milliseconds first_retry{1000};  // doubled at each retry, up to 30 s
  std::chrono::milliseconds timeout{30'000};    // one page's exchange
  std::chrono::milliseconds poll{30'000};       // how often the schedule looks
};

// NotFound for a platform with no sync configured, naming the settings it needs.
Status ShopNotConnected(const std::string& source);

class ShopSync {
 public:
  ShopSync(Store& store, const Clock& clock, std::vector<ShopConnection> connections, ShopSyncOptions options);
  ~ShopSync();
  ShopSync(const ShopSync&) = delete;
  ShopSync& operator=(const ShopSync&) = delete;

  // The background thread: the schedule, and the runs Start claimed.
  void StartThread();
  void Stop();

  const std::vector<ShopConnection>& connections() const { return connections_; }
  const ShopConnection* Find(const std::string& source) const;
  const ShopSyncOptions& options() const { return options_; }

  // A whole run now, on the caller's thread; `progress` hears after every page. The
  // final state (failed with its error is still a Result that is ok); FailedPrecondition
  // when another run holds the lease, NotFound for a platform not configured.
  Result<ShopSyncState> RunNow(const std::string& source, const std::string& trigger,
                               const std::function<void(const ShopSyncState&)>& progress = nullptr);
  // When the schedule runs a platform next, given its stored state (null: never synced):
  // nullopt without a schedule; `now` or earlier when due.
  std::optional<Millis> NextRun(const ShopSyncState* state, Millis now) const;
  // Claims a run for the background thread and wakes it: the state (running), or
  // nullopt when another run holds the lease.
  Result<std::optional<ShopSyncState>> Start(const std::string& source, const std::string& trigger);

 private:
  Result<int> Round();
  // Runs a claimed state to its end and saves it.
  ShopSyncState Execute(const ShopConnection& c, ShopSyncState state,
                        const std::function<void(const ShopSyncState&)>& progress);
  Status SyncResource(const ShopConnection& c, ShopResource r, ShopSyncState& state,
                      const std::function<void(const ShopSyncState&)>& progress);
  Result<HttpReply> Fetch(const ShopConnection& c, const std::string& url);

  Store& store_;
  const Clock& clock_;
  const std::vector<ShopConnection> connections_;
  const ShopSyncOptions options_;
  OpenAiClient http_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::vector<ShopSyncState> claimed_;  // by Start, for the thread
  PollLoop loop_;                       // last: its thread stops before the rest goes
};

}  // namespace rkd
