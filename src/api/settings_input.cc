#include "api/settings_input.h"

#include <set>

#include "api/validation.h"
#include "base/time_zone.h"
#include "compose/email_checks.h"
#include "compose/money.h"

namespace rkd {
namespace {

using nlohmann::json;

Status Invalid(const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field + " " + why, field);
}

bool HasControl(const std::string& s, bool newlines_ok) {
  for (unsigned char c : s)
    if ((c < 0x20 && !(newlines_ok && (c == '\n' || c == '\r'))) || c == 0x7f) return true;
  return false;
}

// A text setting: a string of at most `max` characters (null or "" clears it).
Result<json> Text(const json& v, const std::string& field, size_t max, bool newlines_ok = false) {
  if (v.is_null()) return json(nullptr);
  if (!v.is_string()) return Invalid(field, "must be a string or null");
  const std::string s = v.get<std::string>();
  if (s.empty()) return json(nullptr);
  // Characters, as the dashboard counts them, not bytes.
  if (Utf8Length(s) > max) return Invalid(field, "must be at most " + std::to_string(max) + " characters");
  if (HasControl(s, newlines_ok)) return Invalid(field, "must not contain control characters");
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) return Invalid(field, "must not be blank");
  return json(s);
}

Result<json> Address(const json& v, const std::string& field) {
  auto t = Text(v, field, 254);
  if (!t.ok() || t->is_null()) return t;
  if (!IsValidEmailAddress(t->get<std::string>())) return Invalid(field, "is not a valid email address");
  return t;
}

Result<json> Url(const json& v, const std::string& field) {
  auto t = Text(v, field, 2048);
  if (!t.ok() || t->is_null()) return t;
  std::string url = t->get<std::string>();
  if (!IsAbsoluteHttpUrl(url)) return Invalid(field, "must be an absolute http:// or https:// URL");
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return json(url);
}

// The logo is fetched by every mail client that shows the email: https only (a mixed-content
// image is blocked or warned about), no credentials in it.
Result<json> LogoUrl(const json& v) {
  auto t = Url(v, "logoUrl");
  if (!t.ok() || t->is_null()) return t;
  if (t->get<std::string>().rfind("https://", 0) != 0) return Invalid("logoUrl", "must be an https:// URL");
  return t;
}

Result<json> Currency(const json& v) {
  auto t = Text(v, "currency", 16);
  if (!t.ok() || t->is_null()) return t;
  if (!IsKnownCurrency(t->get<std::string>())) {
    std::string codes;
    for (const std::string& c : KnownCurrencies()) codes += (codes.empty() ? "" : ", ") + c;
    return Invalid("currency", "must be one of " + codes);
  }
  return t;
}

Result<json> Zone(const json& v, const std::string& field) {
  auto t = Text(v, field, 64);
  if (!t.ok() || t->is_null()) return t;
  if (!TimeZone::Find(t->get<std::string>()))
    return Invalid(field, "is not a known IANA time zone (such as Europe/Berlin)");
  return t;
}

Result<json> Quiet(const json& v) {
  if (v.is_null()) return json(nullptr);
  if (!v.is_object()) return Invalid("quietHours", "must be an object {start, end} or null");
  for (const auto& [key, value] : v.items())
    if (key != "start" && key != "end") return Invalid("quietHours." + key, "is not a known field");
  int minutes[2] = {0, 0};
  int i = 0;
  for (const char* key : {"start", "end"}) {
    const std::string field = std::string("quietHours.") + key;
    auto it = v.find(key);
    if (it == v.end() || it->is_null()) return Invalid(field, "is required");
    if (!it->is_string()) return Invalid(field, "must be a time of day HH:MM (such as 21:00)");
    auto m = ParseClockTime(it->get<std::string>());
    if (!m) return Invalid(field, "must be a time of day HH:MM (such as 21:00)");
    minutes[i++] = *m;
  }
  if (minutes[0] == minutes[1]) return Invalid("quietHours.end", "must differ from quietHours.start");
  return json{{"start", FormatClockTime(minutes[0])}, {"end", FormatClockTime(minutes[1])}};
}

Result<json> Cap(const json& v, const std::string& field) {
  if (v.is_null()) return json(nullptr);
  if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 100'000'000)
    return Invalid(field, "must be a positive whole number (at most 100,000,000) or null");
  return json(v.get<int64_t>());
}

}  // namespace

bool IsAbsoluteHttpUrl(const std::string& url) {
  size_t rest;
  if (url.rfind("https://", 0) == 0)
    rest = 8;
  else if (url.rfind("http://", 0) == 0)
    rest = 7;
  else
    return false;
  if (url.size() > 2048) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  const std::string authority = url.substr(rest, url.find_first_of("/?#", rest) - rest);
  const std::string host = authority.substr(authority.rfind('@') == std::string::npos ? 0 : authority.rfind('@') + 1);
  return !host.empty() && host[0] != ':' && authority.find('@') == std::string::npos;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseSettingsPatch(const json& body) {
  static const std::set<std::string> kComputed = {"missing", "updatedAt", "updatedBy"};
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : body.items()) {
    Result<json> v = Status::Internal("unset");
    if (key == "shopName" || key == "senderName")
      v = Text(value, key, 200);
    else if (key == "postalAddress")
      v = Text(value, key, 500, /*newlines_ok=*/true);
    else if (key == "senderEmail" || key == "replyTo")
      v = Address(value, key);
    else if (key == "publicUrl" || key == "shopUrl")
      v = Url(value, key);
    else if (key == "timeZone")
      v = Zone(value, key);
    else if (key == "quietHours")
      v = Quiet(value);
    else if (key == "dailyCap" || key == "hourlyRate")
      v = Cap(value, key);
    else if (key == "logoUrl")
      v = LogoUrl(value);
    else if (key == "currency")
      v = Currency(value);
    else if (key == "signOff")
      v = Text(value, key, 100);
    else if (kComputed.count(key))
      return Invalid(key, "is computed by the server and cannot be written");
    else
      return Invalid(key, "is not a known field");
    if (!v.ok()) return v.status();
    out.emplace_back(key, v->dump());
  }
  if (out.empty()) return Status::InvalidArgument("request body must contain at least one setting to change");
  return out;
}

}  // namespace rkd
