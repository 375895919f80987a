// Fuzzes the shop webhooks' readers (integrations/shopify_events.h, woocommerce_events.h):
// the body of a signed delivery is the platform's, but a leaked or weak secret makes it
// anyone's. The first byte picks the platform and topic, the rest is the JSON body.
// Properties:
//   - nothing throws, whatever the JSON;
//   - a rejected body names a field;
//   - accepted rows are what the store expects: an order has an id, a client to name, a
//     value that is not negative, a known status and a date no later than a day ahead;
//     a client row has an id; an ignored delivery carries no change.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "integrations/shopify_events.h"
#include "integrations/woocommerce_events.h"

namespace {

struct Topic {
  bool shopify;
  const char* name;
};
constexpr std::array<Topic, 14> kTopics = {{{true, "orders/create"},
                                            {true, "orders/updated"},
                                            {true, "orders/cancelled"},
                                            {true, "customers/create"},
                                            {true, "customers/delete"},
                                            {true, "customers/redact"},
                                            {true, "customers_email_marketing_consent/update"},
                                            {true, "shop/redact"},
                                            {false, "order.created"},
                                            {false, "order.updated"},
                                            {false, "order.deleted"},
                                            {false, "customer.created"},
                                            {false, "customer.deleted"},
                                            {false, "product.updated"}}};

constexpr rkd::Millis kNow = 1'780'000'000'000;  // 2026-05-28

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Topic& topic = kTopics[data[0] % kTopics.size()];
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  FUZZ_NO_THROW({
    const nlohmann::json body = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) return 0;
    auto changes =
        topic.shopify ? rkd::ShopifyChanges(topic.name, body, kNow) : rkd::WooCommerceChanges(topic.name, body, kNow);
    if (!changes.ok()) {
      FUZZ_CHECK(!changes.status().field().empty(), "a rejected body names a field");
      return 0;
    }
    if (!changes->ignored.empty())
      FUZZ_CHECK(changes->orders.empty() && changes->clients.empty() && changes->suppress.empty() &&
                     changes->forget_external_ids.empty() && changes->cancel_orders.empty(),
                 "an ignored delivery changes nothing");
    for (const rkd::OrderRow& o : changes->orders) {
      FUZZ_CHECK(!o.external_id.empty(), "an order has an id");
      FUZZ_CHECK(!o.client_external_id.empty() || !o.client_email.empty(), "an order names its client");
      FUZZ_CHECK(o.total_cents >= 0, "an order's value is not negative");
      FUZZ_CHECK(o.status == rkd::kOrderCreated || o.status == rkd::kOrderCancelled, "a known status");
      FUZZ_CHECK(o.order_date >= 0 && o.order_date <= kNow + rkd::kMillisPerDay, "a date no later than a day ahead");
    }
    for (const rkd::ClientRow& c : changes->clients) FUZZ_CHECK(!c.external_id.empty(), "a client row has an id");
  });
  return 0;
}
