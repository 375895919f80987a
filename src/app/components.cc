#include "app/components.h"

#include <algorithm>

#include "base/log.h"
#include "bus/embedded/embedded_bus.h"
#include "bus/nats/nats_bus.h"
#include "compose/template_writer.h"
#include "delivery/outbox_mailer.h"
#include "delivery/smtp_mailer.h"
#include "leader/file_leader_lock.h"
#include "leader/pg_advisory_lock.h"
#include "pipeline/stream_processor.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace rkd {
namespace {

// The LLM writer's settings; one email's whole retry budget stays within half the
// queue's visibility timeout, so that a slow endpoint never gets an event redelivered.
OpenAiWriterOptions LlmOptions(const Config& config) {
  OpenAiWriterOptions o;
  o.base_url = config.openai_base_url;
  o.model = config.openai_model;
  o.api_key = config.openai_api_key;
  o.max_tokens = config.openai_max_tokens;
  o.max_retries = config.openai_max_retries;
  o.budget = std::chrono::seconds(std::max(1, std::min(config.openai_budget_s, config.visibility_timeout_s / 2)));
  o.request_timeout = std::min<std::chrono::milliseconds>(std::chrono::seconds(config.openai_timeout_s), o.budget);
  o.client.max_in_flight = config.openai_concurrency;
  o.client.requests_per_minute = config.openai_rpm;
  o.client.tokens_per_minute = config.openai_tpm;
  o.client.connect_timeout = std::chrono::seconds(config.openai_connect_timeout_s);
  o.breaker_failures = config.openai_breaker_failures;
  o.breaker_cooldown = std::chrono::seconds(config.openai_breaker_cooldown_s);
  return o;
}

}  // namespace

const ExclusiveRole kStreamRole{"stream", kStreamLeaderLockKey};
const ExclusiveRole kSweepRole{"sweep", kSweepLockKey};
const ExclusiveRole kModelRole{"model", 7265600020};  // issue 11: one model fit at a time

bool UsesPostgres(const Config& config) {
  return config.database_url.rfind("postgres://", 0) == 0 || config.database_url.rfind("postgresql://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const Config& config, const Clock& clock) {
  if (config.database_url.rfind("sqlite:", 0) == 0) {
    auto store = SqliteStore::Open(config.database_url.substr(7), config.score, &clock,
                                   StoreOptions{int64_t{config.attribution_days} * kMillisPerDay});
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  if (UsesPostgres(config)) {
    PgOptions pg;
    pg.pool_size = config.pg_pool_size;
    pg.statement_timeout_ms = config.pg_statement_timeout_ms;
    auto store = PgStore::Open(config.database_url, config.score, &clock,
                               StoreOptions{int64_t{config.attribution_days} * kMillisPerDay}, pg);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  return Status::FailedPrecondition("RKD_DATABASE_URL " + config.database_url.substr(0, 11) +
                                    "… is not supported; use sqlite:PATH or postgres://…");
}

Result<std::unique_ptr<Bus>> OpenBus(const Config& config, const Clock& clock) {
  BusOptions options;
  options.visibility_timeout = std::chrono::seconds(config.visibility_timeout_s);
  options.max_receives = config.max_receives;
  options.retention = std::chrono::hours(24 * config.retention_days);
  std::unique_ptr<Bus> bus;
  if (config.bus_url.rfind("nats://", 0) == 0) {
    auto nats = NatsBus::Open({config.bus_url, config.bus_namespace, config.nats_replicas, options});
    if (!nats.ok()) return nats.status();
    bus = std::move(nats).value();
  } else {
    auto embedded = EmbeddedBus::Open(config.bus_path(), options, &clock);
    if (!embedded.ok()) return embedded.status();
    bus = std::move(embedded).value();
  }
  RKD_RETURN_IF_ERROR(bus->Subscribe(StreamProcessor::kTopic, ProcessorOptions{}.queue));
  return bus;
}

std::unique_ptr<LeaderLock> MakeLeaderLock(const Config& config, const ExclusiveRole& role) {
  if (UsesPostgres(config)) {
    PgAdvisoryLockOptions options;
    options.statement_timeout_ms = config.pg_statement_timeout_ms;
    options.application_name = std::string("rekindle ") + role.name + " lock";
    return std::make_unique<PgAdvisoryLock>(config.database_url, role.pg_key, options);
  }
  return std::make_unique<FileLeaderLock>(config.lock_path(role.name));
}

Result<Writers> MakeWriters(const Config& config, Metrics* metrics) {
  Writers w;
  auto templates = TemplateWriter::Load(config.templates_dir);
  if (!templates.ok()) return templates.status();
  w.templates = std::move(templates).value();
  if (config.use_openai_writer()) {
    OpenAiWriterOptions llm = LlmOptions(config);
    if (metrics) llm.metrics = &metrics->llm();
    w.llm = std::make_unique<OpenAiWriter>(std::move(llm), *w.templates);
    const nlohmann::json shown = ConfigToJson(config);
    LogInfo("llm writer", {{"baseUrl", shown["OPENAI_BASE_URL"]},
                           {"model", config.openai_model},
                           {"apiKey", shown["OPENAI_API_KEY"]},
                           {"concurrency", config.openai_concurrency},
                           {"rpm", config.openai_rpm},
                           {"tpm", config.openai_tpm}});
  }
  return w;
}

std::unique_ptr<Mailer> MakeMailer(const Config& config) {
  if (config.smtp_url.empty()) return std::make_unique<OutboxMailer>(config.outbox_dir);
  SmtpOptions smtp;
  smtp.url = config.smtp_url;
  smtp.username = config.smtp_user;
  smtp.password = config.smtp_password;
  smtp.starttls_required = config.smtp_starttls == "required";
  smtp.verify_tls = config.smtp_verify_tls;
  smtp.pool_size = config.smtp_pool;
  smtp.max_per_second = config.smtp_rate;
  return std::make_unique<SmtpMailer>(smtp);
}

StreamOptions MakeStreamOptions(const Config& config) {
  return StreamOptions{.retention = int64_t{config.change_retention_hours} * 3'600'000};
}

ProcessorOptions MakeProcessorOptions(const Config& config, const std::string& link_key, Metrics* metrics) {
  ProcessorOptions options;
  options.cooldown = int64_t{config.email_cooldown_days} * kMillisPerDay;
  options.max_receives = config.max_receives;
  options.retry_base = std::chrono::milliseconds(config.retry_base_ms);
  options.retry_cap = std::chrono::seconds(config.visibility_timeout_s);
  options.visibility_timeout = std::chrono::seconds(config.visibility_timeout_s);
  options.shop_url = config.shop_url;
  options.public_url = config.public_url;
  options.mail_from = config.mail_from;
  options.reply_to = config.mail_reply_to;
  options.postal_address = config.postal_address;
  options.unsubscribe_secret = link_key;
  options.tracking = config.tracking;
  options.holdout_share = config.holdout_share;
  options.targeting = config.targeting_options();
  options.parallel_batch = config.use_openai_writer();
  // An LLM writes each email for seconds: batches of 10 keep its requests in flight
  // without holding a hundred messages per worker (the template writer takes 100).
  if (options.parallel_batch) options.batch_size = 10;
  if (metrics) options.metrics = &metrics->email();
  return options;
}

}  // namespace rkd
