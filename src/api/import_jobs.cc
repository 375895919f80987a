#include "api/import_jobs.h"

#include <chrono>
#include <condition_variable>
#include <optional>
#include <sstream>

#include "base/ids.h"
#include "base/log.h"

namespace rkd {
namespace {

using nlohmann::json;

json FiguresJson(const ImportFigures& f) {
  return {{"phase", f.phase},
          {"rows", f.rows},
          {"bytesRead", f.bytes_read},
          {"totalBytes", f.total_bytes},
          {"imported", f.imported},
          {"updated", f.updated},
          {"unchanged", f.unchanged},
          {"rejected", f.rejected},
          {"clientsCreated", f.clients_created},
          {"atRisk", f.at_risk},
          {"seconds", f.seconds}};
}

json RejectsJson(const std::vector<RowError>& rejects) {
  json out = json::array();
  for (const RowError& e : rejects) out.push_back({{"line", e.line}, {"field", e.field}, {"reason", e.reason}});
  return out;
}

}  // namespace

json ImportJobJson(const ImportJob& job, bool with_rejects) {
  json out = json::parse(job.detail, nullptr, false);
  if (!out.is_object()) out = json::object();
  if (!with_rejects) out.erase("rejects");
  out["id"] = job.import_id;
  out["status"] = job.status;
  out["createdBy"] = job.created_by;
  out["startedAt"] = FormatRfc3339(job.started_at);
  out["finishedAt"] = job.finished_at ? json(FormatRfc3339(*job.finished_at)) : json(nullptr);
  return out;
}

ImportJobs::~ImportJobs() {
  std::lock_guard<std::mutex> lock(mu_);
  if (worker_.joinable()) worker_.join();
}

Result<json> ImportJobs::Start(std::string body, const ImportOptions& options, bool sweep, const std::string& format,
                               const std::string& created_by) {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_) return Status::FailedPrecondition("an import is running; start the next once it is done", "import");
  if (worker_.joinable()) worker_.join();
  ImportJob job{NewUuid(), "running", "", created_by, clock_.Now(), std::nullopt};
  ImportFigures start;
  start.phase = "validating";
  start.total_bytes = static_cast<int64_t>(body.size());
  json detail = FiguresJson(start);
  detail["kind"] = options.kind == ImportKind::kOrders ? "orders" : "clients";
  detail["format"] = format;
  detail["dryRun"] = options.dry_run;
  detail["skipInvalid"] = options.skip_invalid;
  detail["sweep"] = sweep;
  detail["error"] = nullptr;
  detail["rejects"] = json::array();
  job.detail = detail.dump();
  RKD_RETURN_IF_ERROR(store_.SaveImportJob(job));
  running_ = true;
  json shown = ImportJobJson(job, true);
  worker_ = std::thread(&ImportJobs::Run, this, job, std::move(detail), std::move(body), options, sweep);
  return shown;
}

void ImportJobs::Run(ImportJob job, json detail, std::string body, ImportOptions options, bool sweep) {
  const auto size = static_cast<int64_t>(body.size());
  std::istringstream in(std::move(body));
  // The importer tells its figures from inside its own transactions (a dry run is one),
  // where a write of this job would wait for the very transaction it is in: the
  // callback only keeps them, and a reporter thread of its own saves them.
  std::mutex figures_mu;
  std::condition_variable figures_cv;
  std::optional<ImportFigures> latest;
  bool done = false;
  std::thread reporter([&] {
    std::unique_lock lock(figures_mu);
    while (!done) {
      figures_cv.wait_for(lock, std::chrono::milliseconds(500));
      if (!latest || done) continue;
      ImportJob progress = job;
      json d = detail;
      d.update(FiguresJson(*latest));
      progress.detail = d.dump();
      latest.reset();
      lock.unlock();
      if (Status st = store_.SaveImportJob(progress); !st.ok())
        LogWarn("cannot record an import's progress", {{"import", job.import_id}, {"error", st.message()}});
      lock.lock();
    }
  });
  ImportCallbacks callbacks;
  callbacks.on_progress = [&](const ImportFigures& f) {
    std::lock_guard lock(figures_mu);
    latest = f;
  };
  auto summary = RunImport(store_, clock_, in, size, spool_dir_, options, callbacks);
  {
    std::lock_guard lock(figures_mu);
    done = true;
  }
  figures_cv.notify_all();
  reporter.join();  // before the final state, so a late progress write cannot follow it
  in.str({});
  if (summary.ok()) {
    detail.update(FiguresJson(summary->figures));
    detail["rejects"] = RejectsJson(summary->rejects);
    job.status = "done";
    if (sweep && !options.dry_run && sweeper_) {
      auto swept = sweeper_->Run();
      detail["swept"] = swept.ok() ? json(swept->published) : json(nullptr);
    }
  } else {
    detail["error"] = summary.status().message();
    detail["errorField"] = summary.status().field();
    detail["phase"] = "done";
    job.status = "failed";
  }
  job.finished_at = clock_.Now();
  job.detail = detail.dump();
  // The final state must land: retried briefly if the store is busy.
  for (int attempt = 0; attempt < 20; ++attempt) {
    Status st = store_.SaveImportJob(job);
    if (st.ok()) break;
    LogWarn("cannot record an import's end", {{"import", job.import_id}, {"error", st.message()}});
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  json logged = detail;
  logged.erase("rejects");
  LogInfo("import finished", {{"import", job.import_id}, {"status", job.status}, {"detail", logged}});
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
}

}  // namespace rkd
