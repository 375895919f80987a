// PipelineRig: the pipeline's parts wired as `rekindle serve` wires them, in process,
// on the real embedded store (SqliteStore) and embedded bus (EmbeddedBus) in a
// temporary folder, with a ManualClock for both, a RecordingMailer and a ScriptedWriter,
// and a FaultPlan between them and the store, the bus and the mailer (FaultyStore,
// FaultyBus, FaultyMailer). Tests drive it step by step: PumpStream() runs the stream
// processor until it is caught up, Work() receives and handles what is visible on the
// email processor's queue as one RunWorker loop does (ack on ok; nack with the worker's
// delay otherwise), and the clock moves only when the test moves it.
// Not thread-safe: one rig per test, driven from the test's thread (the components it
// holds are thread-safe, so RunWorker may also be run on threads against it).
#pragma once

#include <memory>
#include <string>

#include "bus/embedded/embedded_bus.h"
#include "domain/score.h"
#include "pipeline/email_processor.h"
#include "pipeline/stream_processor.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fault_injection.h"
#include "testing/manual_clock.h"
#include "testing/recording_mailer.h"
#include "testing/scripted_writer.h"
#include "testing/temp_dir.h"

namespace rkd::testkit {

constexpr Millis kRigStart = 1'780'000'000'000;  // 2026-05-28T20:26:40Z
constexpr const char* kEmailQueue = "email-processor";

class PipelineRig {
 public:
  // Options for the email processor; the bus's visibility timeout and max_receives are
  // taken from them, as the binary does.
  static ProcessorOptions DefaultOptions();

  explicit PipelineRig(ProcessorOptions options = DefaultOptions());

  // A client at risk: last ordered `days_since_order` days ago (120: a score near 60).
  User CreateLapsedUser(const std::string& email, int days_since_order = 120,
                        std::optional<Millis> last_email_date = std::nullopt);

  // Runs the stream processor until it has read every change. Returns how many it read.
  int PumpStream();
  // Receives and handles every message visible now on the email processor's queue,
  // batch after batch (each through HandleBatch), as RunWorker does. A handler that throws InjectedCrash "kills the
  // worker": nothing of that batch is acked or nacked (its messages come back after the
  // visibility timeout). Returns how many messages were handled (crashed ones included).
  int Work();
  // PumpStream, then Work.
  int Run() {
    PumpStream();
    return Work();
  }

  QueueStats Queue();  // the email processor's queue
  std::vector<Email> EmailsOf(const std::string& user_id);

  ManualClock clock{kRigStart};
  ScoreRules rules;
  FaultPlan faults;
  RecordingMailer mailer;
  ScriptedWriter writer;
  ProcessorOptions options;

  TempDir dir;
  std::unique_ptr<SqliteStore> real_store;
  std::unique_ptr<EmbeddedBus> real_bus;
  std::unique_ptr<FaultyStore> store;  // what the pipeline's parts use
  std::unique_ptr<FaultyBus> bus;
  std::unique_ptr<FaultyMailer> faulty_mailer;
  std::unique_ptr<StreamProcessor> stream;
  std::unique_ptr<EmailProcessor> processor;
};

}  // namespace rkd::testkit
