#include "domain/import_rows.h"

#include <algorithm>

namespace rkd {

std::string ClientKeyOf(const OrderRow& row) {
  if (!row.user_id.empty()) return "u:" + row.user_id;
  if (!row.client_external_id.empty()) return "x:" + row.client_external_id;
  std::string email = row.client_email;
  std::transform(email.begin(), email.end(), email.begin(), [](unsigned char c) { return std::tolower(c); });
  return "e:" + email;
}

std::string DerivedOrderId(const std::string& client_key, Millis order_date, int ordinal) {
  // The UTC calendar date: the first 10 characters of the RFC 3339 form.
  return client_key + "/" + FormatRfc3339(order_date).substr(0, 10) + "/" + std::to_string(ordinal);
}

}  // namespace rkd
