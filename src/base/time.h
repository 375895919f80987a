// Time as the wire sees it: milliseconds since the Unix epoch (UTC), written as
// RFC 3339 strings ("2026-11-25T14:24:03.120Z", the shape JavaScript's toISOString gives).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rkd {

using Millis = int64_t;  // milliseconds since 1970-01-01T00:00:00Z
constexpr Millis kMillisPerDay = 86'400'000;

// "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string FormatRfc3339(Millis t);

// Accepts a full RFC 3339 date-time (fraction optional, "Z" or a ±HH:MM offset) or a
// plain date "YYYY-MM-DD" (midnight UTC). Rejects impossible dates (2026-02-30).
std::optional<Millis> ParseRfc3339(std::string_view s);

// Whole days from `from` to `to`, floored (docs/score.md: days since an event).
inline int64_t WholeDaysBetween(Millis from, Millis to) {
  int64_t d = to - from;
  return d >= 0 ? d / kMillisPerDay : -((-d + kMillisPerDay - 1) / kMillisPerDay);
}

// Where "now" comes from, so tests can pin it. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis Now() const override;
};

}  // namespace rkd
