#include "base/time.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

TEST(TimeTest, FormatsAndParsesRoundTrip) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  const Millis t = 1'764'080'643'120;
  EXPECT_EQ(FormatRfc3339(t), "2025-11-25T14:24:03.120Z");
  EXPECT_EQ(ParseRfc3339("2025-11-25T14:24:03.120Z"), t);
}

TEST(TimeTest, AcceptsDatesOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("2024-02-29"), ParseRfc3339("2024-02-29T00:00:00Z"));
  EXPECT_EQ(ParseRfc3339("2024-03-01T01:00:00+01:00"), ParseRfc3339("2024-03-01T00:00:00Z"));
  EXPECT_EQ(ParseRfc3339("2024-03-01T00:00:00.5Z").value() - ParseRfc3339("2024-03-01T00:00:00Z").value(), 500);
}

TEST(TimeTest, RejectsImpossibleOrMalformedDates) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-04-31", "2024-01-01T24:00:00Z", "yesterday", "",
                          "2024-01-01T00:00:00", "2024-01-01T00:00:00Zjunk", "2024-1-01", "2024-01-01T00:00:00.Z"})
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
}

// Found by fuzz/rfc3339_fuzz.cc: an offset carried an edge date out of 0000-9999, and
// FormatRfc3339 wrote a value that did not parse again.
TEST(TimeTest, RejectsOffsetsThatLeaveTheWritableYears) {
  EXPECT_FALSE(ParseRfc3339("0000-01-01T00:00:00+01:00").has_value());
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:59:59.999-01:00").has_value());
  for (const char* edge : {"0000-01-01T00:00:00Z", "0000-01-01T01:00:00+01:00", "9999-12-31T23:59:59.999Z"}) {
    auto t = ParseRfc3339(edge);
    ASSERT_TRUE(t.has_value()) << edge;
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(*t)), t) << edge;
  }
}

TEST(TimeTest, WholeDaysAreFloored) {
  EXPECT_EQ(WholeDaysBetween(0, kMillisPerDay - 1), 0);
  EXPECT_EQ(WholeDaysBetween(0, kMillisPerDay), 1);
  EXPECT_EQ(WholeDaysBetween(kMillisPerDay, 0), -1);
}

}  // namespace
}  // namespace rkd
