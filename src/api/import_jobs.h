// Imports started through the API (POST /api/imports, issue 10): each runs on a thread
// of its own, one at a time per process, and records where it stands in the store
// (Store::SaveImportJob) as it goes, so GET /api/imports/:id answers from any process.
// The upload is spooled to the data folder first and deleted once the import ends.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "base/status.h"
#include "base/time.h"
#include "import/importer.h"
#include "pipeline/sweeper.h"
#include "store/store.h"

namespace rkd {

class ImportJobs {
 public:
  // `sweeper`, when not null, runs after an import that asked for it (sweep=true).
  ImportJobs(Store& store, const Clock& clock, std::string spool_dir, Sweeper* sweeper)
      : store_(store), clock_(clock), spool_dir_(std::move(spool_dir)), sweeper_(sweeper) {}
  ~ImportJobs();  // waits for a running import
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  // Starts importing `body` and returns the job's JSON as first stored; FailedPrecondition
  // while another import runs in this process.
  Result<nlohmann::json> Start(std::string body, const ImportOptions& options, bool sweep, const std::string& format,
                               const std::string& created_by);

 private:
  void Run(ImportJob job, nlohmann::json detail, std::string body, ImportOptions options, bool sweep);

  Store& store_;
  const Clock& clock_;
  std::string spool_dir_;
  Sweeper* sweeper_;
  std::mutex mu_;
  std::thread worker_;
  bool running_ = false;
};

// The job as GET /api/imports/:id shows it: its stored detail with id, status and times.
nlohmann::json ImportJobJson(const ImportJob& job, bool with_rejects);

}  // namespace rkd
