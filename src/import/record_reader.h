// Reading an import file record by record, streamed (a file is never held whole):
// CSV (RFC 4180), JSON Lines, and CDNOW's transaction log. Each record is a list of
// (name, value) pairs: CSV's header names, JSON's keys (a nested array or object as its
// JSON text, null as absent), CDNOW's fixed names.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace rkd {

// kShopify: Shopify's orders export, a CSV read one order per record
// (import/shopify_orders_export.h).
enum class ImportFormat { kCsv, kJsonl, kCdnow, kShopify };

// "csv" | "jsonl" | "cdnow" | "shopify"; InvalidArgument (field "format") otherwise.
Result<ImportFormat> ParseImportFormat(const std::string& name);
const char* ImportFormatName(ImportFormat format);
// CDNOW's log and Shopify's orders export hold orders, never clients alone.
bool FormatHoldsOnlyOrders(ImportFormat format);
// By a file name's extension (.csv, .jsonl/.ndjson, .txt → cdnow); InvalidArgument when
// it tells nothing (stdin, an unknown extension): then --format is needed.
Result<ImportFormat> FormatOfPath(const std::string& path);

struct SourceRecord {
  int64_t line = 0;  // the line the record starts on (1-based)
  std::vector<std::pair<std::string, std::string>> fields;
  // A record the reader could delimit but not read (a CSV row with more or fewer fields
  // than the header, invalid UTF-8, a JSON line that is not an object): why, with
  // `fields` empty. The import rejects that row and reads on.
  std::string error;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The column names known before the first record (CSV's header; CDNOW's four); empty
  // for JSON Lines, whose keys come with each record.
  virtual const std::vector<std::string>& columns() const = 0;
  // The next record into `out`: true when there was one, false at the end. A record
  // that cannot be read comes back with `out->error` set (see SourceRecord). An error of
  // the whole file names the line and why (InvalidArgument): an unterminated quote (it
  // runs to the end), a wrong delimiter (a header of one column holding ';' or '\t'), an
  // empty file; reading stops there.
  virtual Result<bool> Next(SourceRecord* out) = 0;
  // Bytes consumed so far (progress: rows/s and ETA against the file's size).
  virtual int64_t bytes_read() const = 0;
};

// `in` must outlive the reader. CSV: a UTF-8 BOM is skipped; CRLF or LF; quoted fields
// may hold commas, quotes ("") and line breaks. Fails at once on a bad header.
Result<std::unique_ptr<RecordReader>> MakeRecordReader(ImportFormat format, std::istream& in);

}  // namespace rkd
