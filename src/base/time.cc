#include "base/time.h"

#include <chrono>
#include <cstdio>

namespace rkd {
namespace {

// Howard Hinnant's days_from_civil: proleptic Gregorian date → days since epoch.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatRfc3339(Millis t) {
  int64_t days = t >= 0 ? t / kMillisPerDay : -((-t + kMillisPerDay - 1) / kMillisPerDay);
  int64_t ms_of_day = t - days * kMillisPerDay;
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y0 = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = y0 + (m <= 2);
  // Hand-formatted: this runs several times per request, and snprintf is slow.
  char buf[25];
  auto put = [&buf](int pos, int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) buf[pos + i] = static_cast<char>('0' + v % 10);
  };
  put(0, y, 4);
  buf[4] = '-';
  put(5, m, 2);
  buf[7] = '-';
  put(8, d, 2);
  buf[10] = 'T';
  put(11, ms_of_day / 3'600'000, 2);
  buf[13] = ':';
  put(14, ms_of_day / 60'000 % 60, 2);
  buf[16] = ':';
  put(17, ms_of_day / 1000 % 60, 2);
  buf[19] = '.';
  put(20, ms_of_day % 1000, 3);
  buf[23] = 'Z';
  return std::string(buf, 24);
}

std::optional<Millis> ParseRfc3339(std::string_view s) {
  int y, mo, d;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return std::nullopt;
  Millis t = DaysFromCivil(y, mo, d) * kMillisPerDay;
  if (s.size() == 10) return t;
  int h, mi, sec;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, &h) || s[13] != ':' ||
      !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &sec))
    return std::nullopt;
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  t += (h * 3600LL + mi * 60LL + (sec == 60 ? 59 : sec)) * 1000;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int ms = 0, scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
    t += ms;
  }
  if (pos >= s.size()) return std::nullopt;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size() ? std::optional<Millis>(t) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int oh, om;
  if (pos + 6 != s.size() || !Digits(s, pos + 1, 2, &oh) || s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &om) ||
      oh > 23 || om > 59)
    return std::nullopt;
  const Millis offset = (oh * 60LL + om) * 60'000;
  t = s[pos] == '+' ? t - offset : t + offset;
  // An offset can carry an edge date out of the years 0000-9999 in UTC, which
  // FormatRfc3339 cannot write back ("0000-01-01T00:00:00+01:00" is in year -1).
  constexpr Millis kFirst = -62'167'219'200'000;  // 0000-01-01T00:00:00.000Z
  constexpr Millis kLast = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
  if (t < kFirst || t > kLast) return std::nullopt;
  return t;
}

Millis SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace rkd
