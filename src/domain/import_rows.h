// The rows an import writes (issue 10), once parsed, mapped and validated: what the
// store needs and nothing of the file's shape. Money is in cents (exact), times in
// milliseconds since the epoch (UTC).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "domain/order.h"

namespace rkd {

enum class ImportKind { kClients, kOrders };

struct ClientRow {
  int64_t line = 0;         // where it starts in the file (1-based, the header is line 1)
  std::string external_id;  // the shop's customer id; empty: none
  std::string email;        // empty: none given (a placeholder under .invalid is made)
  std::string name;         // empty: none given (kept as stored, or the email's local part)
  std::optional<std::vector<std::string>> preferred_categories;  // nullopt: not in the file
  std::string time_zone;                                         // IANA name; empty: not given
  std::optional<Millis> created_at;                              // when the shop says the client joined
};

struct OrderRow {
  int64_t line = 0;
  // The order's id: the shop's order number, or one derived from the client, the date
  // and the line's ordinal among that client's lines on that date (DerivedOrderId).
  std::string external_id;
  bool derived_id = false;
  // Its client, by one of (in this order of precedence): Rekindle's id, the shop's
  // customer id, the address (compared without case).
  std::string user_id, client_external_id, client_email;
  std::string client_name;  // for a client the import creates; may be empty
  Millis order_date = 0;
  int64_t total_cents = 0;       // not negative
  int64_t item_count = 0;        // CDNOW's number of items (0: unknown)
  std::vector<OrderItem> items;  // JSON Lines may carry them
  std::string status = "CREATED";
};

// One rejected row: its line, the field (its canonical name; empty for the whole row)
// and why.
struct RowError {
  int64_t line = 0;
  std::string field;
  std::string reason;
};

// An orders file's figures for one client (keyed by ClientKeyOf), summed by the
// import's first pass: a client the import creates starts with them, so it needs no
// second write once its orders are in.
struct ClientTotals {
  int64_t count = 0, cents = 0;
  Millis first = 0, last = 0;
  void Add(Millis date, int64_t amount_cents) {
    first = count ? std::min(first, date) : date;
    last = count ? std::max(last, date) : date;
    ++count;
    cents += amount_cents;
  }
};

// The key an order line's derived id is made of: its client as the file names it.
std::string ClientKeyOf(const OrderRow& row);

// "<client key>/<YYYY-MM-DD>/<n>": stable across re-imports of the same lines, so
// importing a file twice stores each line once.
std::string DerivedOrderId(const std::string& client_key, Millis order_date, int ordinal);

}  // namespace rkd
