// POST /hooks/shopify and POST /hooks/woocommerce (outside /api: API keys do not apply;
// each delivery is authenticated by its platform's signature, webhook_signature.h), and
// GET /api/integrations/deliveries (what came in, for the dashboard).
//
// A delivery is verified (base64 HMAC-SHA256 of the raw body under one of the
// configured secrets, two during a rotation), checked to be a JSON object, recorded once
// per platform delivery id (X-Shopify-Event-Id; X-WC-Webhook-Delivery-ID) and answered
// at once: the hook applier (hook_applier.h) applies it on its own thread. A delivery
// sent again answers 200 with `duplicate` and changes nothing.
//
//  404 the platform is not connected (no secret set): nothing is read.
//  401 no signature, or one that matches no secret: nothing is written.
//  400 a missing or malformed topic or delivery id, or a body that is not a JSON object.
//  503 the store cannot record it (the platform retries).
// WooCommerce's ping when a webhook is saved (`webhook_id=N`, unsigned) answers 200 and
// writes nothing.
#include <regex>

#include "api/api.h"
#include "base/ids.h"
#include "base/log.h"
#include "http/envelope.h"
#include "integrations/hook_applier.h"
#include "integrations/webhook_signature.h"

namespace rkd {
namespace {

struct Platform {
  const char* source;           // "shopify"
  const char* name;             // "Shopify"
  const char* secrets_setting;  // its RKD_ setting
  const char* signature_header;
  const char* topic_header;
  std::vector<const char*> delivery_headers;  // the first present names the delivery
};

const Platform kShopify{"shopify",
                        "Shopify",
                        "RKD_SHOPIFY_WEBHOOK_SECRETS",
                        "x-shopify-hmac-sha256",
                        "x-shopify-topic",
                        {"x-shopify-event-id", "x-shopify-webhook-id"}};
const Platform kWooCommerce{"woocommerce",
                            "WooCommerce",
                            "RKD_WOOCOMMERCE_WEBHOOK_SECRETS",
                            "x-wc-webhook-signature",
                            "x-wc-webhook-topic",
                            {"x-wc-webhook-delivery-id"}};

// A delivery id: 1 to `max` printable ASCII characters, no space.
bool IsDeliveryId(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

// A topic as the platforms name them ("orders/create", "order.updated",
// "customers_email_marketing_consent/update"): words of a-z, 0-9 and '_', joined by single
// '/' or '.'; at most 64 characters.
bool IsTopic(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  bool word = false;  // inside a word: a separator may follow
  for (unsigned char c : s) {
    if (std::islower(c) || std::isdigit(c) || c == '_') {
      word = true;
    } else if ((c == '/' || c == '.') && word) {
      word = false;
    } else {
      return false;
    }
  }
  return word;
}

HttpResponse Receive(const Platform& p, const std::vector<std::string>& secrets, ApiContext& ctx, HookApplier* applier,
                     HttpRequest& req) {
  if (secrets.empty())
    return ErrorResponse(
        404, "not_found",
        std::string(p.name) + " is not connected: set " + p.secrets_setting + " (README: Shop webhooks)");
  if (&p == &kWooCommerce && req.Header(p.signature_header).empty()) {
    // The ping WooCommerce sends when a webhook is saved: unsigned, `webhook_id=N`.
    static const std::regex kPing("webhook_id=[0-9]{1,20}");
    if (std::regex_match(req.body, kPing)) return DataResponse({{"ping", true}});
  }
  if (!WebhookSignatureMatches(secrets, req.body, req.Header(p.signature_header))) {
    LogWarn("shop hook refused", {{"source", p.source}, {"reason", "signature"}});
    return ErrorResponse(
        401, "unauthenticated",
        std::string("the ") + p.signature_header + " signature does not match the body under any configured secret");
  }
  HookDelivery d;
  d.source = p.source;
  d.topic = req.Header(p.topic_header);
  if (!IsTopic(d.topic))
    return ErrorResponse(Status::InvalidArgument(std::string(p.topic_header) + " must name the topic", p.topic_header));
  for (const char* h : p.delivery_headers) {
    d.delivery_id = req.Header(h);
    if (!d.delivery_id.empty()) break;
  }
  if (!IsDeliveryId(d.delivery_id, 128))
    return ErrorResponse(Status::InvalidArgument(
        std::string(p.delivery_headers.front()) + " must carry the delivery's id (1 to 128 printable characters)",
        p.delivery_headers.front()));
  const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return ErrorResponse(Status::InvalidArgument("the body must be a JSON object", "body"));
  d.hook_id = NewOrderedUuid();
  d.body = req.body;
  d.received_at = ctx.clock.Now();
  auto recorded = ctx.store.RecordHookDelivery(d);
  if (!recorded.ok()) return ErrorResponse(recorded.status());
  if (*recorded && applier) applier->Wake();
  return DataResponse({{"received", true}, {"duplicate", !*recorded}, {"topic", d.topic}});
}

nlohmann::json DeliveryJson(const HookDelivery& d) {
  return {{"hookId", d.hook_id},
          {"source", d.source},
          {"deliveryId", d.delivery_id},
          {"topic", d.topic},
          {"receivedAt", FormatRfc3339(d.received_at)},
          {"status", d.status},
          {"attempts", d.attempts},
          {"error", d.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.error)},
          {"appliedAt", d.applied_at ? nlohmann::json(FormatRfc3339(*d.applied_at)) : nlohmann::json(nullptr)}};
}

}  // namespace

void RegisterShopHookRoutes(Router& router, ApiContext& ctx, const ShopHookOptions& options) {
  const RouteOptions any_body{.accepts = {"application/json", "application/x-www-form-urlencoded", ""}};
  router.Add(
      "POST", "/hooks/shopify",
      [&ctx, options](HttpRequest& req) {
        return Receive(kShopify, options.shopify_secrets, ctx, options.applier, req);
      },
      any_body);
  router.Add(
      "POST", "/hooks/woocommerce",
      [&ctx, options](HttpRequest& req) {
        return Receive(kWooCommerce, options.woocommerce_secrets, ctx, options.applier, req);
      },
      any_body);
  router.Add("GET", "/api/integrations/deliveries", [&ctx](HttpRequest& req) {
    std::string source;
    if (auto it = req.query.find("source"); it != req.query.end()) {
      source = it->second;
      if (source != kShopify.source && source != kWooCommerce.source && source != "cdp")
        return ErrorResponse(Status::InvalidArgument("source must be shopify, woocommerce or cdp", "source"));
    }
    int limit = ctx.page_limits.default_limit;
    std::string unused_cursor;
    if (Status st = ParseLimitAndCursor(req.query, ctx.page_limits, &limit, &unused_cursor); !st.ok())
      return ErrorResponse(st);
    auto list = ctx.store.ListHookDeliveries(source, limit);
    if (!list.ok()) return ErrorResponse(list.status());
    nlohmann::json items = nlohmann::json::array();
    for (const HookDelivery& d : *list) items.push_back(DeliveryJson(d));
    return DataResponse(items);
  });
}

}  // namespace rkd
