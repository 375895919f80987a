#include "integrations/webhook_sender.h"

#include <openssl/rand.h>

#include <array>
#include <future>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/text_encoding.h"
#include "integrations/webhook_signature.h"

namespace rkd {
namespace {

// The delays after each failed attempt, in units of the first: 5 s, 30 s, 2 min, 10 min,
// 30 min, 1 h, 2 h, 4 h, 6 h, 6 h, 6 h (a unit of 5 s); 12 attempts over about 25 hours.
constexpr std::array<int64_t, 11> kRetrySteps = {1, 6, 24, 120, 360, 720, 1440, 2880, 4320, 4320, 4320};

constexpr size_t kKeptAnswer = 512;  // what is kept of a refusal's body, for the dashboard
constexpr int kPruneChunk = 10'000;  // deliveries deleted per transaction

// A short, printable excerpt of what a receiver answered.
std::string Excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, kKeptAnswer)) out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  return out;
}

}  // namespace

std::optional<Millis> WebhookRetryDelay(int64_t attempt, Millis first_retry) {
  if (attempt < 1 || attempt > static_cast<int64_t>(kRetrySteps.size())) return std::nullopt;
  return kRetrySteps[static_cast<size_t>(attempt - 1)] * first_retry;
}

std::string NewWebhookSecret() {
  unsigned char key[24];
  if (RAND_bytes(key, sizeof key) != 1) std::abort();  // no randomness: nothing safe to sign with
  return "whsec_" + Base64Encode(std::string_view(reinterpret_cast<const char*>(key), sizeof key));
}

std::string StandardWebhookSignature(std::string_view secret, std::string_view id, int64_t timestamp_s,
                                     std::string_view body) {
  std::string key(secret);
  if (secret.substr(0, 6) == "whsec_")
    if (std::optional<std::string> decoded = Base64Decode(secret.substr(6))) key = std::move(*decoded);
  std::string signed_content;
  signed_content.reserve(id.size() + body.size() + 24);
  signed_content.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  return "v1," + WebhookSignature(key, signed_content);
}

std::string WebhookBody(const WebhookDelivery& d) {
  nlohmann::json data = nlohmann::json::parse(d.payload, nullptr, false);
  if (data.is_discarded()) data = nlohmann::json::object();
  return nlohmann::json{{"type", d.type}, {"timestamp", FormatRfc3339(d.created_at)}, {"data", std::move(data)}}.dump();
}

WebhookSender::WebhookSender(Store& store, const Clock& clock, WebhookSenderOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      http_(OpenAiClient::Options{.max_in_flight = 8}),
      loop_(options.poll, "webhooks: could not send deliveries", [this] { return Round(); }) {}

Result<int> WebhookSender::Round() {
  if (clock_.Now() - last_prune_ >= options_.prune_every) {
    last_prune_ = clock_.Now();
    if (auto pruned = PruneEnded(); !pruned.ok())
      LogWarn("webhooks: could not prune ended deliveries", {{"error", pruned.status().ToString()}});
  }
  return SendDue();
}

WebhookAttempt WebhookSender::Outcome(const WebhookDelivery& d, const HttpReply& reply) const {
  const Millis now = clock_.Now();
  WebhookAttempt a{.delivery_id = d.delivery_id};
  if (reply.status >= 200 && reply.status < 300) {
    a.status = "delivered";
    a.next_attempt_at = d.next_attempt_at;
    a.http_status = reply.status;
    a.delivered_at = now;
    return a;
  }
  if (reply.status != 0) {
    a.http_status = reply.status;
    a.error = "HTTP " + std::to_string(reply.status);
    if (!reply.body.empty()) a.error += ": " + Excerpt(reply.body);
  } else {
    a.error = reply.error.empty() ? "no answer" : reply.error;
  }
  if (std::optional<Millis> delay = WebhookRetryDelay(d.attempts, options_.first_retry)) {
    a.status = "pending";
    a.next_attempt_at = now + *delay;
  } else {
    a.status = "dead";
    a.next_attempt_at = d.next_attempt_at;
  }
  return a;
}

Result<int> WebhookSender::SendDue() {
  auto claimed = store_.ClaimWebhookDeliveries(options_.lease, options_.batch);
  if (!claimed.ok()) return claimed.status();
  // Posted side by side (the client runs up to 8 at once), then recorded together.
  std::vector<std::pair<const WebhookDelivery*, std::future<HttpReply>>> sent;
  std::vector<WebhookAttempt> outcomes;
  for (const WebhookDelivery& d : *claimed) {
    if (d.url.empty()) {
      outcomes.push_back({.delivery_id = d.delivery_id,
                          .status = "dead",
                          .next_attempt_at = d.next_attempt_at,
                          .error = "the endpoint was deleted"});
      continue;
    }
    const std::string body = WebhookBody(d);
    const int64_t timestamp_s = clock_.Now() / 1000;
    HttpCall call;
    call.url = d.url;
    call.body = body;
    call.timeout = options_.timeout;
    call.max_body = kKeptAnswer;
    call.public_only = !options_.allow_internal;
    call.headers = {"webhook-id: " + d.delivery_id, "webhook-timestamp: " + std::to_string(timestamp_s),
                    "webhook-signature: " + StandardWebhookSignature(d.secret, d.delivery_id, timestamp_s, body),
                    "User-Agent: Rekindle-Webhooks/1"};
    sent.emplace_back(&d, http_.Post(std::move(call)));
  }
  for (auto& [d, reply_future] : sent) {
    WebhookAttempt a = Outcome(*d, reply_future.get());
    if (a.status != "delivered")
      LogWarn("webhook not delivered", {{"deliveryId", d->delivery_id},
                                        {"endpointId", d->endpoint_id},
                                        {"attempt", d->attempts},
                                        {"outcome", a.status},
                                        {"error", a.error}});
    outcomes.push_back(std::move(a));
  }
  // Not recorded (the store is away): each lease runs out and another attempt follows.
  if (Status st = store_.FinishWebhookDeliveries(outcomes); !st.ok()) return st;
  return static_cast<int>(outcomes.size());
}

Result<int64_t> WebhookSender::PruneEnded() {
  const Millis before = clock_.Now() - options_.retention;
  int64_t total = 0;
  for (;;) {
    auto deleted = store_.PruneWebhookDeliveries(before, kPruneChunk);
    if (!deleted.ok()) return deleted.status();
    total += *deleted;
    if (*deleted < kPruneChunk) return total;
  }
}

}  // namespace rkd
