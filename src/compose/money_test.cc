#include "compose/money.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

TEST(Money, WritesTheCurrencysSymbolOrItsCode) {
  EXPECT_EQ(FormatMoney(42.5, "USD"), "$42.50");
  EXPECT_EQ(FormatMoney(42.5, "EUR"), "€42.50");
  EXPECT_EQ(FormatMoney(42.5, "GBP"), "£42.50");
  EXPECT_EQ(FormatMoney(42.5, "CHF"), "42.50 CHF");
  EXPECT_EQ(FormatMoney(42.5, "CAD"), "CA$42.50");
}

TEST(Money, RoundsToTheMinorUnitAndGroupsThousands) {
  EXPECT_EQ(FormatMoney(1234567.006, "USD"), "$1,234,567.01");
  EXPECT_EQ(FormatMoney(0.994, "USD"), "$0.99");
  EXPECT_EQ(FormatMoney(999.995, "EUR"), "€1,000.00");
  EXPECT_EQ(FormatMoney(4250.4, "JPY"), "¥4,250");  // no minor unit
  EXPECT_EQ(FormatMoney(-12.3, "SEK"), "-12.30 SEK");
  EXPECT_EQ(FormatMoney(-0.001, "USD"), "$0.00");  // no "-$0.00"
}

TEST(Money, AnUnknownCurrencyIsWrittenAsTheDefault) {
  EXPECT_EQ(FormatMoney(5, ""), "$5.00");
  EXPECT_EQ(FormatMoney(5, "XYZ"), "$5.00");
  EXPECT_TRUE(IsKnownCurrency("NOK"));
  EXPECT_FALSE(IsKnownCurrency("usd"));
  EXPECT_FALSE(IsKnownCurrency(""));
  EXPECT_EQ(KnownCurrencies().front(), kDefaultCurrency);
}

}  // namespace
}  // namespace rkd
