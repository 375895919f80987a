// A client's state in plain sight (issue 16): the `state` object of a user in the API,
// and the per-client timeline merged from their orders, emails, email events, holdout
// records and suppression. Pure: the handlers read the store, these shape the JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/score.h"
#include "domain/user.h"
#include "store/store.h"

namespace rkd {

// {suppressed: {reason, at} | null, heldOut, heldOutAt, failed: {error, at} | null,
// neverOrdered}. `facts` may be null (nothing known beyond the user row);
// `in_holdout_group` is the stable hash that keeps the client out of every email
// (InHoldout), heldOutAt their latest holdout record.
nlohmann::json ClientStateJson(const User& user, const ClientFacts* facts, bool in_holdout_group);

// GET /api/users/:id/timeline's items, newest first, at most `limit`:
//   {type: "order", at, orderId, totalValue, itemCount, status}
//   {type: "email", at, emailId, subject, status, step (the journey step, or null)}
//   {type: "event", at, event: sent|opened|clicked|converted|failed|bounced|unsubscribed|
//    complained|suppressed, emailId?, url?, revenue?, error?}
//   {type: "score", at, score, change, cause: "email"|"holdout"|"now"}
// The store keeps no score history: a score point is a score recorded where a decision
// was taken (the score an email was written for, the score a client was held out at)
// and the score now; `change` is the difference from the point before (null for the
// first).
nlohmann::json TimelineItems(const ClientHistory& history, double score_now, Millis now, int limit);

}  // namespace rkd
