#include "api/delivery_alerts.h"

namespace rkd {
namespace {

nlohmann::json OrNull(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

}  // namespace

std::vector<std::string> AlertSnapshot::Reasons(Millis window, bool detailed) const {
  std::vector<std::string> out;
  if (failures.count > 0)
    out.push_back(std::to_string(failures.count) + (failures.count == 1 ? " delivery" : " deliveries") +
                  " failed in the last " + std::to_string(window / 60'000) + " minutes" +
                  (detailed ? "; the last at " + FormatRfc3339(failures.at) + ": " + failures.error : ""));
  for (const auto& [queue, n] : dead_letter_queues)
    out.push_back(std::to_string(n) + (n == 1 ? " dead letter waits" : " dead letters wait") + " in " + queue +
                  (detailed ? " (GET /api/queues/" + queue + "/dead-letters)" : ""));
  return out;
}

AlertSnapshot DeliveryAlerts::Read() {
  AlertSnapshot s;
  s.checked_at = clock_.Now();
  auto failures = store_.RecentDeliveryFailures(s.checked_at - options_.window);
  if (failures.ok())
    s.failures = std::move(failures).value();
  else
    s.store = failures.status();
  if (!bus_) return s;
  auto stats = bus_->Stats();
  if (!stats.ok()) {
    s.bus = stats.status();
    return s;
  }
  for (const QueueStats& q : *stats) {
    if (q.dlq_depth <= 0) continue;
    s.dead_letters += q.dlq_depth;
    s.dead_letter_queues.emplace_back(q.name, q.dlq_depth);
  }
  // Without a failed email to show, the banner names a dead letter's error (one read).
  if (s.failures.count == 0 && !s.dead_letter_queues.empty()) {
    s.dead_letter_queue = s.dead_letter_queues.front().first;
    auto peeked = bus_->PeekDeadLetters(s.dead_letter_queue, 1);
    if (peeked.ok() && !peeked->empty()) {
      s.dead_letter_error = peeked->front().last_error;
      s.dead_letter_at = peeked->front().sent_at;
    }
  }
  return s;
}

AlertSnapshot DeliveryAlerts::Current() {
  std::lock_guard lock(mu_);
  if (!have_last_ || clock_.Now() - last_.checked_at >= options_.max_age || clock_.Now() < last_.checked_at) {
    last_ = Read();
    have_last_ = true;
  }
  return last_;
}

nlohmann::json DeliveryAlerts::ToJson(const AlertSnapshot& s) const {
  nlohmann::json queues = nlohmann::json::array();
  for (const auto& [name, n] : s.dead_letter_queues) queues.push_back({{"name", name}, {"deadLetters", n}});
  const bool from_email = s.failures.count > 0;
  const std::string last_error = from_email ? s.failures.error : s.dead_letter_error;
  const Millis at = from_email ? s.failures.at : s.dead_letter_at;
  const bool any = from_email || !s.dead_letter_queue.empty();
  return {{"status", s.degraded() ? "degraded" : "ok"},
          {"reasons", s.Reasons(options_.window, /*detailed=*/true)},
          {"windowMinutes", options_.window / 60'000},
          {"failedDeliveries", s.failures.count},
          {"deadLetters", s.dead_letters},
          {"deadLetterQueues", queues},
          {"lastError", any ? nlohmann::json(last_error) : nlohmann::json(nullptr)},
          {"at", any && at > 0 ? nlohmann::json(FormatRfc3339(at)) : nlohmann::json(nullptr)},
          {"emailId", OrNull(s.failures.email_id)},
          {"userId", OrNull(s.failures.user_id)},
          {"queue", from_email ? nlohmann::json(nullptr) : OrNull(s.dead_letter_queue)},
          {"checkedAt", FormatRfc3339(s.checked_at)}};
}

}  // namespace rkd
