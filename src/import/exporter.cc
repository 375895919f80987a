#include "import/exporter.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "domain/json_codec.h"

namespace rkd {
namespace {

using nlohmann::json;

const std::vector<std::string>& Columns(ExportKind kind) {
  static const std::vector<std::string> kClients = {
      "userId",         "externalId",    "email",           "name",          "preferredCategories",
      "timeZone",       "createdAt",     "orderCount",      "totalSpent",    "averageOrderValue",
      "firstOrderDate", "lastOrderDate", "engagementScore", "lastEmailDate", "updatedAt"};
  static const std::vector<std::string> kOrders = {"orderId",   "externalId", "clientExternalId", "email",
                                                   "orderDate", "totalValue", "itemCount",        "items",
                                                   "status",    "createdAt"};
  static const std::vector<std::string> kEmails = {
      "emailId", "userId",   "userEmail", "userName",    "subject",           "status", "step", "writer", "createdAt",
      "sentAt",  "openedAt", "clickedAt", "convertedAt", "conversionRevenue", "error"};
  switch (kind) {
    case ExportKind::kClients:
      return kClients;
    case ExportKind::kOrders:
      return kOrders;
    case ExportKind::kEmails:
      return kEmails;
  }
  return kClients;
}

std::string Time(const std::optional<Millis>& t) { return t ? FormatRfc3339(*t) : ""; }

std::string Money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::round(v * 100) / 100);
  return buf;
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
// A client's name like "=HYPERLINK(…)" would run as a formula in the spreadsheet that
// opens the file (CSV injection), so a field starting with = + - @ or a tab is written
// after an apostrophe, as spreadsheets mark text; an import strips it again.
void WriteCsvField(std::ostream& out, const std::string& v) {
  constexpr std::string_view kFormulaStart = "=+-@\t\r";
  // A text already starting with the apostrophe before one of them gets one more, which
  // the import's single strip takes off again.
  const bool formula =
      !v.empty() && (kFormulaStart.find(v[0]) != std::string_view::npos ||
                     (v[0] == '\'' && v.size() > 1 && kFormulaStart.find(v[1]) != std::string_view::npos));
  if (!formula && v.find_first_of(",\"\r\n") == std::string::npos) {
    out << v;
    return;
  }
  out << '"';
  if (formula) out << '\'';
  for (char c : v) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

Result<ExportKind> ParseExportKind(const std::string& name) {
  if (name == "clients") return ExportKind::kClients;
  if (name == "orders") return ExportKind::kOrders;
  if (name == "emails") return ExportKind::kEmails;
  return Status::InvalidArgument("must be clients, orders or emails", "kind");
}

ExportWriter::ExportWriter(ExportKind kind, ImportFormat format, std::ostream& out)
    : kind_(kind), format_(format), out_(out) {
  if (format_ == ImportFormat::kCsv) {
    const auto& cols = Columns(kind_);
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i) out_ << ',';
      out_ << cols[i];
    }
    out_ << "\r\n";
  }
}

void ExportWriter::Emit(const std::vector<std::string>& values) {
  const auto& cols = Columns(kind_);
  if (format_ == ImportFormat::kCsv) {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out_ << ',';
      WriteCsvField(out_, values[i]);
    }
    out_ << "\r\n";
    return;
  }
  json line = json::object();
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) continue;  // absent, as an import reads it
    // Lists travel as JSON (preferredCategories, items); the rest as text.
    if (cols[i] == "items" || cols[i] == "preferredCategories")
      line[cols[i]] = json::parse(values[i], nullptr, false);
    else
      line[cols[i]] = values[i];
  }
  out_ << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
}

void ExportWriter::Write(const User& u) {
  // In CSV a client's categories are one field, '|'-separated (as an import reads them).
  std::string categories;
  if (format_ == ImportFormat::kCsv) {
    for (size_t i = 0; i < u.preferred_categories.size(); ++i) categories += (i ? "|" : "") + u.preferred_categories[i];
  } else {
    categories = json(u.preferred_categories).dump();
  }
  Emit({u.user_id, u.external_id, u.email, u.name, categories, u.time_zone, FormatRfc3339(u.created_at),
        std::to_string(u.order_count), Money(static_cast<double>(u.total_spent_cents) / 100.0),
        Money(u.average_order_value), Time(u.first_order_date), Time(u.last_order_date), Money(u.engagement_score),
        Time(u.last_email_date), FormatRfc3339(u.updated_at)});
}

void ExportWriter::Write(const Order& o, const User& client) {
  json items = json::array();
  int64_t count = 0;
  for (const OrderItem& i : o.items) {
    items.push_back(ToJson(i));
    count += i.quantity;
  }
  Emit({o.order_id, o.external_id, client.external_id, client.email, FormatRfc3339(o.order_date), Money(o.total_value),
        std::to_string(count), o.items.empty() ? "" : items.dump(), o.status, FormatRfc3339(o.created_at)});
}

void ExportWriter::Write(const Email& e, const User* client) {
  Emit({e.email_id, e.user_id, client ? client->email : "", client ? client->name : "", e.subject, e.status,
        e.step > 0 ? std::to_string(e.step) : "", e.writer, FormatRfc3339(e.created_at), Time(e.sent_at),
        Time(e.opened_at), Time(e.clicked_at), Time(e.converted_at),
        e.conversion_revenue ? Money(*e.conversion_revenue) : "", e.error});
}

namespace {

// The clients of a page of orders or emails, by id.
template <typename Rows>
Result<std::unordered_map<std::string, User>> ClientsOf(Store& store, const Rows& rows) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.user_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto users = store.GetUsers(ids);
  if (!users.ok()) return users.status();
  std::unordered_map<std::string, User> by_id;
  for (User& u : *users) {
    std::string id = u.user_id;
    by_id.emplace(std::move(id), std::move(u));
  }
  return by_id;
}

}  // namespace

Result<int64_t> ExportClients(Store& store, UserQuery query, ExportWriter& writer) {
  query.limit = 500;
  query.cursor.clear();
  for (int64_t n = 0;;) {
    auto page = store.ListUsers(query);
    if (!page.ok()) return page.status();
    for (const User& u : page->items) writer.Write(u);
    n += static_cast<int64_t>(page->items.size());
    if (page->next_cursor.empty()) return n;
    query.cursor = page->next_cursor;
  }
}

Result<int64_t> ExportEmails(Store& store, EmailQuery query, ExportWriter& writer) {
  query.limit = 500;
  query.cursor.clear();
  for (int64_t n = 0;;) {
    auto page = store.ListEmails(query);
    if (!page.ok()) return page.status();
    auto clients = ClientsOf(store, page->items);
    if (!clients.ok()) return clients.status();
    for (const Email& e : page->items) {
      auto it = clients->find(e.user_id);
      writer.Write(e, it == clients->end() ? nullptr : &it->second);
    }
    n += static_cast<int64_t>(page->items.size());
    if (page->next_cursor.empty()) return n;
    query.cursor = page->next_cursor;
  }
}

Result<int64_t> ExportOrders(Store& store, ExportWriter& writer) {
  constexpr int kPage = 5000;
  std::string after;
  for (int64_t n = 0;;) {
    auto page = store.ScanOrders(after, kPage);
    if (!page.ok()) return page.status();
    auto clients = ClientsOf(store, *page);
    if (!clients.ok()) return clients.status();
    for (const Order& o : *page) {
      auto it = clients->find(o.user_id);
      writer.Write(o, it == clients->end() ? User{} : it->second);
    }
    n += static_cast<int64_t>(page->size());
    if (static_cast<int>(page->size()) < kPage) return n;
    after = page->back().order_id;
  }
}

Result<int64_t> ExportAll(Store& store, ExportKind kind, ExportWriter& writer) {
  switch (kind) {
    case ExportKind::kClients:
      return ExportClients(store, UserQuery{}, writer);
    case ExportKind::kOrders:
      return ExportOrders(store, writer);
    case ExportKind::kEmails:
      return ExportEmails(store, EmailQuery{}, writer);
  }
  return int64_t{0};
}

}  // namespace rkd
