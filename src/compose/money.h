// Amounts as an email writes them, in the shop's currency (the `currency` setting, an
// ISO 4217 code; issue 12): "$42.50", "€42.50", "£42.50", "¥4,250"… and "42.50 CHF" for a
// currency without a symbol of its own. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace rkd {

inline constexpr const char* kDefaultCurrency = "USD";

// The currencies the settings take, in the order the dashboard lists them.
const std::vector<std::string>& KnownCurrencies();
bool IsKnownCurrency(const std::string& code);

// `amount` rounded to the currency's minor unit, with thousands separated by commas; an
// unknown or empty code is written as USD.
std::string FormatMoney(double amount, const std::string& currency);

}  // namespace rkd
