// The embedded Bus: SQS semantics on its own SQLite file (by default beside the store's,
// e.g. data/rekindle-bus.db), so queue traffic never waits behind the store's writes and
// several processes on one machine can share it. Long polling wakes at once for messages
// published in this process and within 50 ms for those from other processes.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "bus/bus.h"
#include "db/sqlite/sqlite_database.h"

namespace rkd {

class EmbeddedBus final : public Bus {
 public:
  // `clock` must outlive the bus.
  static Result<std::unique_ptr<EmbeddedBus>> Open(const std::string& path, const BusOptions& options,
                                                   const Clock* clock);

  Status Subscribe(const std::string& topic, const std::string& queue) override;
  Status Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) override;
  Result<std::vector<Message>> Receive(const std::string& queue, int max, std::chrono::milliseconds wait) override;
  Status Ack(const std::string& queue, const std::vector<std::string>& receipts) override;
  Status Extend(const std::string& queue, const std::vector<std::string>& receipts) override;
  Status Nack(const std::string& queue, const std::string& receipt, std::chrono::milliseconds delay,
              const std::string& error) override;
  Result<int64_t> Redrive(const std::string& queue) override;
  Result<std::vector<Message>> PeekDeadLetters(const std::string& queue, int max) override;
  Result<std::vector<QueueStats>> Stats() override;
  Result<int64_t> PurgeExpired() override;

 private:
  EmbeddedBus(std::unique_ptr<SqliteDatabase> db, const BusOptions& options, const Clock* clock)
      : db_(std::move(db)), options_(options), clock_(clock) {}
  Result<std::vector<Message>> TryReceive(const std::string& queue, int max);
  void Wake();

  std::unique_ptr<SqliteDatabase> db_;
  BusOptions options_;
  const Clock* clock_;
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  uint64_t generation_ = 0;  // bumped whenever a message may have become visible
};

}  // namespace rkd
