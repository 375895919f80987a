#include "pipeline/sweeper.h"

#include <algorithm>
#include <limits>
#include <map>
#include <thread>
#include <tuple>
#include <utility>

#include "base/log.h"
#include "domain/shop_settings.h"
#include "metrics/pipeline_metrics.h"
#include "pipeline/churn_views.h"
#include "pipeline/store_send_gate.h"
#include "pipeline/stream_processor.h"
#include "pipeline/user_event.h"

namespace rkd {
namespace {

constexpr int kPageSize = 5000;  // users read, scored and published per step

}  // namespace

Result<SweepResult> Sweeper::Run() {
  std::lock_guard lock(running_);
  if (!exclusive_) return Record(SweepAll());
  auto mine = exclusive_->TryAcquire();
  if (!mine.ok()) return Record(mine.status());
  if (!*mine) {
    LogInfo("sweep skipped: another sweep is running on this database");
    return Record(SweepResult{.skipped = true});
  }
  auto result = SweepAll();
  exclusive_->Release();
  return Record(std::move(result));
}

Result<SweepResult> Sweeper::Record(Result<SweepResult> result) {
  if (!metrics_) return result;
  if (!result.ok())
    metrics_->Failed();
  else if (result->skipped)
    metrics_->Skipped();
  else
    metrics_->Finished(result->seconds, static_cast<double>(clock_.Now()) / 1000.0);
  return result;
}

namespace {

// How many of the ranked clients a sweep under a cap publishes: what the daily cap leaves
// of today, and at most a day of the hourly rate. The rest are not queued: queued behind
// a used-up cap they would wait as deferred steps and go out in id order the next day;
// left out, the next day's sweep ranks them again, so each day's budget is spent on the
// most value at stake.
Result<int64_t> CapBudget(Store& store, const ShopSettings& settings, Millis now) {
  int64_t budget = std::numeric_limits<int64_t>::max();
  if (settings.hourly_rate) budget = *settings.hourly_rate * 24;
  if (settings.daily_cap) {
    const std::vector<SendPeriod> periods = StoreSendGate::Periods(settings, now);  // today's first
    auto counts = store.SendCounts({periods.front().key});
    if (!counts.ok()) return counts.status();
    budget = std::min(budget, std::max<int64_t>(0, *settings.daily_cap - counts->front()));
  }
  return budget;
}

}  // namespace

Result<SweepResult> Sweeper::SweepAll() {
  const auto started = std::chrono::steady_clock::now();
  const Millis now = clock_.Now();
  const std::string day = FormatRfc3339(now).substr(0, 10);
  LogInfo("sweep started", {{"day", day}});
  SweepResult result;
  // Each page's events go out as one batch; under churn or both targeting while a send
  // cap (daily or hourly) limits what goes out, the chosen are collected (about 40 bytes
  // each) and the most value at stake among them, as many as the cap lets out
  // (CapBudget), are published, highest first. Without a cap every chosen client is
  // emailed now whatever the order, and ranking would only cost. The settings and the
  // fit the churn rule reads are read once for the sweep (a refit meanwhile: its clients
  // wait for the next sweep).
  bool ranked = false;
  int64_t budget = 0;
  std::optional<ModelFitRecord> fit;
  if (targeting_.rule != TargetingRule::kScore) {
    auto rows = store_.GetSettings();
    if (!rows.ok()) return rows.status();
    const ShopSettings settings = SettingsFromRows(*rows);
    ranked = settings.daily_cap.has_value() || settings.hourly_rate.has_value();
    if (ranked) {
      auto left = CapBudget(store_, settings, now);
      if (!left.ok()) return left.status();
      budget = *left;
    }
    auto latest = store_.LatestModelFit();
    if (!latest.ok()) return latest.status();
    fit = std::move(latest).value();
  }
  struct Chosen {
    double stake, churn;
    std::string user_id;
  };
  std::vector<Chosen> chosen;
  auto event_of = [&](const std::string& user_id) -> OutgoingMessage {
    // The processor reads the user's current state; the event carries no image.
    UserEvent e{"sweep-" + day + "-" + user_id, "SWEEP", 0, user_id, std::nullopt, std::nullopt, now};
    return {EncodeEvent(e), e.event_id};
  };
  // Large pages in user id order (the primary key: no sort, no second index), each
  // scored in memory.
  std::string after;
  for (;;) {
    auto page = store_.ScanUsers(after, kPageSize);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    const std::string page_after = std::exchange(after, page->back().user_id);
    // Only users whose score moved need a write (a short transaction per page); the
    // rest are judged from the page as read.
    std::vector<std::string> moved;
    for (const User& u : *page)
      if (ComputeScore(rules_, u, now) != u.engagement_score) moved.push_back(u.user_id);
    std::map<std::string, User> refreshed_by_id;
    if (!moved.empty()) {
      auto refreshed = store_.RefreshScores(moved);
      if (!refreshed.ok()) return refreshed.status();
      for (ScoreRefresh& r : *refreshed) refreshed_by_id.emplace(r.user.user_id, std::move(r.user));
      result.changed += static_cast<int64_t>(refreshed->size());
    }
    std::vector<const User*> users;
    for (const User& listed : *page) {
      auto it = refreshed_by_id.find(listed.user_id);
      users.push_back(it == refreshed_by_id.end() ? &listed : &it->second);
    }
    auto churn = ChurnViewsOfPage(store_, fit ? &*fit : nullptr, page_after, users);
    if (!churn.ok()) return churn.status();
    std::vector<OutgoingMessage> events;
    for (size_t k = 0; k < users.size(); ++k) {
      const User* u = users[k];
      ++result.scored;
      const std::optional<ChurnView>& view = (*churn)[k];
      if (ChosenBy(targeting_, rules_, u->engagement_score, view).empty()) continue;
      if (u->last_email_date && now - *u->last_email_date < cooldown_) continue;
      if (ranked)
        chosen.push_back({view ? view->value_at_stake : 0, view ? view->churn_probability : 0, u->user_id});
      else
        events.push_back(event_of(u->user_id));
    }
    if (!events.empty()) RKD_RETURN_IF_ERROR(bus_.Publish(StreamProcessor::kTopic, events));
    result.published += static_cast<int64_t>(events.size());
    if (static_cast<int>(page->size()) < kPageSize) break;
  }
  if (ranked) {
    const size_t sent = static_cast<size_t>(std::min<int64_t>(budget, static_cast<int64_t>(chosen.size())));
    std::partial_sort(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(sent), chosen.end(),
                      [](const Chosen& a, const Chosen& b) {
                        return std::tie(b.stake, b.churn, a.user_id) < std::tie(a.stake, a.churn, b.user_id);
                      });
    result.held_back = static_cast<int64_t>(chosen.size() - sent);
    chosen.resize(sent);
    for (size_t from = 0; from < chosen.size(); from += kPageSize) {
      std::vector<OutgoingMessage> events;
      for (size_t k = from; k < std::min(chosen.size(), from + kPageSize); ++k)
        events.push_back(event_of(chosen[k].user_id));
      RKD_RETURN_IF_ERROR(bus_.Publish(StreamProcessor::kTopic, events));
      result.published += static_cast<int64_t>(events.size());
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  LogInfo("sweep finished", {{"scored", result.scored},
                             {"changed", result.changed},
                             {"published", result.published},
                             {"heldBack", result.held_back},
                             {"seconds", result.seconds}});
  return result;
}

void Sweeper::RunPeriodically(const std::atomic<bool>& stop, std::chrono::seconds interval,
                              std::chrono::seconds retry) {
  auto next = std::chrono::steady_clock::now() + interval;
  while (!stop.load()) {
    if (std::chrono::steady_clock::now() >= next) {
      auto r = Run();
      if (!r.ok()) LogError("sweep failed; trying again", {{"error", r.status().ToString()}});
      next = std::chrono::steady_clock::now() + (r.ok() ? interval : std::min(interval, retry));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<DueScanResult> Sweeper::ScanDue() {
  std::lock_guard lock(scanning_);
  const auto started = std::chrono::steady_clock::now();
  const Millis now = clock_.Now();
  DueScanResult result;
  Millis after_due = 0;
  std::string after_id;
  for (;;) {
    auto page = store_.DueEpisodes(now, after_due, after_id, kPageSize);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    after_due = page->back().next_due_at;
    after_id = page->back().episode_id;
    std::vector<OutgoingMessage> events;
    for (const DueEpisode& d : *page) {
      // The id names the attempt: the step and when it fell due. A scan while the last
      // one's event still waits on the queue publishes the same id (dropped: one event
      // per due step, however long the workers are paused); an attempt that left the
      // step due moved next_due_at (the gate's deferral), so the next one is new.
      UserEvent e{"due-" + d.episode_id + "-" + std::to_string(d.step + 1) + "-" + std::to_string(d.next_due_at),
                  "DUE",
                  0,
                  d.user_id,
                  std::nullopt,
                  std::nullopt,
                  now};
      events.push_back({EncodeEvent(e), e.event_id});
    }
    RKD_RETURN_IF_ERROR(bus_.Publish(StreamProcessor::kTopic, events));
    result.due += static_cast<int64_t>(events.size());
    if (static_cast<int>(page->size()) < kPageSize) break;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (result.due > 0) LogInfo("due scan", {{"due", result.due}, {"seconds", result.seconds}});
  return result;
}

void Sweeper::RunDueScanPeriodically(const std::atomic<bool>& stop, std::chrono::seconds interval) {
  auto next = std::chrono::steady_clock::now() + interval;
  while (!stop.load()) {
    if (std::chrono::steady_clock::now() >= next) {
      if (auto r = ScanDue(); !r.ok()) LogError("due scan failed", {{"error", r.status().ToString()}});
      next = std::chrono::steady_clock::now() + interval;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace rkd
