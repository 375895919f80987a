// Bus: topics that fan out to durable queues with SQS semantics (docs/design.md, "The
// topic and the queue"): a received message is invisible for the visibility timeout, then
// delivered again; every receive counts; a message received max_receives times and
// still not acked moves to the queue's dead-letter queue with its last error, where it
// stays inspectable until redriven; messages older than the retention are purged.
//
// Contract (checked by bus/bus_contract_test.cc against every implementation). At-least-
// once: consumers must be idempotent. Implementations are thread-safe and may be shared
// by several processes (the embedded bus through its SQLite file).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace rkd {

struct BusOptions {
  std::chrono::seconds visibility_timeout{300};
  int max_receives = 5;
  std::chrono::seconds retention{std::chrono::hours(14 * 24)};
};

struct OutgoingMessage {
  std::string body;
  std::string dedup_id;  // a publish with an id already queued (and not yet acked) is dropped
};

struct Message {
  std::string receipt;  // names this delivery: ack and nack take it; stale after redelivery
  std::string body;
  std::string dedup_id;
  int receive_count = 0;  // 1 on the first delivery
  Millis sent_at = 0;
  std::string last_error;  // set on dead-lettered messages (PeekDeadLetters)
};

struct QueueStats {
  std::string name;
  int64_t depth = 0;      // visible, waiting to be received
  int64_t in_flight = 0;  // received and not acked, or delayed by a nack
  double oldest_age_seconds = 0;
  int64_t dlq_depth = 0;
};

class Bus {
 public:
  virtual ~Bus() = default;

  // Creates `queue` (and its dead-letter queue) and subscribes it to `topic`. Idempotent.
  virtual Status Subscribe(const std::string& topic, const std::string& queue) = 0;
  // Puts every message on every queue subscribed to `topic`, atomically.
  virtual Status Publish(const std::string& topic, const std::vector<OutgoingMessage>& messages) = 0;
  // Up to `max` (1..100) visible messages, waiting up to `wait` for the first one.
  virtual Result<std::vector<Message>> Receive(const std::string& queue, int max, std::chrono::milliseconds wait) = 0;
  // Deletes delivered messages. A stale receipt (the message was delivered again since)
  // is accepted; whether it still deletes the message is the implementation's (as with
  // SQS): consumers are idempotent, and the newer delivery's ack deletes it in any case.
  virtual Status Ack(const std::string& queue, const std::vector<std::string>& receipts) = 0;
  // Restarts the visibility timeout of delivered messages still being worked on (a slow
  // email), so they are not delivered to another consumer meanwhile. Stale receipts are
  // ignored.
  virtual Status Extend(const std::string& queue, const std::vector<std::string>& receipts) = 0;
  // Returns a message to the queue, visible again after `delay`, remembering `error`.
  // When the message has been received max_receives times it goes to the dead-letter
  // queue instead.
  virtual Status Nack(const std::string& queue, const std::string& receipt, std::chrono::milliseconds delay,
                      const std::string& error) = 0;
  // Moves every dead-lettered message of `queue` back to it, with a fresh receive count.
  virtual Result<int64_t> Redrive(const std::string& queue) = 0;
  // Dead-lettered messages, oldest first, for inspection (receipts are empty).
  virtual Result<std::vector<Message>> PeekDeadLetters(const std::string& queue, int max) = 0;
  virtual Result<std::vector<QueueStats>> Stats() = 0;
  // Deletes messages older than the retention. Returns how many.
  virtual Result<int64_t> PurgeExpired() = 0;
};

}  // namespace rkd
