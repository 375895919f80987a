// Events from a customer data platform (Segment, RudderStack: the Segment spec), read into
// ShopChanges. Pure; thread-safe.
//
//  identify: the client upserted by userId (the shop's customer id), else traits.email,
//    with traits.name (or firstName and lastName) and traits.createdAt.
//  track "Order Completed": the order upserted by properties.order_id, worth
//    properties.total (else revenue), dated by timestamp (else now), its products as
//    items; its client by userId, else traits.email (context.traits for a track).
//  track "Order Cancelled", "Order Refunded" (in full: no products listed): the order
//    cancelled. A partial refund is ignored: send "Order Completed" again with the total
//    that was kept (the order is upserted by its id).
//  Any other event: ignored, with the reason.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "base/time.h"
#include "integrations/shop_changes.h"

namespace rkd {

// `body` is one event of the spec (type "identify" or "track"). InvalidArgument (naming
// the field) when it lacks what its type needs.
Result<ShopChanges> CdpChanges(const nlohmann::json& body, Millis now);

}  // namespace rkd
