#include "base/time_zone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace rkd {
namespace {

using std::chrono::milliseconds;
using SysMillis = date::sys_time<milliseconds>;

const date::time_zone* Zone(const void* z) { return static_cast<const date::time_zone*>(z); }

}  // namespace

std::optional<TimeZone> TimeZone::Find(const std::string& name) {
  if (name.empty() || name.size() > 64) return std::nullopt;
  try {
    return TimeZone(name, date::locate_zone(name));
  } catch (const std::exception&) {  // std::runtime_error: no such zone
    return std::nullopt;
  }
}

TimeZone TimeZone::Utc() { return *Find("UTC"); }

int TimeZone::MinuteOfDay(Millis t) const {
  const auto local = Zone(zone_)->to_local(SysMillis(milliseconds(t)));
  const auto since_midnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

std::string TimeZone::LocalDate(Millis t) const {
  const auto local = Zone(zone_)->to_local(SysMillis(milliseconds(t)));
  const date::year_month_day ymd{date::floor<date::days>(local)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

Millis TimeZone::NextLocalTime(Millis t, int minute_of_day) const {
  const date::time_zone* z = Zone(zone_);
  const auto local = z->to_local(SysMillis(milliseconds(t)));
  auto day = date::floor<date::days>(local);
  // Today's, else tomorrow's (a day after a change may be 23 or 25 hours: ask again).
  for (int i = 0; i < 3; ++i, day += date::days(1)) {
    const date::local_time<milliseconds> wanted = day + std::chrono::minutes(minute_of_day);
    // earliest: the first of a repeated time; a skipped one maps to the change itself.
    const Millis at = z->to_sys(wanted, date::choose::earliest).time_since_epoch().count();
    if (at > t) return at;
  }
  return t + kMillisPerDay;  // unreachable: one of the next three days has the time
}

std::optional<int> ParseClockTime(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string FormatClockTime(int minute_of_day) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
  return buf;
}

}  // namespace rkd
