#include "pipeline/sweeper.h"

#include <thread>

#include "base/log.h"
#include "pipeline/stream_processor.h"
#include "pipeline/user_event.h"

namespace rkd {

Result<SweepResult> Sweeper::Run() {
  std::lock_guard lock(running_);
  const auto started = std::chrono::steady_clock::now();
  const Millis now = clock_.Now();
  const std::string day = FormatRfc3339(now).substr(0, 10);
  SweepResult result;
  UserQuery q;
  q.sort = UserSort::kCreatedAt;
  q.descending = false;
  q.limit = 500;
  for (;;) {
    auto page = store_.ListUsers(q);
    if (!page.ok()) return page.status();
    std::vector<std::string> ids;
    for (const User& u : page->items) ids.push_back(u.user_id);
    auto refreshed = store_.RefreshScores(ids);
    if (!refreshed.ok()) return refreshed.status();
    std::vector<OutgoingMessage> events;
    for (const ScoreRefresh& r : *refreshed) {
      ++result.scored;
      if (r.user.engagement_score != r.old_score) ++result.changed;
      if (!IsAtRisk(rules_, r.user.engagement_score)) continue;
      if (r.user.last_email_date && now - *r.user.last_email_date < cooldown_) continue;
      UserEvent e{"sweep-" + day + "-" + r.user.user_id, "SWEEP", 0, r.user.user_id, std::nullopt, r.user, now};
      events.push_back({EncodeEvent(e), e.event_id});
    }
    RKD_RETURN_IF_ERROR(bus_.Publish(StreamProcessor::kTopic, events));
    result.published += static_cast<int64_t>(events.size());
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  LogInfo("sweep finished", {{"scored", result.scored},
                             {"changed", result.changed},
                             {"published", result.published},
                             {"seconds", result.seconds}});
  return result;
}

void Sweeper::RunPeriodically(const std::atomic<bool>& stop, std::chrono::seconds interval) {
  auto next = std::chrono::steady_clock::now() + interval;
  while (!stop.load()) {
    if (std::chrono::steady_clock::now() >= next) {
      auto r = Run();
      if (!r.ok()) LogError("sweep failed", {{"error", r.status().ToString()}});
      next = std::chrono::steady_clock::now() + interval;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace rkd
