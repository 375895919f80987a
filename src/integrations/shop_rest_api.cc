#include "integrations/shop_rest_api.h"

#include <cctype>
#include <cstdio>
#include <limits>
#include <regex>

#include "base/text_encoding.h"
#include "integrations/shop_json.h"
#include "integrations/shopify_events.h"
#include "integrations/woocommerce_events.h"

namespace rkd {
namespace {

using nlohmann::json;

bool IsShopify(const ShopConnection& c) { return c.source == "shopify"; }

// A query value: the RFC 3339 times' ':' and '+' escaped.
std::string QueryValue(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", ch);
      out += hex;
    }
  }
  return out;
}

// "https://shop.example:443" of a URL: the scheme and authority, lower-cased.
std::string Origin(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  const size_t end = url.find_first_of("/?#", scheme_end + 3);
  return AsciiLower(url.substr(0, end));
}

}  // namespace

const char* ResourceName(ShopResource r) { return r == ShopResource::kOrders ? "orders" : "customers"; }

ShopConnection ShopifyConnection(const std::string& shop_url, const std::string& access_token,
                                 const std::string& api_version) {
  return {.source = "shopify",
          .name = "Shopify",
          .url = shop_url,
          .api_version = api_version,
          .auth_headers = {"X-Shopify-Access-Token: " + access_token},
          .page_size = 250};
}

ShopConnection WooCommerceConnection(const std::string& site_url, const std::string& consumer_key,
                                     const std::string& consumer_secret) {
  return {.source = "woocommerce",
          .name = "WooCommerce",
          .url = site_url,
          .api_version = "wc/v3",
          .auth_headers = {"Authorization: Basic " + Base64Encode(consumer_key + ":" + consumer_secret)},
          .page_size = 100};
}

std::string FirstPageUrl(const ShopConnection& c, ShopResource r, Millis cursor) {
  const std::string size = std::to_string(c.page_size);
  if (IsShopify(c)) {
    std::string url = c.url + "/admin/api/" + c.api_version + "/" + ResourceName(r) + ".json?limit=" + size +
                      "&order=updated_at%20asc";
    if (r == ShopResource::kOrders) url += "&status=any";
    if (cursor > 0) url += "&updated_at_min=" + QueryValue(FormatRfc3339(cursor));
    return url;
  }
  std::string url = c.url + "/wp-json/wc/v3/" + ResourceName(r) + "?per_page=" + size + "&page=1";
  if (r == ShopResource::kOrders) {
    url += "&orderby=modified&order=asc&dates_are_gmt=true";
    // modified_after is exclusive, and a page may end inside one second: start a second
    // early (what is read again is unchanged).
    if (cursor > 0) url += "&modified_after=" + QueryValue(FormatRfc3339(cursor - 1000));
  } else {
    url += "&orderby=id&order=asc&role=all";
  }
  return url;
}

std::optional<std::string> LinkNext(const std::string& link) {
  // <url>; rel="next", <url>; rel="previous"; read by hand, not with std::regex, whose
  // recursion a long hostile header could drive off the stack.
  size_t at = 0;
  while ((at = link.find('<', at)) != std::string::npos) {
    const size_t close = link.find('>', at);
    if (close == std::string::npos) return std::nullopt;
    const std::string url = link.substr(at + 1, close - at - 1);
    // The parameters run to the next link: a ',' outside quotes.
    size_t end = close + 1;
    bool quoted = false;
    for (; end < link.size() && (quoted || link[end] != ','); ++end)
      if (link[end] == '"') quoted = !quoted;
    const std::string params = AsciiLower(link.substr(close + 1, end - close - 1));
    // rel's value: one token or a quoted, space-separated list.
    for (size_t rel = params.find("rel"); rel != std::string::npos; rel = params.find("rel", rel + 3)) {
      size_t v = params.find_first_not_of(" \t", rel + 3);
      if (v == std::string::npos || params[v] != '=') continue;
      v = params.find_first_not_of(" \t", v + 1);
      if (v == std::string::npos) break;
      std::string value;
      if (params[v] == '"') {
        value = params.substr(v + 1, params.find('"', v + 1) - v - 1);
      } else {
        value = params.substr(v, params.find_first_of("; \t", v) - v);
      }
      for (size_t from = 0; from <= value.size();) {
        const size_t space = std::min(value.find(' ', from), value.size());
        if (value.compare(from, space - from, "next") == 0) return url;
        from = space + 1;
      }
    }
    at = end;
  }
  return std::nullopt;
}

Result<ShopPage> ReadShopPage(const ShopConnection& c, ShopResource r, const std::string& url,
                              const std::map<std::string, std::string>& headers, const std::string& body) {
  const json parsed = json::parse(body, nullptr, false);
  // Shopify wraps the list ({"orders": […]}); WooCommerce answers the array itself.
  const json* list = &parsed;
  if (IsShopify(c)) list = parsed.is_object() && parsed.contains(ResourceName(r)) ? &parsed[ResourceName(r)] : nullptr;
  if (!list || !list->is_array())
    return Status::InvalidArgument(
        c.name + " answered " + url + " with something other than a list of " + ResourceName(r), "body");
  ShopPage page;
  page.records.assign(list->begin(), list->end());
  if (IsShopify(c)) {
    if (auto it = headers.find("link"); it != headers.end()) page.next_url = LinkNext(it->second);
  } else if (!page.records.empty()) {
    // WooCommerce's pages are numbered: the next is ours to make (its Link header names
    // the site as WordPress knows it, which behind a proxy may not be the address used).
    // Up to X-WP-TotalPages; without it, while pages come full.
    static const std::regex kPage(R"(([?&]page=)([0-9]{1,9}))");
    std::smatch m;
    if (std::regex_search(url, m, kPage)) {
      const long current = std::stol(m[2].str());
      auto total = headers.find("x-wp-totalpages");
      const bool more = total != headers.end() ? current < std::atol(total->second.c_str())
                                               : static_cast<int>(page.records.size()) >= c.page_size;
      if (more) page.next_url = m.prefix().str() + m[1].str() + std::to_string(current + 1) + m.suffix().str();
    }
  }
  if (page.next_url && Origin(*page.next_url) != Origin(c.url))
    return Status::InvalidArgument(c.name + "'s next page is not on " + Origin(c.url) + ": not followed", "link");
  return page;
}

Result<Millis> RecordModifiedAt(const ShopConnection& c, const json& record) {
  const char* field = IsShopify(c) ? "updated_at" : "date_modified_gmt";
  // A modification time is never judged against the clock: any well-formed time passes.
  auto t = ShopTime(record, field, std::numeric_limits<Millis>::max() / 2);
  if (!t.ok()) return t.status();
  if (!*t) return Status::InvalidArgument(std::string(field) + " is required", field);
  return **t;
}

std::string RecordId(const json& record) {
  const json& id = Member(record, "id");
  if (id.is_number_integer()) return std::to_string(id.get<int64_t>());
  if (id.is_string()) return id.get<std::string>().substr(0, 64);
  return "?";
}

Result<ShopChanges> RecordChanges(const ShopConnection& c, ShopResource r, const json& record, Millis now) {
  if (IsShopify(c))
    return ShopifyChanges(r == ShopResource::kOrders ? "orders/updated" : "customers/update", record, now);
  return WooCommerceChanges(r == ShopResource::kOrders ? "order.updated" : "customer.updated", record, now);
}

}  // namespace rkd
