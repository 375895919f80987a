#include "pipeline/message_cache.h"

#include "base/log.h"

namespace rkd {

Result<std::shared_ptr<const MessageCache::Messages>> MessageCache::Get() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (stale_ || now - read_at_ >= refresh_) {
    // Tried at most once per period, whatever the outcome.
    read_at_ = now;
    stale_ = false;
    auto list = store_.ListMessages();
    if (list.ok()) {
      auto fresh = std::make_shared<Messages>();
      for (MessageVersion& m : *list) fresh->emplace(m.name, std::move(m));
      messages_ = std::move(fresh);
    } else if (messages_) {
      LogWarn("cannot read the stored messages; using the last ones", {{"error", list.status().ToString()}});
    } else {
      stale_ = true;
      return list.status();
    }
  }
  return messages_;
}

void MessageCache::Invalidate() {
  std::lock_guard lock(mu_);
  stale_ = true;
}

}  // namespace rkd
