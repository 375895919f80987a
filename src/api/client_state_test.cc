// The pure half of issue 16's client state and lists: the state object, the timeline's
// merge and its score points, and the lists' query strings.
#include "api/client_state.h"

#include <gtest/gtest.h>

#include "api/list_filters.h"

namespace rkd {
namespace {

using nlohmann::json;
constexpr Millis kDay = kMillisPerDay;
constexpr Millis kT0 = 1'780'000'000'000;

std::string FieldOf(const Status& st) { return st.ok() ? "<ok>" : st.field(); }

TEST(ClientStateTest, StateShowsEachFact) {
  User u;
  u.user_id = "u1";
  json plain = ClientStateJson(u, nullptr, false);
  EXPECT_TRUE(plain["suppressed"].is_null());
  EXPECT_TRUE(plain["failed"].is_null());
  EXPECT_EQ(plain["heldOut"], false);
  EXPECT_EQ(plain["neverOrdered"], true);

  ClientFacts f;
  f.suppression = Suppression{"a@b.co", "bounced", kT0};
  f.held_out_at = kT0 + kDay;
  f.failed = std::pair{std::string("550 mailbox unavailable"), kT0 + 2 * kDay};
  u.order_count = 2;
  json s = ClientStateJson(u, &f, true);
  EXPECT_EQ(s["suppressed"]["reason"], "bounced");
  EXPECT_EQ(s["suppressed"]["at"], FormatRfc3339(kT0));
  EXPECT_EQ(s["heldOut"], true);
  EXPECT_EQ(s["heldOutAt"], FormatRfc3339(kT0 + kDay));
  EXPECT_EQ(s["failed"]["error"], "550 mailbox unavailable");
  EXPECT_EQ(s["neverOrdered"], false);
}

TEST(ClientStateTest, TimelineMergesNewestFirstWithScoreChanges) {
  ClientHistory h;
  Order o;
  o.order_id = "o1";
  o.order_date = kT0 + 5 * kDay;
  o.total_value = 42;
  h.orders.push_back(o);
  EmailSummary e;
  e.email_id = "e1";
  e.subject = "We miss you";
  e.status = "CLICKED";
  e.created_at = kT0 + kDay;
  e.sent_at = kT0 + kDay + 1000;
  e.converted_at = kT0 + 5 * kDay;
  e.conversion_revenue = 42;
  e.score_at_time = 35;
  e.step = 2;
  h.emails.push_back(e);
  h.events.push_back({"e1", "open", "", kT0 + 2 * kDay});
  h.events.push_back({"e1", "click", "https://shop.example.com/x", kT0 + 3 * kDay});
  h.holdouts.push_back({kT0, 30});
  h.suppression = Suppression{"a@b.co", "unsubscribed", kT0 + 6 * kDay};

  json items = TimelineItems(h, 80, kT0 + 7 * kDay, 100);
  std::vector<std::string> kinds;
  for (const json& i : items)
    kinds.push_back(i["type"].get<std::string>() + ":" + i.value("event", i.value("cause", "")));
  const std::vector<std::string> want = {
      "score:now",    "event:unsubscribed", "event:converted", "order:",      "event:clicked",
      "event:opened", "event:sent",         "email:",          "score:email", "score:holdout"};
  EXPECT_EQ(kinds, want);
  EXPECT_EQ(items[0]["score"], 80);
  EXPECT_EQ(items[0]["change"], 45) << "now against the score the email was written for";
  EXPECT_EQ(items[8]["change"], 5);
  EXPECT_TRUE(items[9]["change"].is_null()) << "the first point has nothing before it";
  EXPECT_EQ(items[4]["url"], "https://shop.example.com/x");
  EXPECT_EQ(items[2]["revenue"], 42);
  EXPECT_EQ(items[7]["step"], 2) << "the email's journey step";

  EXPECT_EQ(TimelineItems(h, 80, kT0 + 7 * kDay, 3).size(), 3u) << "the limit bounds the list";
}

TEST(ClientStateTest, TimelineShowsAFailureWithTheServersReply) {
  ClientHistory h;
  EmailSummary e;
  e.email_id = "e1";
  e.status = "FAILED";
  e.error = "554 5.7.1 rejected";
  e.created_at = kT0;
  h.emails.push_back(e);
  json items = TimelineItems(h, 10, kT0 + kDay, 100);
  bool found = false;
  for (const json& i : items)
    if (i.value("event", "") == "failed") found = i["error"] == "554 5.7.1 rejected";
  EXPECT_TRUE(found) << items.dump();
}

TEST(ListFiltersTest, StateFilter) {
  UserQuery q;
  EXPECT_TRUE(ApplyStateFilter({{"state", "atRisk"}}, 40, &q).ok());
  EXPECT_EQ(q.score_below, 40);
  EXPECT_EQ(q.state, "");
  q = {};
  EXPECT_TRUE(ApplyStateFilter({{"state", "lapsed"}}, 40, &q).ok());
  EXPECT_EQ(q.score_below, 40);
  EXPECT_EQ(q.state, "lapsed");
  q = {};
  EXPECT_TRUE(ApplyStateFilter({{"state", "suppressed"}}, 40, &q).ok());
  EXPECT_FALSE(q.score_below);
  EXPECT_EQ(q.state, "suppressed");
  for (const char* bad : {"nope", "' OR 1=1 --", "SUPPRESSED"})
    EXPECT_EQ(FieldOf(ApplyStateFilter({{"state", bad}}, 40, &q)), "state") << bad;
}

TEST(ListFiltersTest, EmailFilters) {
  auto q = ParseEmailListQuery({{"status", "FAILED"},
                                {"step", "2"},
                                {"from", "2026-11-01"},
                                {"to", "2026-11-30"},
                                {"q", "anna"},
                                {"limit", "20"}});
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ(q->status, "FAILED");
  EXPECT_EQ(q->step, 2);
  EXPECT_EQ(*q->from, *ParseRfc3339("2026-11-01"));
  EXPECT_EQ(*q->to, *ParseRfc3339("2026-12-01")) << "a date as `to` includes that whole day";
  EXPECT_EQ(q->search, "anna");
  EXPECT_EQ(q->limit, 20);
  EXPECT_EQ(*ParseEmailListQuery({{"to", "2026-11-30T12:00:00Z"}})->to, *ParseRfc3339("2026-11-30T12:00:00Z"));

  EXPECT_EQ(FieldOf(ParseEmailListQuery({{"status", "sent"}}).status()), "status");
  for (const char* bad : {"0", "101", "1.5", "x", "-1", "2; DROP TABLE emails"})
    EXPECT_EQ(FieldOf(ParseEmailListQuery({{"step", bad}}).status()), "step") << bad;
  EXPECT_EQ(FieldOf(ParseEmailListQuery({{"from", "yesterday"}}).status()), "from");
  EXPECT_EQ(FieldOf(ParseEmailListQuery({{"to", "2026-02-30"}}).status()), "to");
  EXPECT_EQ(FieldOf(ParseEmailListQuery({{"from", "2026-11-02"}, {"to", "2026-11-01"}}).status()), "to");
  EXPECT_EQ(FieldOf(ParseEmailListQuery({{"q", std::string(201, 'x')}}).status()), "q");
  EXPECT_EQ(FieldOf(ParseEmailListQuery({{"limit", "0"}}).status()), "limit");
}

TEST(ListFiltersTest, SuppressionsAndTimeline) {
  EXPECT_EQ(ParseSuppressionQuery({{"q", "example.com"}})->search, "example.com");
  EXPECT_EQ(FieldOf(ParseSuppressionQuery({{"q", std::string(201, 'x')}}).status()), "q");
  EXPECT_EQ(*ParseTimelineLimit({}), 100);
  EXPECT_EQ(*ParseTimelineLimit({{"limit", "500"}}), 500);
  for (const char* bad : {"0", "501", "ten", ""})
    EXPECT_EQ(FieldOf(ParseTimelineLimit({{"limit", bad}}).status()), "limit") << bad;
}

}  // namespace
}  // namespace rkd
