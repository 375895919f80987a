// Each component a process may run, made from the configuration: the store, the bus,
// the writer, the mailer, the leader locks and the email processor's options. main
// chooses which of them a subcommand builds and wires them together.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "base/status.h"
#include "base/time.h"
#include "bus/bus.h"
#include "compose/openai_writer.h"
#include "compose/template_writer.h"
#include "compose/writer.h"
#include "delivery/mailer.h"
#include "leader/leader_lock.h"
#include "metrics/metrics.h"
#include "pipeline/email_processor.h"
#include "pipeline/stream_processor.h"
#include "store/store.h"

namespace rkd {

// True when RKD_DATABASE_URL names PostgreSQL (postgres:// or postgresql://).
bool UsesPostgres(const Config& config);

// The store (SQLite or PostgreSQL), migrated.
Result<std::unique_ptr<Store>> OpenStore(const Config& config, const Clock& clock);

// The bus (embedded or NATS JetStream), with the email processor's queue subscribed to
// the topic of user events.
Result<std::unique_ptr<Bus>> OpenBus(const Config& config, const Clock& clock);

// The parts of the pipeline that run in one process at a time, however many run them.
struct ExclusiveRole {
  const char* name;  // in logs, and the lock file's name beside a SQLite database
  int64_t pg_key;    // the advisory lock's key on PostgreSQL
};
extern const ExclusiveRole kStreamRole;
extern const ExclusiveRole kSweepRole;
extern const ExclusiveRole kModelRole;  // a model fit (issue 11)

// Processes sharing a PostgreSQL database may run on several hosts: an advisory lock.
// Those sharing a SQLite database share a machine: a file lock beside it.
std::unique_ptr<LeaderLock> MakeLeaderLock(const Config& config, const ExclusiveRole& role);

// The writers of the emails: the template writer, and in front of it the LLM writer when
// the configuration asks for one (its fallback is the template writer).
struct Writers {
  std::unique_ptr<TemplateWriter> templates;
  std::unique_ptr<OpenAiWriter> llm;  // null: the templates write every email
  Writer& active() const { return llm ? static_cast<Writer&>(*llm) : *templates; }
};
// `metrics`, when not null, counts the LLM writer's exchanges (not owned).
Result<Writers> MakeWriters(const Config& config, Metrics* metrics);

// The outbox mailer (a maildir), or SMTP when RKD_SMTP_URL is set.
std::unique_ptr<Mailer> MakeMailer(const Config& config);

// The email processor's options from the configuration; `link_key` signs the links
// (LinkSigningKey), `metrics` may be null.
ProcessorOptions MakeProcessorOptions(const Config& config, const std::string& link_key, Metrics* metrics);

// The stream processor's options (the change stream's retention) from the configuration.
StreamOptions MakeStreamOptions(const Config& config);

}  // namespace rkd
