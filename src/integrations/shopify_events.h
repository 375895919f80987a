// Shopify's webhook topics, read into ShopChanges. Pure; thread-safe.
//
//  orders/create, orders/paid, orders/updated, orders/cancelled: the order upserted by its
//    id, worth current_total_price (net of refunds and edits; total_price when absent),
//    CANCELLED when cancelled_at is set or it was refunded in full or voided; its client
//    by customer.id (upserted with the customer's address and name), else the order's email.
//  refunds/create: ignored (Shopify sends orders/updated with the refunded total).
//  customers/create, customers/update: the client upserted by id, else address; a
//    consent state "unsubscribed" also suppresses the address.
//  customers/delete, customers/redact: the client forgotten (deleted with their orders
//    and emails).
//  customers_email_marketing_consent/update: "unsubscribed" or "redacted" suppresses.
//  customers/data_request, shop/redact and any other topic: ignored, with the reason.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "integrations/shop_changes.h"

namespace rkd {

// InvalidArgument (naming the field) when the body lacks what the topic needs.
Result<ShopChanges> ShopifyChanges(const std::string& topic, const nlohmann::json& body, Millis now);

}  // namespace rkd
