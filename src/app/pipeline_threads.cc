#include "app/pipeline_threads.h"

#include "leader/leader_election.h"

namespace rkd {

void PipelineThreads::Start(PipelineParts parts) {
  parts_ = std::move(parts);
  if (parts_.stream && parts_.stream_lock)
    threads_.emplace_back([this] {
      RunAsLeader(*parts_.stream_lock, stop_, {.role = "stream"},
                  [this](const std::atomic<bool>& step_down) { parts_.stream->Run(step_down); });
    });
  if (parts_.processor)
    for (int i = 0; i < parts_.workers; ++i)
      threads_.emplace_back([this, i] { parts_.processor->RunWorker(stop_, i); });
  if (parts_.sweeper) threads_.emplace_back([this] { parts_.sweeper->RunPeriodically(stop_, parts_.sweep_interval); });
  if (parts_.sweeper && parts_.due_scan_interval.count() > 0)
    threads_.emplace_back([this] { parts_.sweeper->RunDueScanPeriodically(stop_, parts_.due_scan_interval); });
  if (parts_.model_refit) threads_.emplace_back([this] { parts_.model_refit(stop_); });
}

void PipelineThreads::Stop() {
  stop_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
}

PipelineThreads::~PipelineThreads() {
  if (!threads_.empty()) Stop();
}

}  // namespace rkd
