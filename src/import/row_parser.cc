#include "import/row_parser.h"

#include <algorithm>
#include <array>
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "api/validation.h"  // IsValidEmailAddress, CheckExternalId, ParseNewOrder: the API's rules
#include "base/text_encoding.h"
#include "base/time_zone.h"

namespace rkd {
namespace {

using nlohmann::json;

// What a column can be. kReadOnly: an export's computed column, accepted and ignored.
enum class Field {
  kExternalId,
  kEmail,
  kName,
  kPreferredCategories,
  kTimeZone,
  kCreatedAt,
  kUserId,
  kClientExternalId,
  kOrderDate,
  kTotalValue,
  kItemCount,
  kItems,
  kStatus,
  kReadOnly,
  kUnknown,
};
constexpr size_t kFieldCount = static_cast<size_t>(Field::kUnknown);

struct FieldSpec {
  const char* name;
  Field field;
};

const std::vector<FieldSpec>& FieldsOf(ImportKind kind) {
  static const std::vector<FieldSpec> kClientFields = {{"externalId", Field::kExternalId},
                                                       {"email", Field::kEmail},
                                                       {"name", Field::kName},
                                                       {"preferredCategories", Field::kPreferredCategories},
                                                       {"timeZone", Field::kTimeZone},
                                                       {"createdAt", Field::kCreatedAt},
                                                       {"userId", Field::kReadOnly},
                                                       {"orderCount", Field::kReadOnly},
                                                       {"averageOrderValue", Field::kReadOnly},
                                                       {"totalSpent", Field::kReadOnly},
                                                       {"firstOrderDate", Field::kReadOnly},
                                                       {"lastOrderDate", Field::kReadOnly},
                                                       {"engagementScore", Field::kReadOnly},
                                                       {"lastEmailDate", Field::kReadOnly},
                                                       {"updatedAt", Field::kReadOnly}};
  static const std::vector<FieldSpec> kOrderFields = {{"externalId", Field::kExternalId},
                                                      {"userId", Field::kUserId},
                                                      {"clientExternalId", Field::kClientExternalId},
                                                      {"email", Field::kEmail},
                                                      {"name", Field::kName},
                                                      {"orderDate", Field::kOrderDate},
                                                      {"totalValue", Field::kTotalValue},
                                                      {"itemCount", Field::kItemCount},
                                                      {"items", Field::kItems},
                                                      {"status", Field::kStatus},
                                                      {"orderId", Field::kReadOnly},
                                                      {"createdAt", Field::kReadOnly}};
  return kind == ImportKind::kClients ? kClientFields : kOrderFields;
}

// How a header name compares with a field's: without case, spaces, '_' and '-'.
std::string Normalized(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

const FieldSpec* FindField(ImportKind kind, std::string_view name) {
  const std::string n = Normalized(name);
  for (const FieldSpec& spec : FieldsOf(kind))
    if (Normalized(spec.name) == n) return &spec;
  return nullptr;
}

// The field `column` reads as: an override naming it, else its own name (unless that
// field's override points at another column).
// Whether `column` would read as a field that the overrides read from no column
// ("field=").
bool UnmappedByOverride(ImportKind kind, const std::string& column,
                        const std::map<std::string, std::string>& overrides) {
  const FieldSpec* spec = FindField(kind, column);
  if (!spec) return false;
  auto it = overrides.find(spec->name);
  return it != overrides.end() && it->second.empty();
}

const FieldSpec* FieldOfColumn(ImportKind kind, const std::string& column,
                               const std::map<std::string, std::string>& overrides) {
  for (const auto& [field, mapped] : overrides)
    if (mapped == column) return FindField(kind, field);
  const FieldSpec* spec = FindField(kind, column);
  if (spec && overrides.count(spec->name)) return nullptr;
  return spec;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string_view Trim(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// A value as a message shows it: at most 60 bytes, cut on a character boundary.
std::string Shown(std::string_view v) {
  if (v.empty()) return "(empty)";
  if (v.size() <= 60) return std::string(v);
  size_t cut = 60;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xc0) == 0x80) --cut;
  return std::string(v.substr(0, cut)) + "...";
}

// The reason of an API validation status, without the field name it starts with.
std::string ReasonOf(const Status& status, const std::string& field) {
  const std::string& m = status.message();
  return m.rfind(field + " ", 0) == 0 ? m.substr(field.size() + 1) : m;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// Decimal text to cents, exactly: "12.5" is 1250; a third decimal rounds half away from
// zero ("0.005" is 1). No sign, exponent or thousands separator.
std::string_view WithoutFormulaGuard(std::string_view v) {
  constexpr std::string_view kFormulaStart = "=+-@\t\r";
  size_t quotes = 0;
  while (quotes < v.size() && quotes < 2 && v[quotes] == '\'') ++quotes;
  if (quotes > 0 && quotes < v.size() && kFormulaStart.find(v[quotes]) != std::string_view::npos) v.remove_prefix(1);
  return v;
}

std::optional<std::string> ParseCents(std::string_view v, int64_t* cents) {
  if (v.empty()) return "is required";
  if (v.front() == '-') return Shown(v) + " is negative";
  if (v.front() == '+') v.remove_prefix(1);
  const size_t dot = v.find('.');
  const std::string_view whole = v.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  const bool digits = (whole.empty() || AllDigits(whole)) && (frac.empty() || AllDigits(frac));
  if (!digits || (whole.empty() && frac.empty())) return Shown(v) + " is not an amount such as 12.50";
  if (whole.size() > 12) return Shown(v) + " is too large";
  int64_t c = 0;
  for (char d : whole) c = c * 10 + (d - '0');
  for (size_t i = 0; i < 2; ++i) c = c * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  if (frac.size() > 2 && frac[2] >= '5') ++c;
  *cents = c;
  return std::nullopt;
}

// A date: "YYYY-MM-DD" (midnight UTC), RFC 3339, "YYYYMMDD" (CDNOW), or a whole number of
// milliseconds since the epoch (JSON numbers). Neither before 1970 nor after now + a day.
std::optional<std::string> ParseDate(std::string_view v, Millis now, Millis* out) {
  if (v.empty()) return "is required";
  std::optional<Millis> t;
  if (v.size() == 8 && AllDigits(v)) {
    const std::string iso =
        std::string(v.substr(0, 4)) + "-" + std::string(v.substr(4, 2)) + "-" + std::string(v.substr(6, 2));
    t = ParseRfc3339(iso);
  } else if (AllDigits(v) && v.size() <= 15) {
    t = std::stoll(std::string(v));
  } else {
    t = ParseRfc3339(v);
  }
  if (!t) return Shown(v) + " is not a date (YYYY-MM-DD, RFC 3339 such as 2026-01-31T12:00:00Z, or YYYYMMDD)";
  if (*t < 0) return Shown(v) + " is before 1970";
  if (*t > now + kMillisPerDay) return Shown(v) + " is in the future";
  *out = *t;
  return std::nullopt;
}

namespace {

std::optional<std::string> ParseCount(std::string_view v, int64_t* out) {
  if (v.front() == '-') return Shown(v) + " is negative";
  if (!AllDigits(v)) return Shown(v) + " is not a whole number";
  if (v.size() > 7) return Shown(v) + " is too large";
  *out = std::stoll(std::string(v));
  return std::nullopt;
}

// preferredCategories: a JSON array of strings (JSON Lines, or a CSV cell that holds
// one), else a list separated by '|' or ';' (commas are taken as part of a category).
std::optional<std::string> ParseCategories(std::string_view v, std::vector<std::string>* out) {
  out->clear();
  if (!v.empty() && v.front() == '[') {
    const json j = json::parse(v, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_array()) return "is not a JSON array of strings";
    for (const json& c : j) {
      if (!c.is_string()) return "must contain only strings";
      const std::string_view s = Trim(c.get_ref<const std::string&>());
      if (!s.empty()) out->emplace_back(s);
    }
  } else {
    size_t start = 0;
    while (start <= v.size()) {
      const size_t end = std::min(v.find_first_of("|;", start), v.size());
      const std::string_view s = Trim(v.substr(start, end - start));
      if (!s.empty()) out->emplace_back(s);
      start = end + 1;
    }
  }
  if (out->size() > 50) return "has more than 50 categories";
  for (const std::string& c : *out)
    if (c.size() > 100) return "has a category longer than 100 characters";
  return std::nullopt;
}

uint64_t HashOf(std::string_view s) { return std::hash<std::string_view>{}(s); }

// 64-bit hashes to small values, open-addressed in one array: a file's million ids cost
// 16 bytes and about one cache miss each, where std::unordered_map spends a node apiece.
template <typename V>
class HashTable {
 public:
  // The value of `hash`, default-constructed when it is new (*inserted says which).
  V& Find(uint64_t hash, bool* inserted) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    hash = hash == 0 ? 1 : hash;  // 0 marks an empty slot
    const size_t mask = slots_.size() - 1;
    for (size_t i = Mix(hash) & mask;; i = (i + 1) & mask) {
      if (slots_[i].first == hash) {
        *inserted = false;
        return slots_[i].second;
      }
      if (slots_[i].first == 0) {
        slots_[i].first = hash;
        ++size_;
        *inserted = true;
        return slots_[i].second;
      }
    }
  }

 private:
  // std::hash of a string is well spread, but of an integer it is the identity.
  static size_t Mix(uint64_t h) { return static_cast<size_t>((h ^ (h >> 31)) * 0x9E3779B97F4A7C15ULL >> 16); }

  void Grow() {
    std::vector<std::pair<uint64_t, V>> old(std::max<size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const auto& slot : old) {
      if (slot.first == 0) continue;
      size_t i = Mix(slot.first) & mask;
      while (slots_[i].first != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<std::pair<uint64_t, V>> slots_;
  size_t size_ = 0;
};

class RowParserImpl final : public RowParser {
 public:
  explicit RowParserImpl(const RowParserOptions& options) : options_(options) {}

  Status Init(const std::vector<std::string>& columns) {
    for (const auto& [field, column] : options_.column_map) {
      if (!FindField(options_.kind, field))
        return Status::InvalidArgument("map: " + field + " is not a field of " + KindName(), "map");
    }
    if (options_.format == ImportFormat::kJsonl) return Status::Ok();  // keys come with each record
    for (const auto& [field, column] : options_.column_map) {
      if (!column.empty() && std::find(columns.begin(), columns.end(), column) == columns.end())
        return Status::InvalidArgument("map: column " + column + " (for " + field + ") is not in the file's header",
                                       "map");
    }
    mapping_ = MapColumns(options_.kind, columns, options_.column_map);
    std::array<std::string, kFieldCount> seen;
    for (const std::string& column : columns) {
      const FieldSpec* spec = FieldOfColumn(options_.kind, column, options_.column_map);
      Field f = spec ? spec->field : Field::kUnknown;
      if (UnmappedByOverride(options_.kind, column, options_.column_map)) f = Field::kReadOnly;  // ignored
      if (f != Field::kUnknown && f != Field::kReadOnly) {
        std::string& first = seen[static_cast<size_t>(f)];
        if (!first.empty())
          return Status::InvalidArgument(
              "columns " + first + " and " + column + " both read as " + spec->name + "; keep one", "columns");
        first = column;
      }
      column_fields_.push_back(f);
    }
    if (!mapping_.unknown.empty() && !options_.ignore_unknown)
      return Status::InvalidArgument("unknown column(s) " + Joined(mapping_.unknown) +
                                         ": map them to a field (field=column) or ignore unknown columns",
                                     "columns");
    if (!mapping_.missing.empty())
      return Status::InvalidArgument(
          "no column for " + Joined(mapping_.missing) + " (the header has " + Joined(columns) + ")", "columns");
    return Status::Ok();
  }

  const ColumnMapping& mapping() const override { return mapping_; }

  std::variant<ParsedRow, RowError> Parse(const SourceRecord& record) override {
    line_ = record.line;
    if (!record.error.empty()) return Reject("", record.error);
    values_.fill(std::string_view());
    present_.fill(false);
    const bool by_position = options_.format != ImportFormat::kJsonl && record.fields.size() == column_fields_.size();
    for (size_t i = 0; i < record.fields.size(); ++i) {
      const auto& [name, value] = record.fields[i];
      Field f = by_position ? column_fields_[i] : FieldOfKey(name);
      if (f == Field::kUnknown) {
        if (options_.ignore_unknown) continue;
        return Reject("", name + " is not a field of " + KindName());
      }
      if (f == Field::kReadOnly) continue;
      const size_t k = static_cast<size_t>(f);
      if (present_[k]) return Reject("", name + " repeats a field already given");
      present_[k] = true;
      values_[k] = Trim(Unescaped(value));
      if (!IsValidUtf8(value)) return Reject(name, "is not valid UTF-8");
    }
    if (options_.kind == ImportKind::kClients) return ParseClient();
    return ParseOrder();
  }

 private:
  std::string KindName() const { return options_.kind == ImportKind::kClients ? "clients" : "orders"; }

  // JSON Lines: a key's field, decided on its first appearance (and shown in mapping()).
  Field FieldOfKey(const std::string& key) {
    auto it = key_fields_.find(key);
    if (it != key_fields_.end()) return it->second;
    const FieldSpec* spec = FieldOfColumn(options_.kind, key, options_.column_map);
    const Field f = spec ? spec->field : Field::kUnknown;
    if (spec) {
      mapping_.field_to_column.emplace(spec->name, key);
    } else {
      mapping_.unknown.push_back(key);
    }
    key_fields_.emplace(key, f);
    return f;
  }

  std::string_view Unescaped(std::string_view v) const {
    return options_.format == ImportFormat::kCsv || options_.format == ImportFormat::kShopify ? WithoutFormulaGuard(v)
                                                                                              : v;
  }

  std::string_view Value(Field f) const { return values_[static_cast<size_t>(f)]; }
  bool Present(Field f) const { return present_[static_cast<size_t>(f)]; }

  RowError Reject(const std::string& field, std::string reason) const {
    return RowError{line_, field, std::move(reason)};
  }

  std::optional<RowError> CheckId(Field f, const char* field, size_t max_len, std::string* out) const {
    const std::string_view v = Value(f);
    if (v.empty()) return std::nullopt;
    out->assign(v);
    if (const Status s = CheckExternalId(*out, field); !s.ok()) return Reject(field, ReasonOf(s, field));
    if (v.size() > max_len) return Reject(field, "must be at most " + std::to_string(max_len) + " characters");
    return std::nullopt;
  }

  std::optional<RowError> CheckEmail(std::string* out) const {
    const std::string_view v = Value(Field::kEmail);
    if (v.empty()) return std::nullopt;
    out->assign(v);
    if (!IsValidEmailAddress(*out)) return Reject("email", Shown(v) + " is not a valid email address");
    return std::nullopt;
  }

  std::optional<RowError> CheckName(std::string* out) const {
    const std::string_view v = Value(Field::kName);
    if (v.size() > 200) return Reject("name", "must be at most 200 characters");
    out->assign(v);
    return std::nullopt;
  }

  // The line where `key` was first seen in `seen`, or 0 (and it is recorded as seen now).
  int64_t SeenBefore(HashTable<int64_t>* seen, std::string_view key) const {
    bool inserted = false;
    int64_t& first = seen->Find(HashOf(key), &inserted);
    if (inserted) first = line_;
    return inserted ? 0 : first;
  }

  std::variant<ParsedRow, RowError> ParseClient() {
    ClientRow row;
    row.line = line_;
    if (auto e = CheckId(Field::kExternalId, "externalId", 128, &row.external_id)) return *e;
    if (auto e = CheckEmail(&row.email)) return *e;
    if (row.external_id.empty() && row.email.empty())
      return Reject(Present(Field::kExternalId) ? "externalId" : "email", "a client needs an externalId or an email");
    if (auto e = CheckName(&row.name)) return *e;
    if (Present(Field::kPreferredCategories)) {
      row.preferred_categories.emplace();
      if (auto why = ParseCategories(Value(Field::kPreferredCategories), &*row.preferred_categories))
        return Reject("preferredCategories", *why);
    }
    if (const std::string_view tz = Value(Field::kTimeZone); !tz.empty()) {
      row.time_zone.assign(tz);
      if (!TimeZone::Find(row.time_zone))
        return Reject("timeZone", Shown(tz) + " is not a known IANA time zone (such as Europe/Berlin)");
    }
    if (const std::string_view created = Value(Field::kCreatedAt); !created.empty()) {
      Millis t = 0;
      if (auto why = ParseDate(created, options_.now, &t)) return Reject("createdAt", *why);
      row.created_at = t;
    }
    // Duplicates last, so that a rejected row claims no id.
    if (!row.external_id.empty()) {
      if (const int64_t first = SeenBefore(&ids_, row.external_id))
        return Reject("externalId", row.external_id + " appears again (first on line " + std::to_string(first) + ")");
    }
    if (!row.email.empty()) {
      lowered_.assign(row.email);
      std::transform(lowered_.begin(), lowered_.end(), lowered_.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (const int64_t first = SeenBefore(&emails_, lowered_))
        return Reject("email", row.email + " appears again (first on line " + std::to_string(first) + ")");
    }
    return ParsedRow(std::move(row));
  }

  std::variant<ParsedRow, RowError> ParseOrder() {
    OrderRow row;
    row.line = line_;
    if (auto e = CheckId(Field::kExternalId, "externalId", 128, &row.external_id)) return *e;
    if (auto e = CheckId(Field::kUserId, "userId", 64, &row.user_id)) return *e;
    if (auto e = CheckId(Field::kClientExternalId, "clientExternalId", 128, &row.client_external_id)) return *e;
    if (auto e = CheckEmail(&row.client_email)) return *e;
    if (row.user_id.empty() && row.client_external_id.empty() && row.client_email.empty())
      return Reject("clientExternalId", "an order needs its client: a userId, a clientExternalId or an email");
    if (auto e = CheckName(&row.client_name)) return *e;
    if (auto why = ParseDate(Value(Field::kOrderDate), options_.now, &row.order_date)) return Reject("orderDate", *why);
    // The ordinal counts every line whose client and date read, valid or not, so that
    // fixing a rejected line's amount does not renumber the lines after it.
    uint32_t ordinal = 0;
    std::string client_key;
    if (row.external_id.empty()) {
      client_key = ClientKeyOf(row);
      ordinal_key_.assign(client_key);
      ordinal_key_ += '/';
      ordinal_key_ += std::to_string(WholeDaysBetween(0, row.order_date));
      bool inserted = false;
      ordinal = ++ordinals_.Find(HashOf(ordinal_key_), &inserted);
    }
    if (auto why = ParseCents(Value(Field::kTotalValue), &row.total_cents)) return Reject("totalValue", *why);
    if (const std::string_view items = Value(Field::kItems); !items.empty()) {
      if (auto e = ParseItems(items, &row.items)) return *e;
    }
    if (const std::string_view count = Value(Field::kItemCount); !count.empty()) {
      if (auto why = ParseCount(count, &row.item_count)) return Reject("itemCount", *why);
    } else {
      for (const OrderItem& item : row.items) row.item_count += item.quantity;
    }
    if (const std::string_view status = Value(Field::kStatus); !status.empty()) {
      row.status.assign(status);
      if (const Status s = CheckExternalId(row.status, "status"); !s.ok() || status.size() > 32)
        return Reject("status", "must be 1 to 32 printable ASCII characters");
    }
    if (row.external_id.empty()) {
      row.external_id = DerivedOrderId(client_key, row.order_date, static_cast<int>(ordinal));
      row.derived_id = true;
    } else if (const int64_t first = SeenBefore(&ids_, row.external_id)) {
      return Reject("externalId", row.external_id + " appears again (first on line " + std::to_string(first) + ")");
    }
    return ParsedRow(std::move(row));
  }

  // An array of {productId, name, category, price, quantity}, checked by the API's own
  // order rules (POST /api/orders) so that both take the same items.
  std::optional<RowError> ParseItems(std::string_view text, std::vector<OrderItem>* out) const {
    json items = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (items.is_discarded() || !items.is_array()) return Reject("items", "must be a JSON array of items");
    const json body = {{"userId", "import"}, {"totalValue", 0}, {"items", std::move(items)}};
    Result<Order> order = ParseNewOrder(body, options_.now);
    if (!order.ok()) return Reject("items", order.status().message());
    *out = std::move(order->items);
    return std::nullopt;
  }

  const RowParserOptions options_;
  ColumnMapping mapping_;
  std::vector<Field> column_fields_;                   // CSV and CDNOW: each column's field
  std::unordered_map<std::string, Field> key_fields_;  // JSON Lines: each key's field
  // The ids seen (their 64-bit hashes, to keep memory bounded on millions of rows) and
  // the line each was first seen on.
  HashTable<int64_t> ids_, emails_;
  HashTable<uint32_t> ordinals_;  // "<client key>/<day>" -> lines so far
  // The record being parsed.
  int64_t line_ = 0;
  std::array<std::string_view, kFieldCount> values_;
  std::array<bool, kFieldCount> present_{};
  std::string lowered_, ordinal_key_;
};

}  // namespace

const std::vector<std::string>& ImportFields(ImportKind kind) {
  static const auto kFields = [] {
    std::array<std::vector<std::string>, 2> fields;
    for (ImportKind k : {ImportKind::kClients, ImportKind::kOrders})
      for (const FieldSpec& spec : FieldsOf(k))
        if (spec.field != Field::kReadOnly) fields[static_cast<size_t>(k)].push_back(spec.name);
    return fields;
  }();
  return kFields[static_cast<size_t>(kind)];
}

Result<std::map<std::string, std::string>> ParseColumnMap(const std::string& spec) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    const std::string_view pair = Trim(std::string_view(spec).substr(start, end - start));
    start = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos)
      return Status::InvalidArgument("map: " + std::string(pair) + " is not field=column", "map");
    const std::string field(Trim(pair.substr(0, eq))), column(Trim(pair.substr(eq + 1)));
    // "field=" (no column) reads the field from no column: a column that would match it
    // by name is then ignored (the dashboard un-maps a detected field this way).
    if (field.empty()) return Status::InvalidArgument("map: " + std::string(pair) + " is not field=column", "map");
    const FieldSpec* spec_field = FindField(ImportKind::kClients, field);
    if (!spec_field) spec_field = FindField(ImportKind::kOrders, field);
    if (!spec_field) return Status::InvalidArgument("map: " + field + " is not a field", "map");
    if (!out.emplace(spec_field->name, column).second)
      return Status::InvalidArgument("map: " + field + " is mapped twice", "map");
  }
  return out;
}

ColumnMapping MapColumns(ImportKind kind, const std::vector<std::string>& columns,
                         const std::map<std::string, std::string>& overrides) {
  ColumnMapping m;
  for (const std::string& column : columns) {
    if (UnmappedByOverride(kind, column, overrides)) continue;  // read by no field, on purpose
    const FieldSpec* spec = FieldOfColumn(kind, column, overrides);
    if (!spec || !m.field_to_column.emplace(spec->name, column).second) m.unknown.push_back(column);
  }
  const auto has = [&](const char* field) { return m.field_to_column.count(field) > 0; };
  if (kind == ImportKind::kClients) {
    if (!has("externalId") && !has("email")) m.missing.push_back("externalId or email");
  } else {
    for (const char* field : {"orderDate", "totalValue"})
      if (!has(field)) m.missing.push_back(field);
    if (!has("userId") && !has("clientExternalId") && !has("email"))
      m.missing.push_back("userId, clientExternalId or email");
  }
  return m;
}

Result<std::unique_ptr<RowParser>> RowParser::Make(const RowParserOptions& options,
                                                   const std::vector<std::string>& columns) {
  auto parser = std::make_unique<RowParserImpl>(options);
  RKD_RETURN_IF_ERROR(parser->Init(columns));
  return std::unique_ptr<RowParser>(std::move(parser));
}

}  // namespace rkd
