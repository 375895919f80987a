// The query strings of issue 16's lists: the clients' state filter, the emails' filters,
// the suppression list's search, the timeline's length. Each bad value is an
// InvalidArgument naming its parameter; nothing here touches the store.
#pragma once

#include <map>
#include <string>

#include "api/validation.h"
#include "base/status.h"
#include "store/store.h"

namespace rkd {

using QueryParams = std::map<std::string, std::string>;

// GET /api/users?state=atRisk|inEpisode|suppressed|heldOut|neverOrdered|lapsed on top of
// what ParseUserQuery read. atRisk is the score filter (as atRisk=true); lapsed is a
// client who ordered once and is at risk now.
Status ApplyStateFilter(const QueryParams& query, double threshold, UserQuery* q);

// GET /api/emails: limit, cursor, status, step (1..100), from and to (RFC 3339, or a
// date: `from` its start, `to` its end, UTC), q (a substring of the subject or of the
// client's name or email, up to 200 characters), userId.
Result<EmailQuery> ParseEmailListQuery(const QueryParams& query, const PageLimits& limits = {});

// GET /api/suppressions: limit, cursor, q (a substring of the address).
Result<SuppressionQuery> ParseSuppressionQuery(const QueryParams& query, const PageLimits& limits = {});

// GET /api/users/:id/timeline: limit, 1..500, default 100.
Result<int> ParseTimelineLimit(const QueryParams& query);

}  // namespace rkd
