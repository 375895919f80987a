// An online backup of a SQLite database (`rekindle backup FILE`): a consistent copy
// taken while the service keeps writing, with SQLite's backup API. The copy is made in
// one step inside one read transaction: in WAL mode a reader never blocks the writer, and
// one step sees one snapshot (small steps would restart whenever another connection
// writes, and under steady writes might never finish). It is written beside `dest` and
// renamed over it once complete and checked, so `dest` is never a half-made copy.
// Thread-safe (it opens its own connections).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"

namespace rkd {

struct BackupResult {
  int64_t pages = 0;
  int64_t bytes = 0;
  double seconds = 0;
};

// Copies the database at `source` (which must exist) to `dest`. FailedPrecondition when
// `source` is not a database, Internal when the copy fails its integrity check.
Result<BackupResult> BackupSqlite(const std::string& source, const std::string& dest);

}  // namespace rkd
