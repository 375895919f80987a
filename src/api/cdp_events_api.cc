// POST /api/identify and POST /api/track: events from a customer data platform in the
// Segment spec's shape (Segment's and RudderStack's webhook destinations send them), so
// a shop that already sends its events to a CDP points it at Rekindle (issue 17). Under
// /api: the API key guards them (the destination sends it as a header).
//
// Each event is checked to be a JSON object of its route's type with a messageId, then
// recorded once per messageId (source "cdp", as the shop webhooks' deliveries are) and
// answered at once; the hook applier applies it (integrations/cdp_events.h). The same
// messageId sent again answers 200 with `duplicate` and changes nothing.
#include "api/api.h"
#include "base/ids.h"
#include "http/envelope.h"
#include "integrations/hook_applier.h"

namespace rkd {
namespace {

HttpResponse Receive(const char* type, ApiContext& ctx, HookApplier* applier, HttpRequest& req) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ErrorResponse(body.status());
  auto given = body->find("type");
  if (given != body->end() && (!given->is_string() || given->get<std::string>() != type))
    return ErrorResponse(Status::InvalidArgument(std::string("type must be ") + type + " on this route", "type"));
  (*body)["type"] = type;
  auto id = body->find("messageId");
  if (id == body->end() || !id->is_string() || id->get<std::string>().empty() || id->get<std::string>().size() > 128)
    return ErrorResponse(
        Status::InvalidArgument("messageId must be the event's id (1 to 128 characters)", "messageId"));
  for (unsigned char c : id->get<std::string>())
    if (c <= 0x20 || c >= 0x7f)
      return ErrorResponse(Status::InvalidArgument("messageId must be printable ASCII", "messageId"));
  HookDelivery d;
  d.hook_id = NewOrderedUuid();
  d.source = "cdp";
  d.delivery_id = id->get<std::string>();
  d.topic = type;
  if (std::string(type) == "track") {
    auto event = body->find("event");
    if (event == body->end() || !event->is_string() || event->get<std::string>().empty() ||
        event->get<std::string>().size() > 128)
      return ErrorResponse(Status::InvalidArgument("event must name the event (1 to 128 characters)", "event"));
  }
  d.body = body->dump();
  d.received_at = ctx.clock.Now();
  auto recorded = ctx.store.RecordHookDelivery(d);
  if (!recorded.ok()) return ErrorResponse(recorded.status());
  if (*recorded && applier) applier->Wake();
  return DataResponse({{"received", true}, {"duplicate", !*recorded}});
}

}  // namespace

void RegisterCdpRoutes(Router& router, ApiContext& ctx, HookApplier* applier) {
  router.Add("POST", "/api/identify",
             [&ctx, applier](HttpRequest& req) { return Receive("identify", ctx, applier, req); });
  router.Add("POST", "/api/track", [&ctx, applier](HttpRequest& req) { return Receive("track", ctx, applier, req); });
}

}  // namespace rkd
