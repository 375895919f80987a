#include "api/client_state.h"

#include <algorithm>
#include <optional>

#include "base/time.h"

namespace rkd {

using nlohmann::json;

json ClientStateJson(const User& user, const ClientFacts* facts, bool in_holdout_group) {
  json state{{"suppressed", nullptr},
             {"heldOut", in_holdout_group},
             {"heldOutAt", nullptr},
             {"failed", nullptr},
             {"neverOrdered", user.order_count == 0}};
  if (!facts) return state;
  if (facts->suppression)
    state["suppressed"] = {{"reason", facts->suppression->reason},
                           {"at", FormatRfc3339(facts->suppression->created_at)}};
  if (facts->held_out_at) state["heldOutAt"] = FormatRfc3339(*facts->held_out_at);
  if (facts->failed) state["failed"] = {{"error", facts->failed->first}, {"at", FormatRfc3339(facts->failed->second)}};
  return state;
}

namespace {

struct Item {
  Millis at;
  int rank;  // orders a tie: what happened first in one instant comes later in the list
  json body;
};

const char* SuppressionEvent(const std::string& reason) {
  if (reason == "unsubscribed") return "unsubscribed";
  if (reason == "bounced") return "bounced";
  if (reason == "complained") return "complained";
  return "suppressed";  // added by hand
}

}  // namespace

json TimelineItems(const ClientHistory& h, double score_now, Millis now, int limit) {
  std::vector<Item> items;
  auto add = [&items](Millis at, int rank, json body) {
    body["at"] = FormatRfc3339(at);
    items.push_back({at, rank, std::move(body)});
  };
  for (const Order& o : h.orders)
    add(o.order_date, 0,
        {{"type", "order"},
         {"orderId", o.order_id},
         {"totalValue", o.total_value},
         {"itemCount", o.items.size()},
         {"status", o.status}});
  struct ScorePoint {
    Millis at;
    double score;
    const char* cause;
  };
  std::vector<ScorePoint> scores;
  for (const EmailSummary& e : h.emails) {
    add(e.created_at, 2,
        {{"type", "email"},
         {"emailId", e.email_id},
         {"subject", e.subject},
         {"status", e.status},
         {"step", e.step ? json(*e.step) : json(nullptr)}});
    scores.push_back({e.created_at, e.score_at_time, "email"});
    if (e.sent_at)
      add(*e.sent_at, 3, {{"type", "event"}, {"event", "sent"}, {"emailId", e.email_id}, {"subject", e.subject}});
    if (e.status == "FAILED")
      add(e.sent_at.value_or(e.created_at), 3,
          {{"type", "event"}, {"event", "failed"}, {"emailId", e.email_id}, {"error", e.error}});
    if (e.converted_at)
      add(*e.converted_at, 5,
          {{"type", "event"},
           {"event", "converted"},
           {"emailId", e.email_id},
           {"revenue", e.conversion_revenue ? json(*e.conversion_revenue) : json(nullptr)}});
  }
  for (const EmailEventRecord& ev : h.events) {
    json body{{"type", "event"}, {"event", ev.type == "click" ? "clicked" : "opened"}, {"emailId", ev.email_id}};
    if (!ev.url.empty()) body["url"] = ev.url;
    add(ev.at, 4, std::move(body));
  }
  for (const HoldoutRecord& ho : h.holdouts) scores.push_back({ho.at, ho.score, "holdout"});
  if (h.suppression)
    add(h.suppression->created_at, 6,
        {{"type", "event"}, {"event", SuppressionEvent(h.suppression->reason)}, {"reason", h.suppression->reason}});
  // Score points oldest first, so each knows the one before it.
  std::sort(scores.begin(), scores.end(), [](const ScorePoint& a, const ScorePoint& b) { return a.at < b.at; });
  scores.push_back({now, score_now, "now"});
  std::optional<double> before;
  for (const ScorePoint& s : scores) {
    add(s.at, 1,
        {{"type", "score"},
         {"score", s.score},
         {"change", before ? json(s.score - *before) : json(nullptr)},
         {"cause", s.cause}});
    before = s.score;
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.at != b.at ? a.at > b.at : a.rank > b.rank; });
  json out = json::array();
  for (size_t i = 0; i < items.size() && static_cast<int>(i) < limit; ++i) out.push_back(std::move(items[i].body));
  return out;
}

}  // namespace rkd
