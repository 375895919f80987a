// /api/queues: the pipeline's queues (depth, in flight, oldest age, dead letters),
// redrive of a dead-letter queue, and POST /api/sweep to re-score everyone now.
#include <algorithm>

#include "api/api.h"
#include "http/envelope.h"

namespace rkd {
namespace {

nlohmann::json ToJson(const QueueStats& q) {
  return {{"name", q.name},
          {"depth", q.depth},
          {"inFlight", q.in_flight},
          {"oldestAgeSeconds", q.oldest_age_seconds},
          {"dlqDepth", q.dlq_depth}};
}

HttpResponse NoPipeline() { return ErrorResponse(503, "unavailable", "the pipeline is not running in this process"); }

// NotFound unless the bus has a queue called `name`.
Status QueueExists(Bus& bus, const std::string& name) {
  auto stats = bus.Stats();
  if (!stats.ok()) return stats.status();
  if (std::none_of(stats->begin(), stats->end(), [&](const QueueStats& q) { return q.name == name; }))
    return Status::NotFound("no queue named " + name, "name");
  return Status::Ok();
}

}  // namespace

nlohmann::json QueueStatsJson(Bus& bus, Status* status) {
  auto stats = bus.Stats();
  if (!stats.ok()) {
    *status = stats.status();
    return nullptr;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const QueueStats& q : *stats) out.push_back(ToJson(q));
  return out;
}

void RegisterQueueRoutes(Router& router, ApiContext& ctx) {
  router.Add("GET", "/api/queues", [&ctx](HttpRequest&) {
    if (!ctx.bus) return NoPipeline();
    Status st;
    nlohmann::json data = QueueStatsJson(*ctx.bus, &st);
    if (!st.ok()) return ErrorResponse(st);
    return DataResponse(data);
  });

  router.Add("GET", "/api/queues/:name/dead-letters", [&ctx](HttpRequest& req) {
    if (!ctx.bus) return NoPipeline();
    if (Status st = QueueExists(*ctx.bus, req.Param("name")); !st.ok()) return ErrorResponse(st);
    auto dead = ctx.bus->PeekDeadLetters(req.Param("name"), 100);
    if (!dead.ok()) return ErrorResponse(dead.status());
    nlohmann::json items = nlohmann::json::array();
    for (const Message& m : *dead)
      items.push_back(
          {{"body", nlohmann::json::parse(m.body, nullptr, false).is_discarded() ? nlohmann::json(m.body)
                                                                                 : nlohmann::json::parse(m.body)},
           {"receiveCount", m.receive_count},
           {"sentAt", FormatRfc3339(m.sent_at)},
           {"lastError", m.last_error}});
    return ListResponse(items, "");
  });

  router.Add("POST", "/api/queues/:name/redrive", [&ctx](HttpRequest& req) {
    if (!ctx.bus) return NoPipeline();
    const std::string& name = req.Param("name");
    if (Status st = QueueExists(*ctx.bus, name); !st.ok()) return ErrorResponse(st);
    auto moved = ctx.bus->Redrive(name);
    if (!moved.ok()) return ErrorResponse(moved.status());
    return DataResponse({{"queue", name}, {"redriven", *moved}});
  });

  router.Add("POST", "/api/sweep", [&ctx](HttpRequest&) {
    if (!ctx.sweeper) return NoPipeline();
    auto r = ctx.sweeper->Run();
    if (!r.ok()) return ErrorResponse(r.status());
    return DataResponse({{"scored", r->scored},
                         {"changed", r->changed},
                         {"published", r->published},
                         {"heldBack", r->held_back},
                         {"seconds", r->seconds},
                         {"skipped", r->skipped}});
  });
}

}  // namespace rkd
