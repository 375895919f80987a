#include "compose/money.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rkd {
namespace {

struct Currency {
  const char* code;
  const char* symbol;  // written before the amount; empty: the code after it
  int decimals;
};

// The dashboard's list (web/src/lib) names the same codes.
constexpr Currency kCurrencies[] = {
    {"USD", "$", 2},   {"EUR", "€", 2}, {"GBP", "£", 2},  {"CAD", "CA$", 2}, {"AUD", "A$", 2},
    {"NZD", "NZ$", 2}, {"JPY", "¥", 0}, {"CHF", "", 2},   {"SEK", "", 2},    {"NOK", "", 2},
    {"DKK", "", 2},    {"PLN", "", 2},  {"CZK", "", 2},   {"INR", "₹", 2},   {"BRL", "R$", 2},
    {"MXN", "MX$", 2}, {"ZAR", "", 2},  {"SGD", "S$", 2}, {"HKD", "HK$", 2},
};

const Currency& Find(const std::string& code) {
  for (const Currency& c : kCurrencies)
    if (code == c.code) return c;
  return kCurrencies[0];
}

// "1234567" → "1,234,567".
std::string GroupThousands(const std::string& digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

const std::vector<std::string>& KnownCurrencies() {
  static const std::vector<std::string> kCodes = [] {
    std::vector<std::string> codes;
    for (const Currency& c : kCurrencies) codes.emplace_back(c.code);
    return codes;
  }();
  return kCodes;
}

bool IsKnownCurrency(const std::string& code) {
  const auto& codes = KnownCurrencies();
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

std::string FormatMoney(double amount, const std::string& currency) {
  const Currency& c = Find(currency);
  const double scale = c.decimals == 0 ? 1 : 100;
  const long long minor = std::llround(std::fabs(amount) * scale);
  std::string text = GroupThousands(std::to_string(minor / static_cast<long long>(scale)));
  if (c.decimals > 0) {
    char cents[4];
    std::snprintf(cents, sizeof cents, "%02lld", minor % 100);
    text += std::string(".") + cents;
  }
  const std::string sign = amount < 0 && minor != 0 ? "-" : "";
  return *c.symbol ? sign + c.symbol + text : sign + text + " " + c.code;
}

}  // namespace rkd
