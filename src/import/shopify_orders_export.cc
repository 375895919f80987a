#include "import/shopify_orders_export.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.h"
#include "import/row_parser.h"

namespace rkd {
namespace {

using nlohmann::json;

// The export's columns this reader uses, by their header names.
enum Column {
  kName,
  kEmail,
  kCreatedAt,
  kTotal,
  kId,
  kBillingName,
  kShippingName,
  kCancelledAt,
  kFinancialStatus,
  kRefundedAmount,
  kLineitemQuantity,
  kLineitemName,
  kLineitemPrice,
  kLineitemSku,
  kColumnCount
};
constexpr const char* kHeaderNames[kColumnCount] = {"Name",
                                                    "Email",
                                                    "Created at",
                                                    "Total",
                                                    "Id",
                                                    "Billing Name",
                                                    "Shipping Name",
                                                    "Cancelled at",
                                                    "Financial Status",
                                                    "Refunded Amount",
                                                    "Lineitem quantity",
                                                    "Lineitem name",
                                                    "Lineitem price",
                                                    "Lineitem sku"};
constexpr int kRequired[] = {kName, kEmail, kCreatedAt, kTotal};

// Shopify keeps a spreadsheet from eating a number's leading zeros or plus sign with an
// apostrophe before it.
std::string_view WithoutNumberGuard(std::string_view v) {
  if (v.size() >= 2 && v[0] == '\'' && ((v[1] >= '0' && v[1] <= '9') || v[1] == '+')) v.remove_prefix(1);
  return v;
}

// "2026-09-03 10:14:00 -0400" → "2026-09-03T10:14:00-04:00"; anything else unchanged (the
// row parser then says what is wrong with it).
std::string Rfc3339(std::string_view v) {
  if (v.size() == 25 && v[10] == ' ' && v[19] == ' ' && (v[20] == '+' || v[20] == '-'))
    return std::string(v.substr(0, 10)) + "T" + std::string(v.substr(11, 8)) + std::string(v.substr(20, 3)) + ":" +
           std::string(v.substr(23, 2));
  return std::string(v);
}

// Decimal text to cents; nullopt when it is not an amount.
std::optional<int64_t> Cents(std::string_view v) {
  int64_t cents = 0;
  if (v.empty() || ParseCents(v, &cents)) return std::nullopt;
  return cents;
}

std::string Decimal(int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (frac.size() < 2 ? "0" + frac : frac);
}

class ShopifyOrdersReader final : public RecordReader {
 public:
  ShopifyOrdersReader(std::unique_ptr<RecordReader> csv, std::array<int, kColumnCount> index)
      : csv_(std::move(csv)), index_(index) {}

  const std::vector<std::string>& columns() const override { return columns_; }
  int64_t bytes_read() const override { return csv_->bytes_read(); }

  Result<bool> Next(SourceRecord* out) override {
    if (!have_ahead_) {
      RKD_ASSIGN_OR_RETURN(have_ahead_, csv_->Next(&ahead_));
      if (!have_ahead_) return false;
    }
    if (!ahead_.error.empty()) {  // a row the CSV reader could not read: passed on as it is
      *out = std::move(ahead_);
      have_ahead_ = false;
      return true;
    }
    SourceRecord first = std::move(ahead_);
    const std::string name(Value(first, kName));
    int64_t quantity = 0;
    json items = json::array();
    AddItem(first, &quantity, &items);
    for (;;) {
      RKD_ASSIGN_OR_RETURN(have_ahead_, csv_->Next(&ahead_));
      if (!have_ahead_ || !ahead_.error.empty() || Value(ahead_, kName) != name) break;
      AddItem(ahead_, &quantity, &items);
    }
    Emit(first, quantity, items, out);
    return true;
  }

 private:
  std::string_view Value(const SourceRecord& r, Column c) const {
    const int i = index_[c];
    if (i < 0 || static_cast<size_t>(i) >= r.fields.size()) return {};
    return WithoutNumberGuard(r.fields[static_cast<size_t>(i)].second);
  }

  void AddItem(const SourceRecord& r, int64_t* quantity, json* items) const {
    const std::string_view item_name = Value(r, kLineitemName);
    if (item_name.empty()) return;
    int64_t q = 1;
    if (const std::string_view text = Value(r, kLineitemQuantity); !text.empty()) {
      int64_t n = 0;
      for (char c : text) {
        if (c < '0' || c > '9' || n >= 1'000'000) {  // not a count, or an absurd one: one
          n = 0;
          break;
        }
        n = n * 10 + (c - '0');
      }
      q = n > 0 ? n : 1;
    }
    *quantity += q;
    // The row parser drops the formula guard of the order's own fields; these go in as JSON.
    json item = {{"name", std::string(WithoutFormulaGuard(item_name).substr(0, 200))}, {"quantity", q}};
    if (const std::string_view sku = Value(r, kLineitemSku); !sku.empty())
      item["productId"] = std::string(WithoutFormulaGuard(sku).substr(0, 200));
    if (auto price = Cents(Value(r, kLineitemPrice))) item["price"] = static_cast<double>(*price) / 100.0;
    if (items->size() < 1000) items->push_back(std::move(item));
  }

  void Emit(const SourceRecord& first, int64_t quantity, const json& items, SourceRecord* out) const {
    out->line = first.line;
    out->error.clear();
    out->fields.resize(columns_.size());
    for (size_t k = 0; k < columns_.size(); ++k) out->fields[k].first = columns_[k];
    const std::string_view id = Value(first, kId);
    out->fields[0].second = id.empty() ? std::string(Value(first, kName)) : std::string(id);
    out->fields[1].second = Value(first, kEmail);
    const std::string_view billing = Value(first, kBillingName);
    out->fields[2].second = billing.empty() ? Value(first, kShippingName) : billing;
    out->fields[3].second = Rfc3339(Value(first, kCreatedAt));
    const std::string_view total = Value(first, kTotal);
    const std::optional<int64_t> total_cents = Cents(total), refunded = Cents(Value(first, kRefundedAmount));
    out->fields[4].second =
        total_cents && refunded ? Decimal(std::max<int64_t>(0, *total_cents - *refunded)) : std::string(total);
    out->fields[5].second = quantity > 0 ? std::to_string(quantity) : "";
    out->fields[6].second = items.empty() ? "" : items.dump();
    const std::string_view financial = Value(first, kFinancialStatus);
    const bool cancelled = !Value(first, kCancelledAt).empty() || financial == "refunded" || financial == "voided";
    out->fields[7].second = cancelled ? kOrderCancelled : kOrderCreated;
  }

  std::unique_ptr<RecordReader> csv_;
  std::array<int, kColumnCount> index_;
  const std::vector<std::string> columns_ = {"externalId", "email",     "name",  "orderDate",
                                             "totalValue", "itemCount", "items", "status"};
  SourceRecord ahead_;  // the row after the order being read (the next order's first)
  bool have_ahead_ = false;
};

}  // namespace

Result<std::unique_ptr<RecordReader>> MakeShopifyOrdersReader(std::unique_ptr<RecordReader> csv) {
  std::array<int, kColumnCount> index;
  index.fill(-1);
  const std::vector<std::string>& header = csv->columns();
  for (int c = 0; c < kColumnCount; ++c) {
    auto it =
        std::find_if(header.begin(), header.end(), [name = std::string_view(kHeaderNames[c])](const std::string& h) {
          return h.size() == name.size() && std::equal(h.begin(), h.end(), name.begin(), [](char a, char b) {
                   return std::tolower(a) == std::tolower(b);
                 });
        });
    if (it != header.end()) index[static_cast<size_t>(c)] = static_cast<int>(it - header.begin());
  }
  std::string missing;
  for (int c : kRequired) {
    if (index[static_cast<size_t>(c)] < 0) missing += (missing.empty() ? "" : ", ") + std::string(kHeaderNames[c]);
  }
  if (!missing.empty())
    return Status::InvalidArgument(
        "a Shopify orders export has the columns Name, Email, Created at and Total; this "
        "file has no " +
            missing,
        "format");
  return std::unique_ptr<RecordReader>(std::make_unique<ShopifyOrdersReader>(std::move(csv), index));
}

}  // namespace rkd
