// Runs the pipeline's long-lived parts on background threads of this process until
// Stop(): the stream processor (only while this process holds the stream's leader lock:
// one leader among every process on the store, whatever their subcommand), the email
// processor's workers, and the periodic sweep. Stop() lets in-flight batches finish,
// then joins. Start and Stop are called from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "leader/leader_lock.h"
#include "pipeline/email_processor.h"
#include "pipeline/stream_processor.h"
#include "pipeline/sweeper.h"

namespace rkd {

// What to run; each part is optional (null or zero: not run here). Not owned, except
// the lock: the parts must outlive the threads.
struct PipelineParts {
  StreamProcessor* stream = nullptr;
  std::unique_ptr<LeaderLock> stream_lock;  // required with `stream`
  EmailProcessor* processor = nullptr;
  int workers = 0;  // threads running processor->RunWorker
  Sweeper* sweeper = nullptr;
  std::chrono::seconds sweep_interval{86400};
  std::chrono::seconds due_scan_interval{60};  // the sweeper's due scan (0: none)
  // The scheduled model refit (issue 11): runs on its own thread until stop; null: none.
  std::function<void(const std::atomic<bool>& stop)> model_refit;
};

class PipelineThreads {
 public:
  PipelineThreads() = default;
  PipelineThreads(const PipelineThreads&) = delete;
  PipelineThreads& operator=(const PipelineThreads&) = delete;
  ~PipelineThreads();

  void Start(PipelineParts parts);
  void Stop();

 private:
  PipelineParts parts_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace rkd
