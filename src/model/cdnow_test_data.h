// Test-only: the CDNOW files in ../shared/data/cdnow/ (or $RKD_CDNOW_DIR), read into the
// model's types. Tests GTEST_SKIP when the directory is absent. Thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/rfm_summary.h"

namespace rkd::testing {

// $RKD_CDNOW_DIR, else <repo>/../shared/data/cdnow found from this file's path; nullopt
// when cdnow_customers_summary_with_transactions.csv is not there.
std::optional<std::string> CdnowDir();

struct CdnowSummaryRow {
  int id = 0;
  RfmSummary summary;  // x, t_x, T in weeks; monetary = zbar (dollars)
};
// cdnow_customers_summary_with_transactions.csv, in file order.
std::vector<CdnowSummaryRow> ReadCdnowSummary(const std::string& dir);

// CDNOW_sample.txt: each sample customer id's transactions (UTC midnight of the day,
// dollar value in cents).
std::map<int, std::vector<DatedOrder>> ReadCdnowSample(const std::string& dir);

// Midnight UTC of a civil date.
Millis UtcMidnight(int year, int month, int day);

}  // namespace rkd::testing
