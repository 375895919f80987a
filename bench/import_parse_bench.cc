// The import's parsing alone (issue 10): a synthetic orders CSV (default 1,000,000 lines
// for 200,000 clients, no order ids, so every line derives one) written to a file, then
// read record by record (import/record_reader.h) and read + parsed into rows
// (import/row_parser.h). Prints lines/s and MB/s of each. No store: the importer's
// writing is measured by the import benchmark proper.
//   import_parse_bench [lines] [file]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "import/record_reader.h"
#include "import/row_parser.h"

namespace {

void Generate(const std::string& path, int64_t lines) {
  std::ofstream out(path, std::ios::binary);
  out << "clientExternalId,email,orderDate,totalValue,itemCount\n";
  uint64_t state = 42;
  const auto next = [&state] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int64_t i = 0; i < lines; ++i) {
    const uint64_t client = (next() >> 33) % 200'000;
    const uint64_t day = (next() >> 33) % 1500;  // from 2022-01-01
    const uint64_t cents = (next() >> 33) % 50'000;
    const std::string date =
        rkd::FormatRfc3339(1'640'995'200'000 + static_cast<int64_t>(day) * rkd::kMillisPerDay).substr(0, 10);
    const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    char buf[160];
    const int n = std::snprintf(buf, sizeof buf, "C%06llu,client%06llu@example.com,%s,%llu.%02llu,%llu\n", u(client),
                                u(client), date.c_str(), u(cents / 100), u(cents % 100), u(1 + cents % 5));
    out.write(buf, n);
  }
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Run(const std::string& path, bool parse) {
  std::ifstream in(path, std::ios::binary);
  const auto start = std::chrono::steady_clock::now();
  auto reader = rkd::MakeRecordReader(rkd::ImportFormat::kCsv, in);
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.status().message().c_str());
    return 1;
  }
  rkd::RowParserOptions options;
  options.kind = rkd::ImportKind::kOrders;
  options.now = rkd::SystemClock().Now();
  auto parser = rkd::RowParser::Make(options, (*reader)->columns());
  if (!parser.ok()) {
    std::fprintf(stderr, "%s\n", parser.status().message().c_str());
    return 1;
  }
  rkd::SourceRecord record;
  int64_t rows = 0, rejected = 0;
  for (;;) {
    auto next = (*reader)->Next(&record);
    if (!next.ok()) {
      std::fprintf(stderr, "%s\n", next.status().message().c_str());
      return 1;
    }
    if (!*next) break;
    ++rows;
    if (parse && std::holds_alternative<rkd::RowError>((*parser)->Parse(record))) ++rejected;
  }
  const double s = Seconds(start);
  std::printf("%-16s %9lld lines in %6.3f s: %10.0f lines/s, %6.1f MB/s (%lld rejected)\n",
              parse ? "read + parse" : "read only", static_cast<long long>(rows), s, static_cast<double>(rows) / s,
              static_cast<double>((*reader)->bytes_read()) / s / 1e6, static_cast<long long>(rejected));
  return rejected == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t lines = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/import_parse_bench.csv";
  const auto start = std::chrono::steady_clock::now();
  Generate(path, lines);
  std::printf("generated %lld lines into %s in %.1f s\n", static_cast<long long>(lines), path.c_str(), Seconds(start));
  const int read = Run(path, /*parse=*/false);
  const int parsed = Run(path, /*parse=*/true);
  std::remove(path.c_str());
  return read | parsed;
}
