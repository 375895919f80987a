// /api/journey (issue 16): the win-back journey, versioned, and its dry run. PUT stores
// a new version (who: the API key's name); GET gives the newest; the dry run decides
// every client as the email processor would now (the same DecideJourney) and asks the
// sending controls without taking anything (SendGate::Preview), so what it shows is what
// the pipeline then does.
#include <chrono>
#include <set>

#include "api/api.h"
#include "api/validation.h"
#include "base/log.h"
#include "http/envelope.h"
#include "pipeline/churn_views.h"
#include "pipeline/email_processor.h"
#include "pipeline/journey.h"

namespace rkd {
namespace {

constexpr int kDryRunPage = 5000;   // clients read per step of the dry run
constexpr size_t kSampleSize = 20;  // clients shown

nlohmann::json JourneyJson(const JourneyVersion& j) {
  nlohmann::json steps = nlohmann::json::array();
  for (const JourneyStep& s : j.definition.steps)
    steps.push_back({{"delayDays", s.delay_days}, {"message", s.message}});
  return {{"version", j.version},
          {"steps", steps},
          {"restDays", j.definition.rest_days},
          {"exits", JourneyDefinition::Exits()},
          {"createdAt", FormatRfc3339(j.created_at)},
          {"createdBy", j.created_by}};
}

// A whole number in a JSON value, else InvalidArgument on `field`.
Result<int> WholeNumber(const nlohmann::json& v, const std::string& field) {
  if (!v.is_number_integer() && !(v.is_number_float() && v.get<double>() == static_cast<double>(v.get<int64_t>())))
    return Status::InvalidArgument(field + " must be a whole number", field);
  const int64_t n = v.get<int64_t>();
  if (n < -1'000'000 || n > 1'000'000) return Status::InvalidArgument(field + " is out of range", field);
  return static_cast<int>(n);
}

// PUT /api/journey's body: {steps: [{delayDays, message}], restDays, exits?}.
Result<JourneyDefinition> ParseJourney(const nlohmann::json& body, const JourneyDefinition& current) {
  JourneyDefinition d;
  d.rest_days = current.rest_days;
  for (const auto& [key, value] : body.items())
    if (key != "steps" && key != "restDays" && key != "exits")
      return Status::InvalidArgument(key + " is not a known field", key);
  const auto steps = body.find("steps");
  if (steps == body.end() || !steps->is_array())
    return Status::InvalidArgument("steps must be an array of {delayDays, message}", "steps");
  if (steps->empty() || steps->size() > 10) return Status::InvalidArgument("a journey has 1 to 10 steps", "steps");
  for (size_t i = 0; i < steps->size(); ++i) {
    const nlohmann::json& s = (*steps)[i];
    const std::string at = "steps[" + std::to_string(i) + "]";
    if (!s.is_object()) return Status::InvalidArgument(at + " must be an object {delayDays, message}", at);
    for (const auto& [key, value] : s.items())
      if (key != "delayDays" && key != "message")
        return Status::InvalidArgument(at + "." + key + " is not a known field", at + "." + key);
    JourneyStep step;
    const auto delay = s.find("delayDays");
    if (delay == s.end()) return Status::InvalidArgument(at + ".delayDays is required", at + ".delayDays");
    auto days = WholeNumber(*delay, at + ".delayDays");
    if (!days.ok()) return days.status();
    step.delay_days = *days;
    const auto message = s.find("message");
    if (message == s.end() || !message->is_string())
      return Status::InvalidArgument(at + ".message must be a template set's name", at + ".message");
    step.message = message->get<std::string>();
    d.steps.push_back(std::move(step));
  }
  if (const auto rest = body.find("restDays"); rest != body.end()) {
    auto days = WholeNumber(*rest, "restDays");
    if (!days.ok()) return days.status();
    d.rest_days = *days;
  }
  if (const auto exits = body.find("exits"); exits != body.end() && *exits != JourneyDefinition::Exits())
    return Status::InvalidArgument("exits are fixed: order, unsubscribe, bounce, complaint", "exits");
  return d;
}

// The dry run: every client decided as the processor would now; the ones it would email
// asked of the gate (Preview, taking nothing) together, so the caps count across them.
Result<nlohmann::json> DryRun(ApiContext& ctx, const JourneyApiOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const Millis now = ctx.clock.Now();
  auto current = ctx.store.GetJourney();
  if (!current.ok()) return current.status();
  std::map<int64_t, JourneyVersion> versions{{current->version, *current}};
  int64_t suppressed = 0, held_out = 0, resting = 0;
  std::vector<User> would;  // clients whose step would go out, with the step
  std::vector<int> would_step;
  std::string after;
  for (;;) {
    auto page = ctx.store.ScanUsers(after, kDryRunPage);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    after = page->back().user_id;
    std::vector<std::string> ids, addresses;
    for (const User& u : *page) {
      ids.push_back(u.user_id);
      addresses.push_back(u.email);
    }
    auto episodes = ctx.store.LatestEpisodes(ids);
    if (!episodes.ok()) return episodes.status();
    std::map<std::string, Episode> episode_by_user;
    for (Episode& e : *episodes) episode_by_user.emplace(e.user_id, std::move(e));
    auto off = ctx.store.SuppressionsAmong(addresses);
    if (!off.ok()) return off.status();
    std::map<std::string, std::string> reason_by_address;
    for (const Suppression& s : *off) {
      std::string lower = s.email;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reason_by_address.emplace(lower, s.reason);
    }
    std::vector<const User*> scanned;
    for (const User& u : *page) scanned.push_back(&u);
    auto churn = ChurnViewsOf(ctx.store, ctx.targeting, scanned);
    if (!churn.ok()) return churn.status();
    for (User& u : *page) {
      JourneyInput in;
      in.user = &u;
      u.engagement_score = ComputeScore(ctx.rules, u, now);
      in.at_risk = !ChosenBy(ctx.targeting, ctx.rules, u.engagement_score, ViewOf(*churn, u.user_id)).empty();
      if (auto e = episode_by_user.find(u.user_id); e != episode_by_user.end()) {
        in.episode = e->second;
        auto v = versions.find(e->second.journey_version);
        if (v == versions.end()) {
          auto j = ctx.store.GetJourney(e->second.journey_version);
          if (!j.ok()) return j.status();
          v = versions.emplace(j->version, *j).first;
        }
        in.episode_journey = &v->second;
      }
      in.current_journey = &*current;
      std::string lower = u.email;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (auto r = reason_by_address.find(lower); r != reason_by_address.end()) in.suppression_reason = r->second;
      in.held_out = InHoldout(u.user_id, ctx.holdout_share);
      in.cooldown = options.cooldown;
      in.now = now;
      const JourneyDecision d = DecideJourney(in);
      if (d.action == JourneyAction::kSend) {
        would_step.push_back(d.step);
        would.push_back(std::move(u));
      } else if (d.action == JourneyAction::kHoldOut) {
        ++held_out;
      } else if (d.why == Why::kSuppressed || d.why == Why::kNoAddress) {
        ++suppressed;
      } else if (d.why == Why::kResting) {
        ++resting;
      }
    }
    if (static_cast<int>(page->size()) < kDryRunPage) break;
  }
  std::vector<const User*> asking;
  for (const User& u : would) asking.push_back(&u);
  OpenGate open;
  auto answers = (options.gate ? *options.gate : open).Preview(asking, now);
  if (!answers.ok()) return answers.status();
  int64_t would_email = 0, paused = 0, quiet = 0, capped = 0;
  std::map<int, int64_t> by_step;
  nlohmann::json sample = nlohmann::json::array();
  for (size_t k = 0; k < would.size(); ++k) {
    switch ((*answers)[k].verdict) {
      case GateVerdict::kPaused:
        ++paused;
        continue;
      case GateVerdict::kQuietHours:
        ++quiet;
        continue;
      case GateVerdict::kCapped:
        ++capped;
        continue;
      case GateVerdict::kSend:
        break;
    }
    ++would_email;
    ++by_step[would_step[k]];
    if (sample.size() < kSampleSize)
      sample.push_back({{"userId", would[k].user_id},
                        {"name", would[k].name},
                        {"email", would[k].email},
                        {"step", would_step[k]},
                        {"engagementScore", would[k].engagement_score}});
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& [step, count] : by_step) steps.push_back({{"step", step}, {"count", count}});
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  LogInfo("dry run", {{"wouldEmail", would_email}, {"ms", ms}});
  return nlohmann::json{{"wouldEmail", would_email},
                        {"byStep", steps},
                        {"notNow", {{"paused", paused}, {"quietHours", quiet}, {"cap", capped}}},
                        {"skipped", {{"suppressed", suppressed}, {"heldOut", held_out}, {"resting", resting}}},
                        {"sample", sample},
                        {"journeyVersion", current->version},
                        {"at", FormatRfc3339(now)},
                        {"elapsedMs", static_cast<int64_t>(ms)}};
}

}  // namespace

void RegisterJourneyRoutes(Router& router, ApiContext& ctx, JourneyApiOptions options) {
  router.Add("GET", "/api/journey", [&ctx](HttpRequest&) {
    auto j = ctx.store.GetJourney();
    if (!j.ok()) return ErrorResponse(j.status());
    nlohmann::json out = JourneyJson(*j);
    // The messages a step may name: the built-in template sets (winback-1 is the default
    // templates) and those stored in the dashboard (issue 12).
    std::set<std::string> names = {"winback-1", "winback-2", "winback-3"};
    auto stored = ctx.store.ListMessages();
    if (!stored.ok()) return ErrorResponse(stored.status());
    for (const MessageVersion& m : *stored) names.insert(m.name);
    out["messages"] = names;
    return DataResponse(out);
  });

  router.Add("GET", "/api/journey/versions", [&ctx](HttpRequest&) {
    auto versions = ctx.store.ListJourneys(1000);
    if (!versions.ok()) return ErrorResponse(versions.status());
    nlohmann::json items = nlohmann::json::array();
    for (const JourneyVersion& j : *versions) items.push_back(JourneyJson(j));
    return DataResponse(items);
  });

  router.Add("PUT", "/api/journey", [&ctx, options](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    auto current = ctx.store.GetJourney();
    if (!current.ok()) return ErrorResponse(current.status());
    auto definition = ParseJourney(*body, current->definition);
    if (!definition.ok()) return ErrorResponse(definition.status());
    if (Status st = ValidateJourney(*definition, options.cooldown); !st.ok()) return ErrorResponse(st);
    auto saved = ctx.store.SaveJourney(*definition, Author(req));
    if (!saved.ok()) return ErrorResponse(saved.status());
    LogInfo("journey saved", {{"version", saved->version}, {"by", saved->created_by}});
    return DataResponse(JourneyJson(*saved));
  });

  router.Add("POST", "/api/journey/dry-run", [&ctx, options](HttpRequest& req) {
    // It takes nothing: an empty body or {}; anything else is a mistake worth saying.
    if (!req.body.empty()) {
      auto body = ParseJsonObject(req.body);
      if (!body.ok()) return ErrorResponse(body.status());
      if (!body->empty())
        return ErrorResponse(
            Status::InvalidArgument(body->begin().key() + " is not a known field", body->begin().key()));
    }
    auto out = DryRun(ctx, options);
    if (!out.ok()) return ErrorResponse(out.status());
    return DataResponse(*out);
  });
}

}  // namespace rkd
