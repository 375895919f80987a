// An import, from a file to the store (issue 10): the file is read twice, streamed.
// The first pass parses and validates every row (record_reader.h, row_parser.h) and
// keeps the valid ones in a spool file; by default one bad row stops it there, before
// anything is written. The second pass writes the spool in batches (Store::ImportRows),
// each batch one transaction; the clients whose orders changed get their derived fields
// and scores refreshed at the end. No change record is written: an import emails nobody
// by itself (the next sweep finds who is at risk). A dry run writes in one transaction
// that is rolled back, so its figures are the ones a real run would give.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/import_rows.h"
#include "import/record_reader.h"
#include "store/store.h"

namespace rkd {

struct ImportOptions {
  ImportKind kind = ImportKind::kClients;
  ImportFormat format = ImportFormat::kCsv;
  std::map<std::string, std::string> column_map;  // --map
  bool ignore_unknown = false;
  bool skip_invalid = false;  // import the good rows; the rest become `rejects`
  bool dry_run = false;
  int batch_rows = 50000;          // measured: fewer, larger transactions write faster (bench/README.md)
  double at_risk_below = 40;       // the score threshold of "at risk"
  size_t max_rejects_kept = 1000;  // in the summary (every one goes to on_reject)
};

struct ImportFigures {
  std::string phase;                        // validating, writing, refreshing, done
  int64_t rows = 0;                         // records read
  int64_t bytes_read = 0, total_bytes = 0;  // total_bytes 0: unknown (stdin)
  int64_t imported = 0, updated = 0, unchanged = 0, rejected = 0;
  int64_t clients_created = 0;  // by an orders file naming clients the store lacked
  int64_t at_risk = 0;          // clients at risk in the store once it is done
  double seconds = 0;
};

struct ImportSummary {
  ImportFigures figures;
  std::vector<RowError> rejects;  // the first max_rejects_kept
  bool dry_run = false;
};

struct ImportCallbacks {
  std::function<void(const ImportFigures&)> on_progress;  // a few times a second at most
  std::function<void(const RowError&)> on_reject;         // every rejected row (--rejects FILE)
  // When the store stops the import after some batches were written: how many rows
  // (a stop before any write, or while validating, leaves the store as it was).
  std::function<void(int64_t written)> on_stop;
};

// InvalidArgument naming the line, the field and why for the first bad row (without
// skip_invalid), or the header's problem; nothing is written then. `total_bytes` is the
// input's size when known (progress), `spool_dir` a folder for the spool file.
Result<ImportSummary> RunImport(Store& store, const Clock& clock, std::istream& in, int64_t total_bytes,
                                const std::string& spool_dir, const ImportOptions& options,
                                const ImportCallbacks& callbacks = {});

}  // namespace rkd
