// The stream processor (the seed's Stream Processor Lambda): tails the change stream
// from a durable checkpoint and publishes INSERT and MODIFY changes to the topic. REMOVE
// is not published. (A change that touches only fields the pipeline writes itself is
// never recorded by the store, so there is no feedback loop.) The checkpoint moves after the publish: a crash between
// the two publishes again (harmless: the bus drops a duplicate still queued, and the email processor is idempotent).
// Behind its checkpoint it prunes the stream once a record is older than the retention (a day by default, as DynamoDB
// Streams keeps), so the stream is bounded by its write rate, not its history. One instance per store. Not thread-safe;
// Run on one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "bus/bus.h"
#include "store/store.h"

namespace rkd {

struct StreamOptions {
  Millis retention = kMillisPerDay;               // published records are kept this long
  std::chrono::milliseconds prune_every{60'000};  // how often Run prunes
};

class StreamProcessor {
 public:
  static constexpr const char* kTopic = "user-events";
  static constexpr const char* kCheckpoint = "stream-processor";

  StreamProcessor(Store& store, Bus& bus, StreamOptions options = {}) : store_(store), bus_(bus), options_(options) {}

  // Publishes the changes after the checkpoint, up to `batch` of them, and moves the
  // checkpoint. Returns how many changes were read (0: caught up).
  Result<int> PollOnce(int batch = 500);
  // Polls until `stop`, sleeping `idle` between polls that found nothing.
  void Run(const std::atomic<bool>& stop, std::chrono::milliseconds idle = std::chrono::milliseconds(20));
  // Moves the checkpoint to the end of the stream (skipping the backlog).
  Status SkipToEnd();
  // Deletes the published records older than the retention, in bounded batches (each a
  // short write); returns how many.
  Result<int64_t> Prune();

 private:
  Store& store_;
  Bus& bus_;
  StreamOptions options_;
};

}  // namespace rkd
