// Local time in an IANA time zone ("Europe/Berlin"), from the operating system's tzdata
// through Howard Hinnant's tz library (Debian's libhowardhinnant-date-dev): what the
// quiet hours and the daily cap need, correct across daylight-saving changes. A zone name
// is looked up once and kept for the process's life (the library's database is loaded
// on first use). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/time.h"

namespace rkd {

class TimeZone {
 public:
  // The zone named `name`, or nullopt when tzdata has no such zone. "UTC" is always known.
  static std::optional<TimeZone> Find(const std::string& name);
  static TimeZone Utc();

  const std::string& name() const { return name_; }
  // Minutes since local midnight at `t` (0..1439).
  int MinuteOfDay(Millis t) const;
  // The local calendar date at `t`, "YYYY-MM-DD".
  std::string LocalDate(Millis t) const;
  // The first instant after `t` at which the local clock reads `minute_of_day` (a time
  // skipped by a daylight-saving change falls on the change itself; a time that occurs
  // twice, on its first occurrence).
  Millis NextLocalTime(Millis t, int minute_of_day) const;

 private:
  TimeZone(std::string name, const void* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const void* zone_;  // const date::time_zone*, owned by the library's database
};

// "HH:MM" (00:00 to 23:59) as minutes since midnight, or nullopt.
std::optional<int> ParseClockTime(const std::string& hh_mm);
std::string FormatClockTime(int minute_of_day);

}  // namespace rkd
