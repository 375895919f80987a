// /api/webhooks: the endpoints that hear what Rekindle does (issue 17), and their
// deliveries.
//
//   GET    /api/webhooks                     the endpoints (never their secrets)
//   POST   /api/webhooks                     {url, events, description?} → 201, with the
//                                            signing secret, shown this once
//   DELETE /api/webhooks/:endpointId         stops its deliveries (those pending end dead)
//   GET    /api/webhooks/events              the event types an endpoint may subscribe to
//   GET    /api/webhooks/deliveries          newest first; ?endpointId=, ?status=, ?limit=
//   POST   /api/webhooks/deliveries/:deliveryId/replay
//                                            a dead or delivered one sent again (202)
#include <curl/curl.h>

#include <memory>
#include <set>

#include "api/api.h"
#include "base/ids.h"
#include "base/internal_address.h"
#include "http/envelope.h"
#include "integrations/webhook_sender.h"

namespace rkd {
namespace {

constexpr size_t kMaxUrl = 2048;
constexpr size_t kMaxDescription = 200;

// Why `url` cannot be an endpoint, or "" when it can: an absolute http(s) URL with a
// host, no user or password in it, no fragment, at most kMaxUrl printable characters.
std::string UrlProblem(const std::string& url, bool allow_internal) {
  if (url.empty() || url.size() > kMaxUrl) return "url must be 1 to 2048 characters";
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f) return "url must be printable ASCII without spaces (percent-encode the rest)";
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> h(curl_url(), curl_url_cleanup);
  if (!h || curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "url must be an absolute URL";
  auto part = [&](CURLUPart which) {
    char* value = nullptr;
    std::string out;
    if (curl_url_get(h.get(), which, &value, 0) == CURLUE_OK && value) out = value;
    curl_free(value);
    return out;
  };
  const std::string scheme = part(CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") return "url must start with https:// or http://";
  const std::string host = part(CURLUPART_HOST);
  if (host.empty()) return "url must name a host";
  if (!allow_internal && IsInternalHost(host))
    return "url names a loopback, private or link-local address (RKD_WEBHOOK_ALLOW_INTERNAL=true allows it)";
  if (!part(CURLUPART_USER).empty() || !part(CURLUPART_PASSWORD).empty())
    return "url must not carry a user or password (the signature authenticates each delivery)";
  if (url.find('#') != std::string::npos) return "url must not have a #fragment";
  return "";
}

nlohmann::json EndpointJson(const WebhookEndpoint& e) {
  return {{"endpointId", e.endpoint_id},
          {"url", e.url},
          {"events", e.events},
          {"description", e.description},
          {"createdAt", FormatRfc3339(e.created_at)}};
}

nlohmann::json DeliveryJson(const WebhookDelivery& d) {
  nlohmann::json payload = nlohmann::json::parse(d.payload, nullptr, false);
  if (payload.is_discarded()) payload = nullptr;
  return {{"deliveryId", d.delivery_id},
          {"endpointId", d.endpoint_id},
          {"type", d.type},
          {"data", std::move(payload)},
          {"createdAt", FormatRfc3339(d.created_at)},
          {"status", d.status},
          {"attempts", d.attempts},
          {"nextAttemptAt", d.status == "pending" ? nlohmann::json(FormatRfc3339(d.next_attempt_at)) : nullptr},
          {"lastStatus", d.last_status ? nlohmann::json(*d.last_status) : nullptr},
          {"lastError", d.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.last_error)},
          {"deliveredAt", d.delivered_at ? nlohmann::json(FormatRfc3339(*d.delivered_at)) : nullptr}};
}

// The endpoint a POST describes, or why not (naming the field).
Result<WebhookEndpoint> ParseEndpoint(const std::string& body_text, bool allow_internal) {
  auto body = ParseJsonObject(body_text);
  if (!body.ok()) return body.status();
  for (const auto& [key, value] : body->items())
    if (key != "url" && key != "events" && key != "description")
      return Status::InvalidArgument(key + " is not a known field (url, events, description)", key);
  WebhookEndpoint e;
  const auto url = body->find("url");
  if (url == body->end() || !url->is_string()) return Status::InvalidArgument("url must be a string", "url");
  e.url = url->get<std::string>();
  if (std::string problem = UrlProblem(e.url, allow_internal); !problem.empty())
    return Status::InvalidArgument(problem, "url");
  const auto events = body->find("events");
  if (events == body->end() || !events->is_array() || events->empty())
    return Status::InvalidArgument("events must be a non-empty array of event types (GET /api/webhooks/events)",
                                   "events");
  std::set<std::string> seen;
  for (const auto& ev : *events) {
    if (!ev.is_string() || !IsWebhookEventType(ev.get<std::string>()))
      return Status::InvalidArgument("events must name known event types (GET /api/webhooks/events)", "events");
    if (seen.insert(ev.get<std::string>()).second) e.events.push_back(ev.get<std::string>());
  }
  if (const auto d = body->find("description"); d != body->end()) {
    if (!d->is_string() || d->get<std::string>().size() > kMaxDescription)
      return Status::InvalidArgument("description must be a string of at most 200 bytes", "description");
    e.description = d->get<std::string>();
  }
  return e;
}

}  // namespace

void RegisterWebhookRoutes(Router& router, ApiContext& ctx, WebhookSender* sender, bool allow_internal) {
  router.Add("GET", "/api/webhooks", [&ctx](HttpRequest&) {
    auto list = ctx.store.ListWebhookEndpoints();
    if (!list.ok()) return ErrorResponse(list.status());
    nlohmann::json items = nlohmann::json::array();
    for (const WebhookEndpoint& e : *list) items.push_back(EndpointJson(e));
    return DataResponse(items);
  });

  router.Add("GET", "/api/webhooks/events", [](HttpRequest&) {
    nlohmann::json types = nlohmann::json::array();
    for (std::string_view t : kWebhookEventTypes) types.push_back(t);
    return DataResponse(types);
  });

  router.Add("POST", "/api/webhooks", [&ctx, sender, allow_internal](HttpRequest& req) {
    auto parsed = ParseEndpoint(req.body, allow_internal);
    if (!parsed.ok()) return ErrorResponse(parsed.status());
    WebhookEndpoint e = std::move(parsed).value();
    e.endpoint_id = "wh_" + NewOrderedUuid();
    e.secret = NewWebhookSecret();
    e.created_at = ctx.clock.Now();
    if (Status st = ctx.store.CreateWebhookEndpoint(e); !st.ok()) return ErrorResponse(st);
    if (sender) sender->Wake();
    nlohmann::json out = EndpointJson(e);
    out["secret"] = e.secret;  // the only time it leaves the store
    return DataResponse(out, 201);
  });

  router.Add("DELETE", "/api/webhooks/:endpointId", [&ctx, sender](HttpRequest& req) {
    auto deleted = ctx.store.DeleteWebhookEndpoint(req.Param("endpointId"));
    if (!deleted.ok()) return ErrorResponse(deleted.status());
    if (!*deleted)
      return ErrorResponse(Status::NotFound("no webhook endpoint has the id " + req.Param("endpointId"), "endpointId"));
    if (sender) sender->Wake();  // its pending deliveries end dead
    return DataResponse({{"deleted", true}});
  });

  router.Add("GET", "/api/webhooks/deliveries", [&ctx](HttpRequest& req) {
    std::string endpoint_id, status;
    if (auto it = req.query.find("endpointId"); it != req.query.end()) endpoint_id = it->second;
    if (auto it = req.query.find("status"); it != req.query.end()) {
      status = it->second;
      if (status != "pending" && status != "delivered" && status != "dead")
        return ErrorResponse(Status::InvalidArgument("status must be pending, delivered or dead", "status"));
    }
    int limit = ctx.page_limits.default_limit;
    std::string unused_cursor;
    if (Status st = ParseLimitAndCursor(req.query, ctx.page_limits, &limit, &unused_cursor); !st.ok())
      return ErrorResponse(st);
    auto list = ctx.store.ListWebhookDeliveries(endpoint_id, status, limit);
    if (!list.ok()) return ErrorResponse(list.status());
    nlohmann::json items = nlohmann::json::array();
    for (const WebhookDelivery& d : *list) items.push_back(DeliveryJson(d));
    return DataResponse(items);
  });

  router.Add("POST", "/api/webhooks/deliveries/:deliveryId/replay", [&ctx, sender](HttpRequest& req) {
    const std::string id = req.Param("deliveryId");
    auto replayed = ctx.store.ReplayWebhookDelivery(id);
    if (!replayed.ok()) return ErrorResponse(replayed.status());
    if (!*replayed)
      return ErrorResponse(Status::NotFound(
          "no delivery " + id + " that has ended (dead or delivered) and whose endpoint still exists", "deliveryId"));
    if (sender) sender->Wake();
    return DataResponse({{"replayed", true}, {"deliveryId", id}}, 202);
  });
}

}  // namespace rkd
