#include "api/list_filters.h"

#include <charconv>
#include <set>

#include "api/validation.h"
#include "base/time.h"

namespace rkd {
namespace {

Status Invalid(const std::string& field, const std::string& why) {
  return Status::InvalidArgument(field + " " + why, field);
}

std::optional<int> SmallInt(const std::string& s, int lo, int hi) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

Status ReadSearch(const QueryParams& query, const char* name, std::string* out) {
  auto it = query.find(name);
  if (it == query.end()) return Status::Ok();
  if (it->second.size() > 200) return Invalid(name, "must be at most 200 characters");
  *out = it->second;
  return Status::Ok();
}

// A bound of a date range: a date-time as given, or a whole date (`to`: up to its end).
Result<std::optional<Millis>> ReadBound(const QueryParams& query, const char* name, bool end_of_day) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::optional<Millis>();
  auto t = ParseRfc3339(it->second);
  if (!t) return Invalid(name, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time");
  const bool date_only = it->second.size() == 10;
  return std::optional<Millis>(end_of_day && date_only ? *t + kMillisPerDay : *t);
}

}  // namespace

Status ApplyStateFilter(const QueryParams& query, double threshold, UserQuery* q) {
  auto it = query.find("state");
  if (it == query.end() || it->second.empty()) return Status::Ok();
  static const std::set<std::string> kStates = {"atRisk",  "inEpisode",    "suppressed",
                                                "heldOut", "neverOrdered", "lapsed"};
  if (!kStates.count(it->second))
    return Invalid("state", "must be one of atRisk, inEpisode, suppressed, heldOut, neverOrdered, lapsed");
  if (it->second == "atRisk" || it->second == "lapsed") q->score_below = threshold;
  if (it->second != "atRisk") q->state = it->second;
  return Status::Ok();
}

Result<EmailQuery> ParseEmailListQuery(const QueryParams& query, const PageLimits& limits) {
  EmailQuery q;
  RKD_RETURN_IF_ERROR(ParseLimitAndCursor(query, limits, &q.limit, &q.cursor));
  if (auto it = query.find("status"); it != query.end() && !it->second.empty()) {
    static const std::set<std::string> kStatuses = {"GENERATED", "SENT", "OPENED", "CLICKED", "FAILED"};
    if (!kStatuses.count(it->second))
      return Invalid("status", "must be one of GENERATED, SENT, OPENED, CLICKED, FAILED");
    q.status = it->second;
  }
  if (auto it = query.find("step"); it != query.end() && !it->second.empty()) {
    auto step = SmallInt(it->second, 1, 100);
    if (!step) return Invalid("step", "must be a whole number from 1 to 100");
    q.step = *step;
  }
  auto from = ReadBound(query, "from", false);
  if (!from.ok()) return from.status();
  auto to = ReadBound(query, "to", true);
  if (!to.ok()) return to.status();
  if (*from && *to && **from >= **to) return Invalid("to", "must be after from");
  q.from = *from;
  q.to = *to;
  RKD_RETURN_IF_ERROR(ReadSearch(query, "q", &q.search));
  if (auto it = query.find("userId"); it != query.end()) q.user_id = it->second;
  return q;
}

Result<SuppressionQuery> ParseSuppressionQuery(const QueryParams& query, const PageLimits& limits) {
  SuppressionQuery q;
  RKD_RETURN_IF_ERROR(ParseLimitAndCursor(query, limits, &q.limit, &q.cursor));
  RKD_RETURN_IF_ERROR(ReadSearch(query, "q", &q.search));
  return q;
}

Result<int> ParseTimelineLimit(const QueryParams& query) {
  auto it = query.find("limit");
  if (it == query.end()) return 100;
  auto n = SmallInt(it->second, 1, 500);
  if (!n) return Invalid("limit", "must be a whole number from 1 to 500");
  return *n;
}

}  // namespace rkd
