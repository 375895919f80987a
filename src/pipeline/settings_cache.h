// SettingsCache: the shop's settings (domain/shop_settings.h) as the email workers use
// them on every batch (the sender, reply-to, postal address and public URL of the emails
// they write; whether sending is paused), read from the store at most once per `refresh`
// so that a batch costs no extra read. A change made in another process (a pause through
// the API of another instance) is seen within `refresh`; one made in this process is
// seen at once (Invalidate). Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "domain/shop_settings.h"
#include "store/store.h"

namespace rkd {

class SettingsCache {
 public:
  explicit SettingsCache(Store& store, std::chrono::milliseconds refresh = std::chrono::seconds(1))
      : store_(store), refresh_(refresh) {}

  // The settings as of at most `refresh` ago. A failed read keeps the last ones (empty
  // settings before the first read that worked).
  ShopSettings Get();
  // Whether sending is paused (StoreSendGate::EffectiveState), as of at most `refresh`
  // ago; false while the settings could never be read (the send gate still decides).
  bool Paused();
  // The next Get reads the store.
  void Invalidate();

 private:
  // Reads the store when the cached settings are older than `refresh_`; mu_ held.
  void RefreshLocked();

  Store& store_;
  const std::chrono::milliseconds refresh_;
  std::mutex mu_;
  std::optional<ShopSettings> settings_;
  std::chrono::steady_clock::time_point read_at_{};
  bool stale_ = true;
};

}  // namespace rkd
