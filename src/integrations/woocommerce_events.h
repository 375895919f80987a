// WooCommerce's webhook topics, read into ShopChanges. Pure; thread-safe.
//
//  order.created, order.updated: the order upserted by its id, worth `total` less its
//    refunds; CANCELLED when its status is cancelled, refunded, failed or trash; an order
//    still pending payment is ignored (it becomes one with its next update). Its client
//    by customer_id (0 is a guest; upserted with the billing address and name), else
//    billing.email.
//  order.deleted: the order cancelled (the body carries only its id).
//  customer.created, customer.updated: the client upserted by id, else address.
//  customer.deleted: the client forgotten.
//  Any other topic: ignored, with the reason.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "integrations/shop_changes.h"

namespace rkd {

// InvalidArgument (naming the field) when the body lacks what the topic needs.
Result<ShopChanges> WooCommerceChanges(const std::string& topic, const nlohmann::json& body, Millis now);

}  // namespace rkd
