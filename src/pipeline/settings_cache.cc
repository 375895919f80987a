#include "pipeline/settings_cache.h"

#include "base/log.h"
#include "pipeline/store_send_gate.h"

namespace rkd {

void SettingsCache::RefreshLocked() {
  const auto now = std::chrono::steady_clock::now();
  if (!stale_ && now - read_at_ < refresh_) return;
  // Tried at most once per period, whatever the outcome: a store that is away is not
  // asked once per batch.
  read_at_ = now;
  stale_ = false;
  auto rows = store_.GetSettings();
  if (!rows.ok()) {
    LogWarn("cannot read the shop's settings; using the last ones", {{"error", rows.status().ToString()}});
    return;
  }
  settings_ = SettingsFromRows(*rows);
}

ShopSettings SettingsCache::Get() {
  std::lock_guard lock(mu_);
  RefreshLocked();
  return settings_.value_or(ShopSettings{});
}

bool SettingsCache::Paused() {
  std::lock_guard lock(mu_);
  RefreshLocked();
  return settings_ && StoreSendGate::EffectiveState(*settings_).paused;
}

void SettingsCache::Invalidate() {
  std::lock_guard lock(mu_);
  stale_ = true;
}

}  // namespace rkd
