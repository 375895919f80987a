#include "import/importer.h"

#include <chrono>
#include <unordered_map>
#include <utility>

#include "import/row_parser.h"
#include "import/row_spool.h"

namespace rkd {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// The figures, told at most every 200 ms (and at each phase's end).
class Progress {
 public:
  Progress(ImportFigures& figures, const ImportCallbacks& callbacks)
      : figures_(figures), callbacks_(callbacks), start_(SteadyClock::now()) {}

  void Tick(bool force = false) {
    if (!callbacks_.on_progress) return;
    const auto now = SteadyClock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    figures_.seconds = SecondsSince(start_);
    callbacks_.on_progress(figures_);
  }
  SteadyClock::time_point start() const { return start_; }

 private:
  ImportFigures& figures_;
  const ImportCallbacks& callbacks_;
  SteadyClock::time_point start_, last_{};
};

// The rejected rows: each to on_reject, the first few kept for the summary.
class Rejects {
 public:
  Rejects(ImportSummary& summary, const ImportOptions& options, const ImportCallbacks& callbacks)
      : summary_(summary), options_(options), callbacks_(callbacks) {}

  void Add(RowError e) {
    ++summary_.figures.rejected;
    if (callbacks_.on_reject) callbacks_.on_reject(e);
    if (summary_.rejects.size() < options_.max_rejects_kept) summary_.rejects.push_back(std::move(e));
  }

 private:
  ImportSummary& summary_;
  const ImportOptions& options_;
  const ImportCallbacks& callbacks_;
};

Status RowFailure(const RowError& e) {
  return Status::InvalidArgument(
      "line " + std::to_string(e.line) + (e.field.empty() ? "" : ", " + e.field) + ": " + e.reason, e.field);
}

// The second pass: the spool's rows in batches, for Store::ImportRows.
class SpoolFeed final : public ImportFeed {
 public:
  SpoolFeed(RowSpool& spool, const ImportOptions& options, ImportSummary& summary, Rejects& rejects, Progress& progress,
            const std::unordered_map<std::string, ClientTotals>* totals)
      : spool_(spool), options_(options), summary_(summary), rejects_(rejects), progress_(progress), totals_(totals) {}

  Result<std::optional<ImportBatch>> Next() override {
    ImportBatch batch;
    batch.totals = totals_;
    const size_t want = static_cast<size_t>(std::max(options_.batch_rows, 1));
    while (batch.clients.size() + batch.orders.size() < want) {
      if (options_.kind == ImportKind::kClients) {
        auto row = spool_.ReadClient();
        if (!row.ok()) return row.status();
        if (!*row) break;
        batch.clients.push_back(std::move(**row));
      } else {
        auto row = spool_.ReadOrder();
        if (!row.ok()) return row.status();
        if (!*row) break;
        batch.orders.push_back(std::move(**row));
      }
    }
    if (batch.clients.empty() && batch.orders.empty()) return std::optional<ImportBatch>();
    return std::optional<ImportBatch>(std::move(batch));
  }

  void Written(const ImportBatch&, const ImportBatchResult& result) override {
    ImportFigures& f = summary_.figures;
    for (ImportOutcome o : result.outcomes) {
      switch (o) {
        case ImportOutcome::kImported:
          ++f.imported;
          break;
        case ImportOutcome::kUpdated:
          ++f.updated;
          break;
        case ImportOutcome::kUnchanged:
          ++f.unchanged;
          break;
        case ImportOutcome::kRejected:
          break;  // counted with its reason below
      }
    }
    for (const RowError& e : result.rejects) rejects_.Add(e);
    f.clients_created += result.clients_created;
    progress_.Tick();
  }

  void Refreshed(int64_t) override {
    summary_.figures.phase = "refreshing";
    progress_.Tick();
  }

 private:
  RowSpool& spool_;
  const ImportOptions& options_;
  ImportSummary& summary_;
  Rejects& rejects_;
  Progress& progress_;
  const std::unordered_map<std::string, ClientTotals>* totals_;
};

}  // namespace

Result<ImportSummary> RunImport(Store& store, const Clock& clock, std::istream& in, int64_t total_bytes,
                                const std::string& spool_dir, const ImportOptions& options,
                                const ImportCallbacks& callbacks) {
  ImportSummary summary;
  summary.dry_run = options.dry_run;
  ImportFigures& f = summary.figures;
  f.total_bytes = total_bytes;
  f.phase = "validating";
  Progress progress(f, callbacks);
  Rejects rejects(summary, options, callbacks);

  // The first pass: every row parsed and checked, the valid ones spooled.
  auto reader = MakeRecordReader(options.format, in);
  if (!reader.ok()) return reader.status();
  RowParserOptions parser_options;
  parser_options.kind = options.kind;
  parser_options.format = options.format;
  parser_options.column_map = options.column_map;
  parser_options.ignore_unknown = options.ignore_unknown;
  parser_options.now = clock.Now();
  auto parser = RowParser::Make(parser_options, (*reader)->columns());
  if (!parser.ok()) return parser.status();
  auto spool = RowSpool::Open(spool_dir);
  if (!spool.ok()) return spool.status();
  // Each client's figures in this file, for the clients the import creates.
  std::unordered_map<std::string, ClientTotals> totals;
  SourceRecord record;
  for (;;) {
    auto more = (*reader)->Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    ++f.rows;
    f.bytes_read = (*reader)->bytes_read();
    std::variant<ParsedRow, RowError> parsed =
        record.error.empty() ? (*parser)->Parse(record)
                             : std::variant<ParsedRow, RowError>(RowError{record.line, "", record.error});
    if (auto* e = std::get_if<RowError>(&parsed)) {
      if (!options.skip_invalid) return RowFailure(*e);  // before anything is written
      rejects.Add(std::move(*e));
    } else {
      const ParsedRow& row = std::get<ParsedRow>(parsed);
      // A cancelled order counts for nothing (the store's order-totals agree).
      if (const auto* order = std::get_if<OrderRow>(&row);
          order && order->user_id.empty() && order->status != kOrderCancelled)
        totals[ClientKeyOf(*order)].Add(order->order_date, order->total_cents);
      Status written = std::visit([&](const auto& r) { return spool->Write(r); }, row);
      RKD_RETURN_IF_ERROR(written);
    }
    progress.Tick();
  }
  f.bytes_read = (*reader)->bytes_read();
  if (f.rows == 0) return Status::InvalidArgument("the file has no rows (a header alone, or nothing)", "file");
  progress.Tick(true);

  // The second pass: the valid rows written in batches.
  f.phase = "writing";
  RKD_RETURN_IF_ERROR(spool->Rewind());
  SpoolFeed feed(*spool, options, summary, rejects, progress, &totals);
  ImportWriteOptions write_options;
  write_options.dry_run = options.dry_run;
  write_options.stop_on_reject = !options.skip_invalid;
  write_options.at_risk_below = options.at_risk_below;
  auto at_risk = store.ImportRows(feed, write_options);
  if (!at_risk.ok()) {
    // A row the store refused (an address another client has, an unknown userId) or a
    // fault. The batches before it stand: the same command, run again once the file is
    // fixed, counts them unchanged and writes the rest.
    const int64_t written = f.imported + f.updated;
    const Status& st = at_risk.status();
    if (callbacks.on_stop) callbacks.on_stop(options.dry_run ? 0 : written);
    if (options.dry_run || written == 0) return st;
    return st.WithMessage(st.message() + "; the " + std::to_string(written) +
                          " rows before it were written (run the same command again once the file is fixed: they "
                          "will count as unchanged)");
  }
  f.at_risk = *at_risk;
  f.phase = "done";
  f.seconds = SecondsSince(progress.start());
  progress.Tick(true);
  return summary;
}

}  // namespace rkd
