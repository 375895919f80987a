// Local time in IANA zones across daylight-saving changes (base/time_zone.h).
#include "base/time_zone.h"

#include <gtest/gtest.h>

namespace rkd {
namespace {

Millis At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(TimeZoneTest, KnowsIanaNamesAndRefusesOthers) {
  EXPECT_TRUE(TimeZone::Find("Europe/Berlin"));
  EXPECT_TRUE(TimeZone::Find("America/New_York"));
  EXPECT_TRUE(TimeZone::Find("UTC"));
  EXPECT_FALSE(TimeZone::Find("Mars/Olympus_Mons"));
  EXPECT_FALSE(TimeZone::Find(""));
  EXPECT_FALSE(TimeZone::Find("../../etc/passwd"));
  EXPECT_FALSE(TimeZone::Find("+01:00"));
}

TEST(TimeZoneTest, LocalTimeFollowsNewYorksChanges) {
  const TimeZone ny = *TimeZone::Find("America/New_York");
  // Winter: UTC−5; from 2026-03-08 07:00Z (02:00 EST jumps to 03:00 EDT): UTC−4.
  EXPECT_EQ(ny.MinuteOfDay(At("2026-03-08T06:59:00Z")), 1 * 60 + 59);
  EXPECT_EQ(ny.MinuteOfDay(At("2026-03-08T07:00:00Z")), 3 * 60);
  EXPECT_EQ(ny.LocalDate(At("2026-03-08T04:59:00Z")), "2026-03-07");
  EXPECT_EQ(ny.LocalDate(At("2026-03-08T05:00:00Z")), "2026-03-08");
  // 2026-11-01 06:00Z: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
  EXPECT_EQ(ny.MinuteOfDay(At("2026-11-01T05:30:00Z")), 90);
  EXPECT_EQ(ny.MinuteOfDay(At("2026-11-01T06:30:00Z")), 90);
}

TEST(TimeZoneTest, NextLocalTimeAcrossBerlinsChanges) {
  const TimeZone berlin = *TimeZone::Find("Europe/Berlin");
  // 08:00 on the day the clocks go forward (2026-03-29, 02:00 CET → 03:00 CEST) is 06:00Z.
  EXPECT_EQ(berlin.NextLocalTime(At("2026-03-28T22:00:00Z"), 8 * 60), At("2026-03-29T06:00:00Z"));
  // A day before it was 07:00Z.
  EXPECT_EQ(berlin.NextLocalTime(At("2026-03-27T22:00:00Z"), 8 * 60), At("2026-03-28T07:00:00Z"));
  // 02:30 does not exist that night: the change itself (01:00Z).
  EXPECT_EQ(berlin.NextLocalTime(At("2026-03-28T23:00:00Z"), 2 * 60 + 30), At("2026-03-29T01:00:00Z"));
  // 2026-10-25: 03:00 CEST → 02:00 CET; 02:30 happens twice: the first (00:30Z).
  EXPECT_EQ(berlin.NextLocalTime(At("2026-10-24T22:00:00Z"), 2 * 60 + 30), At("2026-10-25T00:30:00Z"));
  // 08:00 that day is 07:00Z (CET again).
  EXPECT_EQ(berlin.NextLocalTime(At("2026-10-25T00:00:00Z"), 8 * 60), At("2026-10-25T07:00:00Z"));
  // Exactly at the time: the next day's.
  EXPECT_EQ(berlin.NextLocalTime(At("2026-10-26T07:00:00Z"), 8 * 60), At("2026-10-27T07:00:00Z"));
}

TEST(TimeZoneTest, ClockTimesParseStrictly) {
  EXPECT_EQ(ParseClockTime("21:00"), 21 * 60);
  EXPECT_EQ(ParseClockTime("00:00"), 0);
  EXPECT_EQ(ParseClockTime("23:59"), 23 * 60 + 59);
  for (const char* bad : {"24:00", "7:00", "07:60", "0700", "07:00:00", "", "ab:cd", " 7:00"})
    EXPECT_FALSE(ParseClockTime(bad)) << bad;
  EXPECT_EQ(FormatClockTime(8 * 60 + 5), "08:05");
}

}  // namespace
}  // namespace rkd
