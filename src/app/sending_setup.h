// The shop's settings a start seeds (pipeline/sending_switch.h, SetUpSettings): those the
// environment gives, so that an operator who set RKD_MAIL_FROM, RKD_POSTAL_ADDRESS and
// RKD_PUBLIC_URL is not asked again, and the demo's (`rekindle seed --demo-sending`, as
// `make run` does). Pure; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/config.h"

namespace rkd {

// (setting name, JSON value) for each of RKD_MAIL_FROM (senderName, senderEmail),
// RKD_MAIL_REPLY_TO, RKD_POSTAL_ADDRESS, RKD_PUBLIC_URL and RKD_SHOP_URL that is set and
// valid; a default value is not the operator's choice and seeds nothing.
std::vector<std::pair<std::string, std::string>> SettingsFromEnvironment(const Config& config);

// Demo values for every setting sending needs (a demo shop, links to `config`'s public
// URL), for a demo that runs into the local outbox.
std::vector<std::pair<std::string, std::string>> DemoSettings(const Config& config);

}  // namespace rkd
