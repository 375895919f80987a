#include "pipeline/store_send_gate.h"

#include <algorithm>

#include "base/time_zone.h"

namespace rkd {
namespace {

constexpr Millis kMillisPerHour = 3'600'000;
// Periods older than this are deleted as new ones open: the counts shown are today's and
// this hour's, and a day in any zone ends within two UTC days of its start.
constexpr Millis kPeriodRetention = 3 * kMillisPerDay;

TimeZone ShopZone(const ShopSettings& s) {
  if (auto z = TimeZone::Find(s.time_zone)) return *z;
  return TimeZone::Utc();
}

}  // namespace

SendingState StoreSendGate::EffectiveState(const ShopSettings& settings) {
  SendingState st = settings.sending.value_or(SendingState{});
  if (!st.paused && !MissingForSending(settings).empty()) {
    st.paused = true;
    st.reason = "setup";
  }
  return st;
}

std::vector<SendPeriod> StoreSendGate::Periods(const ShopSettings& settings, Millis now) {
  return {SendPeriod{"day:" + ShopZone(settings).LocalDate(now), now, settings.daily_cap},
          SendPeriod{"hour:" + std::to_string(now / kMillisPerHour), now, settings.hourly_rate}};
}

GateAnswer StoreSendGate::Decide(const ShopSettings& settings, const SendingState& state, const User& user,
                                 Millis now) {
  if (state.paused) return {GateVerdict::kPaused, 0};
  if (settings.quiet_hours) {
    // The client's own zone when they have a known one, else the shop's.
    std::optional<TimeZone> zone = user.time_zone.empty() ? std::nullopt : TimeZone::Find(user.time_zone);
    if (!zone) zone = ShopZone(settings);
    if (settings.quiet_hours->Contains(zone->MinuteOfDay(now)))
      return {GateVerdict::kQuietHours, zone->NextLocalTime(now, settings.quiet_hours->end)};
  }
  return {GateVerdict::kSend, 0};
}

Result<std::vector<GateAnswer>> StoreSendGate::Answer(const std::vector<const User*>& users, Millis now, bool take) {
  std::vector<GateAnswer> out(users.size());
  if (users.empty()) return out;
  auto rows = store_.GetSettings();
  if (!rows.ok()) return rows.status();
  const ShopSettings settings = SettingsFromRows(*rows);
  const SendingState state = EffectiveState(settings);
  int64_t wanted = 0;
  for (size_t k = 0; k < users.size(); ++k) {
    out[k] = Decide(settings, state, *users[k], now);
    if (out[k].verdict == GateVerdict::kSend) ++wanted;
  }
  if (wanted == 0) return out;
  const std::vector<SendPeriod> periods = Periods(settings, now);
  int64_t granted = wanted;
  std::vector<int64_t> sent;
  if (take) {
    auto budget = store_.TakeSendBudget(periods, wanted, now - kPeriodRetention);
    if (!budget.ok()) return budget.status();
    granted = budget->granted;
    sent = budget->sent;
  } else if (settings.daily_cap || settings.hourly_rate) {
    std::vector<std::string> keys;
    for (const SendPeriod& p : periods) keys.push_back(p.key);
    auto counts = store_.SendCounts(keys);
    if (!counts.ok()) return counts.status();
    sent = *counts;
    for (size_t i = 0; i < periods.size(); ++i)
      if (periods[i].cap) granted = std::min(granted, std::max<int64_t>(*periods[i].cap - sent[i], 0));
    for (int64_t& s : sent) s += granted;  // as Admit would leave them
  }
  if (granted >= wanted) return out;
  // Turned away by a cap: the day's when it is used up (until the shop's midnight), else
  // the hour's.
  const bool day_full = settings.daily_cap && !sent.empty() && sent[0] >= *settings.daily_cap;
  const Millis not_before =
      day_full ? ShopZone(settings).NextLocalTime(now, 0) : (now / kMillisPerHour + 1) * kMillisPerHour;
  int64_t admitted = 0;
  for (GateAnswer& a : out) {
    if (a.verdict != GateVerdict::kSend) continue;
    if (admitted < granted)
      ++admitted;
    else
      a = {GateVerdict::kCapped, not_before};
  }
  return out;
}

Result<std::vector<GateAnswer>> StoreSendGate::Admit(const std::vector<const User*>& users, Millis now) {
  return Answer(users, now, /*take=*/true);
}

Result<std::vector<GateAnswer>> StoreSendGate::Preview(const std::vector<const User*>& users, Millis now) {
  return Answer(users, now, /*take=*/false);
}

Result<SendingStatus> StoreSendGate::Current(Millis now) {
  auto rows = store_.GetSettings();
  if (!rows.ok()) return rows.status();
  SendingStatus out;
  out.settings = SettingsFromRows(*rows);
  out.state = EffectiveState(out.settings);
  std::vector<std::string> keys;
  for (const SendPeriod& p : Periods(out.settings, now)) keys.push_back(p.key);
  auto counts = store_.SendCounts(keys);
  if (!counts.ok()) return counts.status();
  out.sent_today = (*counts)[0];
  out.sent_this_hour = (*counts)[1];
  return out;
}

}  // namespace rkd
