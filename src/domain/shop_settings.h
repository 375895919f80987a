// The shop's settings, as the person running Rekindle sets them (GET/PUT /api/settings):
// who the emails come from, the postal address in their footer, where links point, the
// shop's time zone, quiet hours and the send caps, the brand (logo, currency, sign-off); and the pause switch (GET
// /api/sending). Stored one setting a row (Store::GetSettings), each value as JSON under its API name. Plain values;
// thread-compatible.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace rkd {

// One stored setting: its name, its value as JSON text, when and by whom it was set.
struct SettingRow {
  std::string key;
  std::string value;
  Millis updated_at = 0;
  std::string updated_by;
};

// Local times of day, minutes since midnight; a window may cross midnight (21:00-08:00).
struct QuietHours {
  int start = 0;
  int end = 0;
  bool Contains(int minute_of_day) const {
    return start < end ? minute_of_day >= start && minute_of_day < end : minute_of_day >= start || minute_of_day < end;
  }
};

// The pause switch (the setting "sending").
struct SendingState {
  bool paused = true;
  std::string reason = "setup";  // setup | manual
  Millis since = 0;
  std::string by;
};

struct ShopSettings {
  std::string shop_name, sender_name, sender_email, reply_to, postal_address, public_url, shop_url;
  // The brand in the emails (issue 12): a logo's https:// URL, the ISO 4217 currency
  // amounts are written in (empty: USD), the line an email ends with (empty: "The <shop
  // name> team").
  std::string logo_url, currency, sign_off;
  std::string time_zone;  // IANA name; empty: UTC
  std::optional<QuietHours> quiet_hours;
  std::optional<int64_t> daily_cap, hourly_rate;
  std::optional<SendingState> sending;  // nullopt: never set (a store older than the switch)
  Millis updated_at = 0;                // the latest change of any setting but "sending"
  std::string updated_by;

  // "Name <address>" for the From header; empty when no sender address is set.
  std::string MailFrom() const;
};

// The settings sending needs, by API name, in the order the dashboard asks for them:
// senderName, senderEmail, postalAddress, publicUrl.
std::vector<std::string> MissingForSending(const ShopSettings& s);

// The setting names, as GET /api/settings shows them and PUT /api/settings takes them.
extern const char* const kSettingNames[14];
constexpr const char* kSendingKey = "sending";

// From the store's rows; rows that do not parse are ignored (as unset).
ShopSettings SettingsFromRows(const std::vector<SettingRow>& rows);
// GET /api/settings' object (without `missing`, added by the API).
nlohmann::json ToJson(const ShopSettings& s);
// A setting's stored JSON value (e.g. "senderName" → "Ada"); null when unset.
nlohmann::json SettingValue(const ShopSettings& s, const std::string& name);
nlohmann::json ToJson(const SendingState& s);

// "Name <addr@host>" or "addr@host" → (name, address); the address is empty when none is found.
std::pair<std::string, std::string> SplitMailbox(const std::string& mailbox);

}  // namespace rkd
