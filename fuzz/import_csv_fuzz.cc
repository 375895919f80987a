// Fuzzes the CSV import (import/record_reader.h, import/row_parser.h): the bytes as an
// orders file, read record by record and parsed into rows. Properties:
//   - nothing crashes or throws, whatever the bytes (a bad file is a Status or a
//     RowError, never an exception);
//   - every record's line and every RowError's line lies within the input's lines
//     (1 .. newlines + 1), and records come in file order;
//   - an accepted row holds what the parser promises: a client, a non-negative total, a
//     date in 1970 .. now + a day, and an id (given or derived).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "import/record_reader.h"
#include "import/row_parser.h"

namespace {

constexpr rkd::Millis kNow = 1'796'126'400'000;  // 2026-12-01T12:00:00Z

void Run(const std::string& input) {
  const int64_t lines = std::count(input.begin(), input.end(), '\n') + 1;
  std::istringstream in(input);
  auto reader = rkd::MakeRecordReader(rkd::ImportFormat::kCsv, in);
  if (!reader.ok()) {
    FUZZ_CHECK(!reader.status().message().empty(), "a refused file says why");
    return;
  }
  rkd::RowParserOptions options;
  options.kind = rkd::ImportKind::kOrders;
  options.format = rkd::ImportFormat::kCsv;
  options.ignore_unknown = true;
  options.now = kNow;
  auto parser = rkd::RowParser::Make(options, (*reader)->columns());
  rkd::SourceRecord record;
  int64_t previous_line = 0;
  for (;;) {
    auto next = (*reader)->Next(&record);
    if (!next.ok() || !*next) break;
    FUZZ_CHECK(record.line >= 1 && record.line <= lines, "a record's line is within the input");
    FUZZ_CHECK(record.line > previous_line, "records come in file order");
    previous_line = record.line;
    FUZZ_CHECK((*reader)->bytes_read() <= static_cast<int64_t>(input.size()), "bytes read within the input");
    if (!parser.ok()) continue;
    const auto parsed = (*parser)->Parse(record);
    if (const auto* error = std::get_if<rkd::RowError>(&parsed)) {
      FUZZ_CHECK(error->line >= 1 && error->line <= lines, "a RowError's line is within the input");
      FUZZ_CHECK(!error->reason.empty(), "a RowError says why");
      continue;
    }
    const auto& row = std::get<rkd::OrderRow>(std::get<rkd::ParsedRow>(parsed));
    FUZZ_CHECK(row.line == record.line, "a row keeps its record's line");
    FUZZ_CHECK(!row.user_id.empty() || !row.client_external_id.empty() || !row.client_email.empty(),
               "an order names its client");
    FUZZ_CHECK(row.total_cents >= 0, "a total is not negative");
    FUZZ_CHECK(row.order_date >= 0 && row.order_date <= kNow + rkd::kMillisPerDay, "a date within range");
    FUZZ_CHECK(!row.external_id.empty(), "an order has an id");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FUZZ_NO_THROW(Run(std::string(reinterpret_cast<const char*>(data), size)));
  return 0;
}
