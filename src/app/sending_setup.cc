#include "app/sending_setup.h"

#include <nlohmann/json.hpp>

#include "api/settings_input.h"
#include "api/validation.h"
#include "base/log.h"
#include "domain/shop_settings.h"

namespace rkd {

std::vector<std::pair<std::string, std::string>> SettingsFromEnvironment(const Config& config) {
  using nlohmann::json;
  const Config defaults;
  std::vector<std::pair<std::string, std::string>> out;
  if (config.mail_from != defaults.mail_from && !config.mail_from.empty()) {
    auto [name, address] = SplitMailbox(config.mail_from);
    if (IsValidEmailAddress(address)) {
      out.emplace_back("senderEmail", json(address).dump());
      if (!name.empty()) out.emplace_back("senderName", json(name).dump());
    } else {
      LogWarn("RKD_MAIL_FROM has no valid address: the sender is not set from it");
    }
  }
  if (IsValidEmailAddress(config.mail_reply_to)) out.emplace_back("replyTo", json(config.mail_reply_to).dump());
  if (!config.postal_address.empty()) out.emplace_back("postalAddress", json(config.postal_address).dump());
  if (config.public_url_given && IsAbsoluteHttpUrl(config.public_url))
    out.emplace_back("publicUrl", json(config.public_url).dump());
  if (config.shop_url != defaults.shop_url && IsAbsoluteHttpUrl(config.shop_url))
    out.emplace_back("shopUrl", json(config.shop_url).dump());
  return out;
}

std::vector<std::pair<std::string, std::string>> DemoSettings(const Config& config) {
  using nlohmann::json;
  return {{"shopName", json("Rekindle Demo Shop").dump()},
          {"senderName", json("Rekindle Demo").dump()},
          {"senderEmail", json("hello@rekindle.example").dump()},
          {"postalAddress", json("Rekindle Demo Shop, 1 Example Street, 12345 Exampletown").dump()},
          {"publicUrl", json(config.public_url).dump()},
          {"shopUrl", json(config.shop_url).dump()}};
}

}  // namespace rkd
