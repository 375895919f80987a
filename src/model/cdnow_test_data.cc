#include "model/cdnow_test_data.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rkd::testing {

std::optional<std::string> CdnowDir() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("RKD_CDNOW_DIR"); env != nullptr && *env != '\0') candidates.emplace_back(env);
  // <repo>/src/model/cdnow_test_data.cc -> <repo>/tests/data/cdnow (the copy the repository
  // carries, tests/data/cdnow/SOURCE.md), else <repo>/../shared/data/cdnow.
  const fs::path repo = fs::path(__FILE__).parent_path() / ".." / "..";
  candidates.push_back(repo / "tests" / "data" / "cdnow");
  candidates.push_back(repo / ".." / "shared" / "data" / "cdnow");
  for (const fs::path& dir : candidates) {
    std::error_code ec;
    if (fs::exists(dir / "cdnow_customers_summary_with_transactions.csv", ec)) return dir.lexically_normal().string();
  }
  return std::nullopt;
}

std::vector<CdnowSummaryRow> ReadCdnowSummary(const std::string& dir) {
  std::ifstream in(dir + "/cdnow_customers_summary_with_transactions.csv");
  std::vector<CdnowSummaryRow> rows;
  std::string line;
  std::getline(in, line);  // header ID,x,t_x,T,zbar
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    for (char& c : line) {
      if (c == ',') c = ' ';
    }
    std::istringstream fields(line);
    CdnowSummaryRow row;
    fields >> row.id >> row.summary.x >> row.summary.t_x >> row.summary.T >> row.summary.monetary;
    rows.push_back(row);
  }
  return rows;
}

Millis UtcMidnight(int year, int month, int day) {
  // Howard Hinnant's days_from_civil.
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int yoe = year - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Millis>(era * 146097 + doe - 719468) * kMillisPerDay;
}

std::map<int, std::vector<DatedOrder>> ReadCdnowSample(const std::string& dir) {
  std::ifstream in(dir + "/CDNOW_sample.txt");
  std::map<int, std::vector<DatedOrder>> by_client;
  int master, id, date, cds;
  double dollars;
  while (in >> master >> id >> date >> cds >> dollars) {
    const Millis at = UtcMidnight(date / 10000, date / 100 % 100, date % 100);
    by_client[id].push_back({at, std::llround(dollars * 100)});
  }
  return by_client;
}

}  // namespace rkd::testing
