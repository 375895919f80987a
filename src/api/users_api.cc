// /api/users: list, create, read, update (merge), delete; a client's orders and timeline
// (their emails: emails_api.cc).
#include "api/api.h"
#include "api/client_state.h"
#include "api/journey_state.h"
#include "api/list_filters.h"
#include "api/model_api.h"
#include "api/validation.h"
#include "domain/json_codec.h"
#include "http/envelope.h"
#include "pipeline/email_processor.h"

namespace rkd {
namespace {

// A user as one resource returns it: the stored fields and why the client scores what
// it scores, term by term (as of now; the stored score moves with the next write or
// sweep).
nlohmann::json UserJson(const ApiContext& ctx, const User& user) {
  const ScoreBreakdown b = ExplainScore(ctx.rules, user, ctx.clock.Now());
  nlohmann::json data = ToJson(user);
  data["scoreBreakdown"] = {{"base", b.base},
                            {"recency", b.recency},
                            {"orders", b.orders},
                            {"orderValue", b.order_value},
                            {"recentEmail", b.recent_email},
                            {"total", b.total},
                            {"daysSinceLastOrder", b.days_since_last_order},
                            {"threshold", ctx.rules.threshold},
                            {"atRisk", IsAtRisk(ctx.rules, b.total)}};
  return data;
}

// The client's `state` (issue 16): what their badges show, from the store's facts about
// them (suppression, holdout records, a failed last email) and the holdout's hash.
Result<nlohmann::json> StateOf(const ApiContext& ctx, const User& user) {
  auto facts = ctx.store.FactsOf({user});
  if (!facts.ok()) return facts.status();
  auto it = facts->find(user.user_id);
  return ClientStateJson(user, it == facts->end() ? nullptr : &it->second, InHoldout(user.user_id, ctx.holdout_share));
}

// A user response with its state.
HttpResponse UserResponse(const ApiContext& ctx, const User& user, int status = 200) {
  auto state = StateOf(ctx, user);
  if (!state.ok()) return ErrorResponse(state.status());
  auto journey = JourneyStates(ctx.store, {user}, ctx.clock.Now());
  if (!journey.ok()) return ErrorResponse(journey.status());
  auto prediction = ctx.store.PredictionsOf({user.user_id});  // issue 11: the latest fit's
  if (!prediction.ok()) return ErrorResponse(prediction.status());
  nlohmann::json data = UserJson(ctx, user);
  data["state"] = std::move(state).value();
  data["journey"] = std::move((*journey)[user.user_id]);
  data["prediction"] = prediction->empty() ? nlohmann::json(nullptr) : PredictionJson(prediction->front());
  return DataResponse(data, status);
}

}  // namespace

void RegisterUserRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/users", [&ctx](HttpRequest& req) {
    auto query = ParseUserQuery(req.query, ctx.rules.threshold, ctx.page_limits);
    if (!query.ok()) return ErrorResponse(query.status());
    if (Status st = ApplyStateFilter(req.query, ctx.rules.threshold, &*query); !st.ok()) return ErrorResponse(st);
    if (!query->state.empty() && (query->sort == UserSort::kChurnProbability || query->min_churn_probability))
      return ErrorResponse(Status::InvalidArgument(
          "state cannot be combined with sort=churnProbability or minChurnProbability", "state"));
    // ?externalId=: the client with the shop's customer id (issue 10), a list of one or none.
    auto external_id = req.query.find("externalId");
    if (external_id != req.query.end() && (external_id->second.empty() || external_id->second.size() > 200))
      return ErrorResponse(Status::InvalidArgument("externalId must be 1 to 200 characters", "externalId"));
    auto page = external_id == req.query.end() ? ctx.store.ListUsers(*query) : [&]() -> Result<Page<User>> {
      auto found = ctx.store.GetUserByExternalId(external_id->second);
      if (found.status().IsNotFound()) return Page<User>{};
      if (!found.ok()) return found.status();
      return Page<User>{{std::move(found).value()}, ""};
    }();
    if (!page.ok()) return ErrorResponse(page.status());
    auto facts = ctx.store.FactsOf(page->items);  // the page's badges, in a few batched reads
    if (!facts.ok()) return ErrorResponse(facts.status());
    auto journeys = JourneyStates(ctx.store, page->items, ctx.clock.Now());  // one read for the page
    if (!journeys.ok()) return ErrorResponse(journeys.status());
    std::vector<std::string> ids;
    for (const User& u : page->items) ids.push_back(u.user_id);
    auto predictions = ctx.store.PredictionsOf(ids);  // issue 11: one read for the page
    if (!predictions.ok()) return ErrorResponse(predictions.status());
    std::map<std::string, nlohmann::json> prediction_of;
    for (const ClientPredictionRecord& p : *predictions) prediction_of[p.user_id] = PredictionJson(p);
    nlohmann::json items = nlohmann::json::array();
    for (const User& u : page->items) {
      nlohmann::json item = ToJson(u);
      item["journey"] = std::move((*journeys)[u.user_id]);
      auto p = prediction_of.find(u.user_id);
      item["prediction"] = p == prediction_of.end() ? nlohmann::json(nullptr) : std::move(p->second);
      auto f = facts->find(u.user_id);
      item["state"] =
          ClientStateJson(u, f == facts->end() ? nullptr : &f->second, InHoldout(u.user_id, ctx.holdout_share));
      items.push_back(std::move(item));
    }
    return ListResponse(items, page->next_cursor);
  });

  router.Add("POST", "/api/users", [&ctx](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto user = ParseNewUser(*body, ctx.clock.Now());
    if (!user.ok()) return ErrorResponse(user.status());
    auto created = ctx.store.CreateUser(std::move(user).value());
    if (!created.ok()) return ErrorResponse(created.status());
    HttpResponse resp = UserResponse(ctx, *created, 201);
    resp.headers.emplace_back("Location", "/api/users/" + created->user_id);
    return resp;
  });

  router.Add("GET", "/api/users/:userId", [&ctx](HttpRequest& req) {
    auto user = ctx.store.GetUser(req.Param("userId"));
    if (!user.ok()) return ErrorResponse(user.status());
    return UserResponse(ctx, *user);
  });

  // Issue 16: the client's history in one list, newest first (client_state.h).
  router.Add("GET", "/api/users/:userId/timeline", [&ctx](HttpRequest& req) {
    auto limit = ParseTimelineLimit(req.query);
    if (!limit.ok()) return ErrorResponse(limit.status());
    auto user = ctx.store.GetUser(req.Param("userId"));
    if (!user.ok()) return ErrorResponse(user.status());
    auto history = ctx.store.History(user->user_id, *limit);
    if (!history.ok()) return ErrorResponse(history.status());
    const Millis now = ctx.clock.Now();
    return DataResponse({{"items", TimelineItems(*history, ComputeScore(ctx.rules, *user, now), now, *limit)}});
  });

  router.Add("PUT", "/api/users/:userId", [&ctx](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto patch = ParseUserPatch(*body, ctx.clock.Now());
    if (!patch.ok()) return ErrorResponse(patch.status());
    auto updated = ctx.store.UpdateUser(req.Param("userId"), *patch);
    if (!updated.ok()) return ErrorResponse(updated.status());
    return UserResponse(ctx, *updated);
  });

  router.Add("DELETE", "/api/users/:userId", [&ctx](HttpRequest& req) {
    Status st = ctx.store.DeleteUser(req.Param("userId"));
    if (!st.ok()) return ErrorResponse(st);
    return DataResponse({{"deleted", true}});
  });

  router.Add("GET", "/api/users/:userId/orders", [&ctx](HttpRequest& req) {
    int limit;
    std::string cursor;
    Status st = ParseLimitAndCursor(req.query, ctx.page_limits, &limit, &cursor);
    if (!st.ok()) return ErrorResponse(st);
    auto user = ctx.store.GetUser(req.Param("userId"));
    if (!user.ok()) return ErrorResponse(user.status());
    auto page = ctx.store.ListOrders(req.Param("userId"), limit, cursor);
    if (!page.ok()) return ErrorResponse(page.status());
    nlohmann::json items = nlohmann::json::array();
    for (const Order& o : page->items) items.push_back(ToJson(o));
    return ListResponse(items, page->next_cursor);
  });
}

}  // namespace rkd
