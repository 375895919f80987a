// POST /hooks/ses (outside /api: API keys do not apply; the hook authenticates each
// request itself). Amazon SES bounce and complaint notifications, as SNS delivers them
// to an HTTPS subscription or as a sender posts them directly:
//
//  - an SNS envelope with a valid signature (sns_verifier.h), or
//  - any body (SNS envelope or raw SES notification) with the shared secret
//    RKD_SES_WEBHOOK_SECRET as `Authorization: Bearer …` or `?secret=…`.
//
// Anything else is 403 and writes nothing. A permanent bounce suppresses each bounced
// recipient ("bounced"), a complaint each complained recipient ("complained");
// transient and undetermined bounces and deliveries are logged only. Suppressing is an
// upsert, so SNS's retries are harmless. A store fault answers 503 so SNS retries.
#include <openssl/crypto.h>

#include <algorithm>
#include <memory>

#include "api/api.h"
#include "api/validation.h"
#include "base/log.h"
#include "base/time.h"
#include "delivery/ses_notification.h"
#include "delivery/sns_verifier.h"
#include "http/envelope.h"

namespace rkd {
namespace {

bool SecretMatches(const std::string& secret, const HttpRequest& req) {
  if (secret.empty()) return false;
  std::string given;
  const std::string& auth = req.Header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    given = auth.substr(7);
  } else if (auto it = req.query.find("secret"); it != req.query.end()) {
    given = it->second;
  }
  return given.size() == secret.size() && CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

HttpResponse Forbidden(const std::string& why) {
  LogWarn("ses hook refused", {{"reason", why}});
  return ErrorResponse(403, "forbidden", "not a signed SNS message and no valid webhook secret");
}

// Applies one SES notification; the response lists what was suppressed.
HttpResponse Apply(Store& store, const SesNotification& n, const std::string& source) {
  std::string reason;
  if (n.notification_type == "Bounce" && n.bounce_type == "Permanent") reason = "bounced";
  if (n.notification_type == "Complaint") reason = "complained";
  nlohmann::json suppressed = nlohmann::json::array();
  nlohmann::json ignored = nlohmann::json::array();
  for (const std::string& addr : n.recipients) {
    if (reason.empty()) break;
    if (!IsValidEmailAddress(addr)) {
      ignored.push_back(addr);
      continue;
    }
    if (Status st = store.Suppress(addr, reason); !st.ok()) {
      LogError("ses hook could not suppress", {{"email", addr}, {"error", st.ToString()}});
      return ErrorResponse(Status::Unavailable("could not record the suppression; retry"));
    }
    suppressed.push_back(addr);
  }
  LogInfo("ses notification", {{"type", n.notification_type},
                               {"bounceType", n.bounce_type},
                               {"bounceSubType", n.bounce_sub_type},
                               {"feedbackType", n.complaint_feedback_type},
                               {"recipients", n.recipients},
                               {"suppressed", suppressed},
                               {"ignored", ignored},
                               {"sesMessageId", n.mail_message_id},
                               {"via", source}});
  return DataResponse({{"type", n.notification_type},
                       {"reason", reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(reason)},
                       {"suppressed", suppressed}});
}

HttpResponse ApplyJson(Store& store, const nlohmann::json& body, const std::string& source) {
  auto n = ParseSesNotification(body);
  if (!n.ok()) return ErrorResponse(n.status());
  return Apply(store, *n, source);
}

}  // namespace

void RegisterSesHookRoutes(Router& router, ApiContext& ctx, const SesHookOptions& options) {
  SnsVerifierOptions vopts;
  vopts.cert_hosts = options.cert_hosts;
  vopts.allow_insecure_urls = options.allow_insecure_cert_url;
  auto verifier = std::make_shared<SnsVerifier>(vopts, CurlGet);
  const std::string secret = options.secret;

  auto hook = [&ctx, verifier, secret, options](HttpRequest& req) {
    auto body = ParseJsonObject(req.body);
    if (!body.ok()) return ErrorResponse(body.status());
    const bool secret_ok = SecretMatches(secret, req);

    if (!IsSnsEnvelope(*body)) {
      if (!secret_ok) return Forbidden("a raw SES notification without the webhook secret");
      return ApplyJson(ctx.store, *body, "secret");
    }

    auto sns = ParseSnsMessage(*body);
    if (!sns.ok()) return ErrorResponse(sns.status());
    if (!options.topic_arns.empty() &&
        std::find(options.topic_arns.begin(), options.topic_arns.end(), sns->topic_arn) == options.topic_arns.end())
      return Forbidden("TopicArn " + sns->topic_arn + " is not one of RKD_SNS_TOPIC_ARNS");
    if (!secret_ok) {
      // A validly signed message stays valid forever: an old one is taken for a replay.
      const auto at = ParseRfc3339(sns->timestamp);
      const Millis max_age = int64_t{options.max_age_s} * 1000;
      if (!at || ctx.clock.Now() - *at > max_age || *at - ctx.clock.Now() > max_age)
        return Forbidden("Timestamp " + sns->timestamp + " is not within RKD_SNS_MAX_AGE_S (" +
                         std::to_string(options.max_age_s) + " s) of now");
      if (Status st = verifier->Verify(*sns); !st.ok()) {
        if (st.code() == Code::kUnavailable) {
          // Not fetched, or not now (the fetch bounds of sns_verifier.h): SNS retries a 503.
          LogWarn("ses hook could not fetch the signing certificate", {{"error", st.message()}});
          HttpResponse r = ErrorResponse(st);
          r.headers.emplace_back("Retry-After", "5");
          return r;
        }
        return Forbidden(st.message());
      }
    }
    const std::string via = secret_ok ? "secret" : "sns-signature";

    if (sns->type == "SubscriptionConfirmation") {
      if (Status st = verifier->CheckUrl(sns->subscribe_url); !st.ok())
        return ErrorResponse(Status::InvalidArgument(st.message(), "SubscribeURL"));
      auto fetched = CurlGet(sns->subscribe_url);
      if (!fetched.ok()) {
        LogWarn("sns subscription confirmation failed",
                {{"topicArn", sns->topic_arn}, {"error", fetched.status().message()}});
        return ErrorResponse(fetched.status());
      }
      LogInfo("sns subscription confirmed", {{"topicArn", sns->topic_arn}, {"via", via}});
      return DataResponse({{"type", sns->type}, {"confirmed", true}});
    }
    if (sns->type == "UnsubscribeConfirmation") {
      LogInfo("sns subscription ended", {{"topicArn", sns->topic_arn}, {"via", via}});
      return DataResponse({{"type", sns->type}});
    }
    // Notification: the SES notification is a JSON document inside a string.
    auto inner = ParseJsonObject(sns->message);
    if (!inner.ok()) return ErrorResponse(Status::InvalidArgument("Message must hold a JSON object", "Message"));
    return ApplyJson(ctx.store, *inner, via);
  };
  // SNS posts text/plain (a JSON document); a direct post may say application/json.
  router.Add("POST", "/hooks/ses", hook, {.accepts = {"text/plain", "application/json"}});
}

}  // namespace rkd
