// PUT /api/settings' body turned into the settings to store (domain/shop_settings.h), or
// into an InvalidArgument naming the field and why: email addresses, absolute http(s)
// URLs, IANA time zones the system's tzdata knows, HH:MM quiet hours, positive caps, an
// https:// logo, a currency Rekindle can write (compose/money.h).
// Nothing here touches the store. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace rkd {

// An absolute http:// or https:// URL with a host, no spaces or control characters.
bool IsAbsoluteHttpUrl(const std::string& url);

// Each given setting as (name, JSON value to store); null (or "") clears a setting. At
// least one setting; unknown names and the computed ones (missing, updatedAt, updatedBy)
// are refused by name. A URL loses its trailing slashes (links append their paths).
Result<std::vector<std::pair<std::string, std::string>>> ParseSettingsPatch(const nlohmann::json& body);

}  // namespace rkd
