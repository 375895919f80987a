// From a file's records to validated rows (import_rows.h): the column mapping (by
// header name, with --map overrides), then each field's parsing and checks. One
// RowParser per file: it remembers the ids seen so far (duplicates inside one file are
// an error) and the ordinal of each client's lines per day (derived order ids).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/import_rows.h"
#include "import/record_reader.h"

namespace rkd {

// --map "field=column,field=column": the file's column for a field whose column is not
// named as the field. InvalidArgument (field "map") for a malformed list or an unknown field.
Result<std::map<std::string, std::string>> ParseColumnMap(const std::string& spec);

// One value of an import, checked as the import checks it; nullopt when it is good,
// else why it is not ("\"x\" is not an amount such as 12.50"). The shop webhooks
// (integrations/) read the platforms' amounts and dates with them.
// A CSV export writes a text starting with = + - @ TAB or CR after an apostrophe, so that
// a spreadsheet does not run it as a formula (CSV injection; Rekindle's exports and
// Shopify's do it); reading drops that one apostrophe again ("''=…" keeps one).
std::string_view WithoutFormulaGuard(std::string_view v);
// Decimal text to cents, exactly ("12.5" is 1250); not negative.
std::optional<std::string> ParseCents(std::string_view v, int64_t* cents);
// "YYYY-MM-DD", RFC 3339, "YYYYMMDD" or epoch milliseconds; not before 1970 nor after
// `now` + a day.
std::optional<std::string> ParseDate(std::string_view v, Millis now, Millis* out);

// The fields each kind reads (their canonical names, as the API's JSON spells them):
//   clients: externalId, email, name, preferredCategories, timeZone, createdAt, and the
//            export's read-only columns (userId, orderCount, averageOrderValue,
//            totalSpent, firstOrderDate, lastOrderDate, engagementScore, lastEmailDate,
//            updatedAt), accepted and ignored: they follow from the orders.
//   orders:  externalId, userId, clientExternalId, email, name, orderDate, totalValue,
//            itemCount, items, status; the export's read-only orderId, createdAt.
// A column matches a field by name ignoring case, spaces, '_' and '-'
// ("external_id", "External ID"). Every required field must have a column (clients: an
// externalId or an email; orders: orderDate, totalValue, and one of userId,
// clientExternalId, email); a column that matches no field is an error unless
// `ignore_unknown`.
// The fields a kind's rows take, in the order above (the read-only ones left out): the
// dashboard's mapping lists them.
const std::vector<std::string>& ImportFields(ImportKind kind);

struct ColumnMapping {
  std::map<std::string, std::string> field_to_column;  // the field's column in the file
  std::vector<std::string> unknown;                    // columns that match no field
  std::vector<std::string> missing;                    // required fields with no column
};
// The mapping a header gets (the dashboard shows it before an import starts).
ColumnMapping MapColumns(ImportKind kind, const std::vector<std::string>& columns,
                         const std::map<std::string, std::string>& overrides);

using ParsedRow = std::variant<ClientRow, OrderRow>;

struct RowParserOptions {
  ImportKind kind = ImportKind::kClients;
  ImportFormat format = ImportFormat::kCsv;
  std::map<std::string, std::string> column_map;  // --map
  bool ignore_unknown = false;
  Millis now = 0;  // dates after now (+ a day's slack for time zones) are refused
};

class RowParser {
 public:
  // InvalidArgument naming the columns when the header does not map (unknown or missing).
  static Result<std::unique_ptr<RowParser>> Make(const RowParserOptions& options,
                                                 const std::vector<std::string>& columns);
  virtual ~RowParser() = default;
  // One record: its row, or the RowError that rejects it. Checks: required values present,
  // dates (YYYY-MM-DD, RFC 3339, CDNOW's YYYYMMDD; JSON numbers as epoch ms) not in the
  // future, amounts decimal and not negative (rounded to cents), counts whole, emails
  // plausible, time zones known, names and ids within length bounds, text valid UTF-8,
  // ids (and clients' emails) not seen before in this file. JSON Lines records are
  // mapped by their own keys (the first record's keys are checked like a header).
  // The forms read: values are trimmed; a date of 8 digits is YYYYMMDD, other digit
  // runs are epoch ms; preferredCategories is a JSON array of strings, or text split on
  // '|' and ';' (never ',', which category names may hold); a CSV value starting with
  // an apostrophe before = + - @ TAB CR (an export's formula guard) loses it; a record
  // with SourceRecord::error is rejected with that reason. A record must come from a
  // reader over the `columns` Make was given (CSV and CDNOW values are read by position).
  virtual std::variant<ParsedRow, RowError> Parse(const SourceRecord& record) = 0;
  virtual const ColumnMapping& mapping() const = 0;
};

}  // namespace rkd
