#include "domain/shop_settings.h"

#include <map>

#include "base/time_zone.h"

namespace rkd {

using nlohmann::json;

const char* const kSettingNames[14] = {"shopName",   "senderName", "senderEmail", "replyTo",    "postalAddress",
                                       "publicUrl",  "shopUrl",    "timeZone",    "quietHours", "dailyCap",
                                       "hourlyRate", "logoUrl",    "currency",    "signOff"};

std::string ShopSettings::MailFrom() const {
  if (sender_email.empty()) return "";
  if (sender_name.empty()) return sender_email;
  // The display name quoted when it holds a character that would end it (RFC 5322 specials).
  if (sender_name.find_first_of("()<>[]:;@\\,.\"") == std::string::npos) return sender_name + " <" + sender_email + ">";
  std::string quoted;
  for (char c : sender_name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return "\"" + quoted + "\" <" + sender_email + ">";
}

std::vector<std::string> MissingForSending(const ShopSettings& s) {
  std::vector<std::string> out;
  if (s.sender_name.empty()) out.emplace_back("senderName");
  if (s.sender_email.empty()) out.emplace_back("senderEmail");
  if (s.postal_address.empty()) out.emplace_back("postalAddress");
  if (s.public_url.empty()) out.emplace_back("publicUrl");
  return out;
}

ShopSettings SettingsFromRows(const std::vector<SettingRow>& rows) {
  ShopSettings s;
  const std::map<std::string, std::string*> texts{{"shopName", &s.shop_name},
                                                  {"senderName", &s.sender_name},
                                                  {"senderEmail", &s.sender_email},
                                                  {"replyTo", &s.reply_to},
                                                  {"postalAddress", &s.postal_address},
                                                  {"publicUrl", &s.public_url},
                                                  {"shopUrl", &s.shop_url},
                                                  {"timeZone", &s.time_zone},
                                                  {"logoUrl", &s.logo_url},
                                                  {"currency", &s.currency},
                                                  {"signOff", &s.sign_off}};
  for (const SettingRow& row : rows) {
    const json v = json::parse(row.value, nullptr, false);
    if (v.is_discarded()) continue;
    if (row.key == kSendingKey) {
      if (!v.is_object()) continue;
      SendingState st;
      st.paused = v.value("paused", true);
      st.reason = v.value("reason", st.paused ? "setup" : "");
      st.since = v.value("since", Millis{0});
      st.by = v.value("by", "");
      s.sending = st;
      continue;
    }
    if (row.updated_at > s.updated_at) {
      s.updated_at = row.updated_at;
      s.updated_by = row.updated_by;
    }
    if (auto it = texts.find(row.key); it != texts.end()) {
      if (v.is_string()) *it->second = v.get<std::string>();
    } else if (row.key == "quietHours") {
      if (!v.is_object() || !v.value("start", json()).is_string() || !v.value("end", json()).is_string()) continue;
      const auto start = ParseClockTime(v["start"].get<std::string>()),
                 end = ParseClockTime(v["end"].get<std::string>());
      if (start && end) s.quiet_hours = QuietHours{*start, *end};
    } else if (row.key == "dailyCap") {
      if (v.is_number_integer()) s.daily_cap = v.get<int64_t>();
    } else if (row.key == "hourlyRate") {
      if (v.is_number_integer()) s.hourly_rate = v.get<int64_t>();
    }
  }
  return s;
}

json SettingValue(const ShopSettings& s, const std::string& name) {
  auto text = [](const std::string& t) { return t.empty() ? json(nullptr) : json(t); };
  if (name == "shopName") return text(s.shop_name);
  if (name == "senderName") return text(s.sender_name);
  if (name == "senderEmail") return text(s.sender_email);
  if (name == "replyTo") return text(s.reply_to);
  if (name == "postalAddress") return text(s.postal_address);
  if (name == "publicUrl") return text(s.public_url);
  if (name == "shopUrl") return text(s.shop_url);
  if (name == "timeZone") return text(s.time_zone);
  if (name == "logoUrl") return text(s.logo_url);
  if (name == "currency") return text(s.currency);
  if (name == "signOff") return text(s.sign_off);
  if (name == "quietHours")
    return s.quiet_hours
               ? json{{"start", FormatClockTime(s.quiet_hours->start)}, {"end", FormatClockTime(s.quiet_hours->end)}}
               : json(nullptr);
  if (name == "dailyCap") return s.daily_cap ? json(*s.daily_cap) : json(nullptr);
  if (name == "hourlyRate") return s.hourly_rate ? json(*s.hourly_rate) : json(nullptr);
  return nullptr;
}

json ToJson(const ShopSettings& s) {
  json out = json::object();
  for (const char* name : kSettingNames) out[name] = SettingValue(s, name);
  out["updatedAt"] = s.updated_at ? json(FormatRfc3339(s.updated_at)) : json(nullptr);
  out["updatedBy"] = s.updated_by.empty() ? json(nullptr) : json(s.updated_by);
  return out;
}

json ToJson(const SendingState& st) {
  return json{{"paused", st.paused},
              {"reason", st.paused ? json(st.reason) : json(nullptr)},
              {"since", st.since ? json(FormatRfc3339(st.since)) : json(nullptr)},
              {"by", st.by.empty() ? json(nullptr) : json(st.by)}};
}

std::pair<std::string, std::string> SplitMailbox(const std::string& mailbox) {
  const size_t lt = mailbox.rfind('<'), gt = mailbox.rfind('>');
  auto trim = [](std::string t) {
    const size_t b = t.find_first_not_of(" \t\""), e = t.find_last_not_of(" \t\"");
    return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
  };
  if (lt != std::string::npos && gt != std::string::npos && gt > lt)
    return {trim(mailbox.substr(0, lt)), trim(mailbox.substr(lt + 1, gt - lt - 1))};
  return {"", trim(mailbox)};
}

}  // namespace rkd
