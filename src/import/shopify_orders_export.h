// Shopify's orders export (Admin → Orders → Export) as an import reads it: the export has
// one row per line item, with the order's own fields (Total, Created at, Cancelled at…)
// on its first row only; `rekindle import orders --format shopify` reads one record per
// order, under the import's field names:
//   externalId   the export's Id (the order id Shopify's webhooks carry), else its Name
//                ("#1001"), so a later orders/updated webhook finds the imported order
//   email        Email (the client, as the export names no customer id)
//   name         Billing Name, else Shipping Name
//   orderDate    Created at ("2026-09-03 10:14:00 -0400"), as RFC 3339
//   totalValue   Total less Refunded Amount (what the webhooks' current_total_price says)
//   itemCount    the line items' quantities added up
//   items        the line items: {productId: Lineitem sku, name, price, quantity}
//   status       CANCELLED when Cancelled at is set or Financial Status is refunded or
//                voided (as the webhooks read it), else CREATED
// A value Shopify prefixed with an apostrophe to keep a spreadsheet from reading it as a
// number ("'02134", "'+1 555…") loses it. An order's rows must follow each other, as the
// export writes them: an order named again later is a duplicate id (rejected).
#pragma once

#include <memory>

#include "base/status.h"
#include "import/record_reader.h"

namespace rkd {

// Reads `csv` (the export read as plain CSV; its header names matched ignoring case);
// InvalidArgument naming what is missing when it lacks Name, Email, Created at or Total.
Result<std::unique_ptr<RecordReader>> MakeShopifyOrdersReader(std::unique_ptr<RecordReader> csv);

}  // namespace rkd
