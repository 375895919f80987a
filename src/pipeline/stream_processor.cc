#include "pipeline/stream_processor.h"

#include <thread>

#include "base/log.h"
#include "pipeline/user_event.h"

namespace rkd {

Result<int> StreamProcessor::PollOnce(int batch) {
  auto from = store_.GetCheckpoint(kCheckpoint);
  if (!from.ok()) return from.status();
  auto changes = store_.ReadChanges(*from, batch);
  if (!changes.ok()) return changes.status();
  if (changes->empty()) return 0;
  std::vector<OutgoingMessage> out;
  for (const UserChange& c : *changes) {
    if (c.op == ChangeOp::kRemove) continue;
    UserEvent e = EventFromChange(c);
    out.push_back({EncodeEvent(e), e.event_id});
  }
  RKD_RETURN_IF_ERROR(bus_.Publish(kTopic, out));
  RKD_RETURN_IF_ERROR(store_.SetCheckpoint(kCheckpoint, changes->back().seq));
  return static_cast<int>(changes->size());
}

Result<int64_t> StreamProcessor::Prune() {
  auto checkpoint = store_.GetCheckpoint(kCheckpoint);
  if (!checkpoint.ok()) return checkpoint.status();
  constexpr int kBatch = 5000;  // a short write each, so writers barely wait
  int64_t total = 0;
  for (;;) {
    auto pruned = store_.PruneChanges(*checkpoint, options_.retention, kBatch);
    if (!pruned.ok()) return pruned.status();
    total += *pruned;
    if (*pruned < kBatch) return total;
  }
}

void StreamProcessor::Run(const std::atomic<bool>& stop, std::chrono::milliseconds idle) {
  LogInfo("stream processor started", {{"topic", kTopic}});
  auto next_prune = std::chrono::steady_clock::now();
  while (!stop.load()) {
    if (std::chrono::steady_clock::now() >= next_prune) {
      next_prune = std::chrono::steady_clock::now() + options_.prune_every;
      auto pruned = Prune();
      if (!pruned.ok())
        LogError("pruning the change stream failed", {{"error", pruned.status().ToString()}});
      else if (*pruned > 0)
        LogInfo("pruned the change stream", {{"records", *pruned}});
    }
    auto n = PollOnce();
    if (!n.ok()) {
      LogError("stream processor poll failed", {{"error", n.status().ToString()}});
      std::this_thread::sleep_for(std::chrono::seconds(1));
    } else if (*n == 0) {
      std::this_thread::sleep_for(idle);
    }
  }
  LogInfo("stream processor stopped");
}

Status StreamProcessor::SkipToEnd() {
  auto last = store_.LatestChangeSeq();
  if (!last.ok()) return last.status();
  return store_.SetCheckpoint(kCheckpoint, *last);
}

}  // namespace rkd
