// MessageCache: the messages stored in the dashboard (issue 12) as the email workers use
// them, read from the store at most once per `refresh` so that a batch costs no extra
// read. A save in another process is seen within `refresh`, one in this process at once
// (Invalidate). Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "domain/message.h"
#include "store/store.h"

namespace rkd {

class MessageCache {
 public:
  using Messages = std::map<std::string, MessageVersion>;  // the newest version of each stored name

  explicit MessageCache(Store& store, std::chrono::milliseconds refresh = std::chrono::seconds(1))
      : store_(store), refresh_(refresh) {}

  // The stored messages as of at most `refresh` ago. A failed read keeps the last ones;
  // before a first read that worked it is the store's error: an email is not written
  // from the built-in templates when the marketer's own may exist.
  Result<std::shared_ptr<const Messages>> Get();
  void Invalidate();

 private:
  Store& store_;
  const std::chrono::milliseconds refresh_;
  std::mutex mu_;
  std::shared_ptr<const Messages> messages_;
  std::chrono::steady_clock::time_point read_at_{};
  bool stale_ = true;
};

}  // namespace rkd
