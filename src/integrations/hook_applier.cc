#include "integrations/hook_applier.h"

#include <nlohmann/json.hpp>

#include "base/log.h"
#include "integrations/cdp_events.h"
#include "integrations/shop_changes_writer.h"
#include "integrations/shopify_events.h"
#include "integrations/woocommerce_events.h"

namespace rkd {
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
  auto written = WriteShopChanges(store_, std::move(changes), options_.at_risk_below, /*stop_at_reject=*/true,
                                  d.source + " " + d.topic);
  if (!written.ok()) return written.status();
  if (!written->rejects.empty())
    return Status::InvalidArgument(written->rejects.front().reason, written->rejects.front().field);
  *note = written->note;
  return std::string("applied");
}

}  // namespace rkd
