#include "app/import_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/components.h"
#include "base/log.h"
#include "import/exporter.h"
#include "import/importer.h"
#include "import/row_parser.h"

namespace rkd {
namespace {

int Fail(const Status& st) {
  std::cerr << "rekindle: " << st.message() << "\n";
  return st.code() == Code::kInvalidArgument ? 2 : 1;
}

// "1,234,567"
std::string Grouped(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

// A terminal's progress line, redrawn in place: rows, rows/s, a bar and the ETA when the
// input's size is known.
void DrawProgress(const ImportFigures& f) {
  const double rate = f.seconds > 0 ? static_cast<double>(f.rows) / f.seconds : 0;
  std::string line = "\r" + f.phase + "  " + Grouped(f.rows) + " rows  " + Grouped(std::llround(rate)) + " rows/s";
  if (f.total_bytes > 0 && f.phase == "validating") {
    const double done = std::min(1.0, static_cast<double>(f.bytes_read) / static_cast<double>(f.total_bytes));
    const int width = 24, filled = static_cast<int>(done * width);
    line += "  [" + std::string(static_cast<size_t>(filled), '#') +
            std::string(static_cast<size_t>(width - filled), '.') + "] " + std::to_string(std::lround(done * 100)) +
            "%";
    if (done > 0.01) line += "  ETA " + std::to_string(std::lround(f.seconds * (1 - done) / done)) + " s";
  } else if (f.phase != "validating") {
    line += "  " + Grouped(f.imported + f.updated + f.unchanged) + " written";
  }
  std::cerr << line << "\033[K" << std::flush;
}

std::string SummaryLine(const ImportSummary& s) {
  const ImportFigures& f = s.figures;
  std::string line = std::string(s.dry_run ? "dry run (nothing written): would import " : "imported ") +
                     Grouped(f.imported) + ", updated " + Grouped(f.updated) + ", unchanged " + Grouped(f.unchanged) +
                     ", rejected " + Grouped(f.rejected);
  if (f.clients_created) line += "; " + Grouped(f.clients_created) + " new clients";
  line += "; " + Grouped(f.at_risk) + " clients " + (s.dry_run ? "would be" : "are now") + " at risk";
  char secs[32];
  std::snprintf(secs, sizeof secs, " (%.2f s)", f.seconds);
  return line + secs;
}

}  // namespace

CLI::App* AddImportCommand(CLI::App& app, ImportArgs& a) {
  auto* cmd = app.add_subcommand(
      "import",
      "Import a shop's clients or order history from CSV, JSON Lines, CDNOW's log or Shopify's orders export "
      "(emails no one by itself)");
  cmd->add_option("KIND", a.kind, "clients or orders")->required()->check(CLI::IsMember({"clients", "orders"}));
  cmd->add_option("FILE", a.file, "The file; - reads standard input")->required();
  cmd->add_option("--format", a.format, "csv, jsonl, cdnow or shopify (default: by the file's extension)")
      ->check(CLI::IsMember({"csv", "jsonl", "cdnow", "shopify"}));
  cmd->add_option("--map", a.map, "Columns named otherwise: field=column,field=column");
  cmd->add_flag("--ignore-unknown", a.ignore_unknown, "Ignore columns that match no field (default: an error)");
  cmd->add_flag("--skip-invalid", a.skip_invalid,
                "Import the good rows and reject the rest (default: stop at the first)");
  cmd->add_option("--rejects", a.rejects, "With --skip-invalid: write each rejected row's line and reason here (CSV)");
  cmd->add_flag("--dry-run", a.dry_run, "Parse, validate and count what would change; write nothing");
  cmd->add_flag("--sweep", a.sweep, "Queue emails for the clients at risk at once (default: at the next sweep)");
  cmd->add_option("--batch-size", a.batch_rows, "Rows per transaction")->check(CLI::Range(1, 1'000'000));
  return cmd;
}

CLI::App* AddExportCommand(CLI::App& app, ExportArgs& a) {
  auto* cmd = app.add_subcommand(
      "export", "Write every client, order or email as CSV or JSON Lines (the columns an import reads back)");
  cmd->add_option("KIND", a.kind, "clients, orders or emails")
      ->required()
      ->check(CLI::IsMember({"clients", "orders", "emails"}));
  cmd->add_option("FILE", a.file, "Where to write (default, or -: standard output)");
  cmd->add_option("--format", a.format, "csv or jsonl")->check(CLI::IsMember({"csv", "jsonl"}));
  return cmd;
}

int RunImportCommand(const Config& config, const ImportArgs& a, const std::function<int()>& sweep) {
  ImportOptions options;
  options.kind = a.kind == "orders" ? ImportKind::kOrders : ImportKind::kClients;
  auto format = a.format.empty() ? FormatOfPath(a.file) : ParseImportFormat(a.format);
  if (!format.ok())
    return Fail(
        Status::InvalidArgument(format.status().message() + " (name one with --format csv|jsonl|cdnow|shopify)"));
  options.format = *format;
  if (FormatHoldsOnlyOrders(options.format) && options.kind != ImportKind::kOrders) {
    const std::string name = ImportFormatName(options.format);
    return Fail(Status::InvalidArgument("--format " + name +
                                        " reads orders only: rekindle import orders FILE --format " + name));
  }
  auto map = ParseColumnMap(a.map);
  if (!map.ok()) return Fail(map.status());
  options.column_map = *map;
  options.ignore_unknown = a.ignore_unknown;
  options.skip_invalid = a.skip_invalid;
  options.dry_run = a.dry_run;
  options.batch_rows = a.batch_rows;
  options.at_risk_below = config.score.threshold;
  if (!a.rejects.empty() && !a.skip_invalid)
    return Fail(
        Status::InvalidArgument("--rejects goes with --skip-invalid (without it the first bad row stops the import)"));

  std::ifstream file;
  std::istream* in = &std::cin;
  int64_t total_bytes = 0;
  if (a.file != "-") {
    file.open(a.file, std::ios::binary);
    if (!file) return Fail(Status::InvalidArgument("cannot read " + a.file + ": " + std::strerror(errno)));
    std::error_code ec;
    total_bytes = static_cast<int64_t>(std::filesystem::file_size(a.file, ec));
    if (ec) total_bytes = 0;
    in = &file;
  }
  std::ofstream rejects;
  ImportCallbacks callbacks;
  if (!a.rejects.empty()) {
    rejects.open(a.rejects, std::ios::trunc);
    if (!rejects) return Fail(Status::InvalidArgument("cannot write " + a.rejects));
    rejects << "line,field,reason\r\n";
    callbacks.on_reject = [&rejects](const RowError& e) {
      std::string reason = e.reason;
      for (size_t p = 0; (p = reason.find('"', p)) != std::string::npos; p += 2) reason.insert(p, "\"");
      rejects << e.line << ',' << e.field << ",\"" << reason << "\"\r\n";
    };
  }
  int64_t written = 0;  // rows written before the store stopped the import
  callbacks.on_stop = [&written](int64_t n) { written = n; };
  const bool terminal = isatty(STDERR_FILENO) != 0;
  if (terminal) callbacks.on_progress = DrawProgress;

  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  auto summary = RunImport(**store, clock, *in, total_bytes, config.data_dir() + "/tmp", options, callbacks);
  if (terminal) std::cerr << "\r\033[K" << std::flush;
  if (!summary.ok()) {
    std::cerr << "rekindle: import stopped: " << summary.status().message() << "\n";
    if (!options.dry_run && written == 0) std::cerr << "rekindle: nothing from the file was written\n";
    return summary.status().code() == Code::kInvalidArgument ? 2 : 1;
  }
  LogInfo("imported", {{"kind", a.kind},
                       {"file", a.file},
                       {"dryRun", a.dry_run},
                       {"rows", summary->figures.rows},
                       {"imported", summary->figures.imported},
                       {"updated", summary->figures.updated},
                       {"unchanged", summary->figures.unchanged},
                       {"rejected", summary->figures.rejected},
                       {"atRisk", summary->figures.at_risk},
                       {"seconds", summary->figures.seconds}});
  std::cout << SummaryLine(*summary) << "\n";
  for (size_t i = 0; i < summary->rejects.size() && i < 5 && a.rejects.empty(); ++i) {
    const RowError& e = summary->rejects[i];
    std::cout << "  rejected line " << e.line << (e.field.empty() ? "" : ", " + e.field) << ": " << e.reason << "\n";
  }
  if (a.sweep && !a.dry_run) return sweep();
  if (!a.dry_run && summary->figures.at_risk > 0)
    std::cout << "nothing was emailed: the next sweep queues the clients at risk (or run `rekindle sweep`)\n";
  return 0;
}

int RunExportCommand(const Config& config, const ExportArgs& a) {
  auto kind = ParseExportKind(a.kind);
  if (!kind.ok()) return Fail(kind.status());
  const ImportFormat format = a.format == "jsonl" ? ImportFormat::kJsonl : ImportFormat::kCsv;
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!a.file.empty() && a.file != "-") {
    file.open(a.file, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::InvalidArgument("cannot write " + a.file + ": " + std::strerror(errno)));
    out = &file;
  }
  ExportWriter writer(*kind, format, *out);
  auto n = ExportAll(**store, *kind, writer);
  if (!n.ok()) return Fail(n.status());
  out->flush();
  if (!*out) return Fail(Status::Internal("cannot write the export (is the disk full?)"));
  LogInfo("exported", {{"kind", a.kind}, {"rows", *n}, {"file", a.file.empty() ? "-" : a.file}});
  return 0;
}

}  // namespace rkd
