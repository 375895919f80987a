// rekindle: the one binary. Reading main tells the whole service: configuration, then
// the store, then the API, wired explicitly in dependency order.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "api/api.h"
#include "app/config.h"
#include "app/demo_data.h"
#include "base/log.h"
#include "bus/embedded/embedded_bus.h"
#include "bus/nats/nats_bus.h"
#include "compose/openai_writer.h"
#include "compose/template_writer.h"
#include "delivery/outbox_mailer.h"
#include "delivery/smtp_mailer.h"
#include "http/access.h"
#include "http/server.h"
#include "http/static_files.h"
#include "leader/file_leader_lock.h"
#include "leader/leader_election.h"
#include "leader/pg_advisory_lock.h"
#include "metrics/metrics.h"
#include "metrics/metrics_endpoint.h"
#include "metrics/scrape_sources.h"
#include "pipeline/email_processor.h"
#include "pipeline/stream_processor.h"
#include "pipeline/sweeper.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace rkd {
namespace {

constexpr const char* kVersion = "0.1.0";

int Fail(const Status& st) {
  LogError("fatal", {{"error", st.ToString()}});
  std::cerr << "rekindle: " << st.message() << "\n";
  return 1;
}

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

// Opens the bus and makes sure the email processor's queue is subscribed to the topic.
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

// The parts of the pipeline that run in one process at a time, however many run them.
struct ExclusiveRole {
  const char* name;  // in logs, and the lock file's name beside a SQLite database
  int64_t pg_key;    // the advisory lock's key on PostgreSQL
};
constexpr ExclusiveRole kStreamRole{"stream", kStreamLeaderLockKey};
constexpr ExclusiveRole kSweepRole{"sweep", kSweepLockKey};

// Processes sharing a PostgreSQL database may run on several hosts: an advisory lock.
// Those sharing a SQLite database share a machine: a file lock beside it.
std::unique_ptr<LeaderLock> MakeLeaderLock(const Config& config, const ExclusiveRole& role) {
  if (UsesPostgres(config)) {
    PgAdvisoryLockOptions options;
    options.statement_timeout_ms = config.pg_statement_timeout_ms;
    options.application_name = std::string("rekindle ") + role.name + " lock";
    return std::make_unique<PgAdvisoryLock>(config.database_url, role.pg_key, options);
  }
  return std::make_unique<FileLeaderLock>(config.lock_path(role.name));
}

// Blocks until SIGINT or SIGTERM. The signals are blocked in every thread (main blocks
// them before starting any), so only this sigwait sees them.
int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

// Every component a process may run, built in dependency order. Which of them run is
// the subcommand's choice.
struct Components {
  SystemClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<Bus> bus;
  std::unique_ptr<Writer> fallback_writer;  // the template writer behind the LLM writer
  std::unique_ptr<Writer> writer;
  std::unique_ptr<Mailer> mailer;
  std::unique_ptr<EmailProcessor> processor;
  std::unique_ptr<StreamProcessor> stream;
  std::unique_ptr<Sweeper> sweeper;
  std::string unsubscribe_secret;
  Metrics* metrics = nullptr;  // set before Build to instrument the parts (serve, api); not owned
};

// RKD_UNSUBSCRIBE_SECRET, or a random key made once and kept in the data folder (so
// links stay valid across restarts; several hosts must share RKD_UNSUBSCRIBE_SECRET).
Result<std::string> UnsubscribeSecret(const Config& config) {
  if (!config.unsubscribe_secret.empty()) return config.unsubscribe_secret;
  // On a shared store the processes run on several hosts: a key of each host's own would
  // sign links that the host answering them cannot check.
  if (config.database_url.rfind("sqlite:", 0) != 0)
    return Status::FailedPrecondition(
        "RKD_UNSUBSCRIBE_SECRET is required with a PostgreSQL store: every process signs and checks links "
        "with it, so every host must share it");
  const std::string path = config.data_dir() + "/unsubscribe.key";
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir(), ec);
  if (ec)
    return Status::FailedPrecondition("cannot keep an unsubscribe key in " + config.data_dir() + " (" + ec.message() +
                                      "): set RKD_UNSUBSCRIBE_SECRET (every host must share it)");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::random_device rd;
    char key[65];
    for (int i = 0; i < 64; i += 8) std::snprintf(key + i, 9, "%08x", rd());
    const bool ok = ::write(fd, key, 64) == 64 && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Status::Internal("cannot write " + path);
  }
  std::ifstream in(path);
  std::string key;
  if (!(in >> key) || key.size() < 32)
    return Status::FailedPrecondition("cannot read or create the unsubscribe key " + path +
                                      ": set RKD_UNSUBSCRIBE_SECRET (every host must share it)");
  return key;
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

Status Build(const Config& config, Components* c) {
  auto store = OpenStore(config, c->clock);
  if (!store.ok()) return store.status();
  c->store = std::move(store).value();
  auto bus = OpenBus(config, c->clock);
  if (!bus.ok()) return bus.status();
  c->bus = std::move(bus).value();
  auto writer = TemplateWriter::Load(config.templates_dir);
  if (!writer.ok()) return writer.status();
  c->writer = std::move(writer).value();
  if (config.use_openai_writer()) {
    // The template writer stays behind the LLM writer as its fallback.
    c->fallback_writer = std::move(c->writer);
    OpenAiWriterOptions llm = LlmOptions(config);
    if (c->metrics) llm.metrics = &c->metrics->llm();
    c->writer = std::make_unique<OpenAiWriter>(std::move(llm), *c->fallback_writer);
    const nlohmann::json shown = ConfigToJson(config);
    LogInfo("llm writer", {{"baseUrl", shown["OPENAI_BASE_URL"]},
                           {"model", config.openai_model},
                           {"apiKey", shown["OPENAI_API_KEY"]},
                           {"concurrency", config.openai_concurrency},
                           {"rpm", config.openai_rpm},
                           {"tpm", config.openai_tpm}});
  }
  c->mailer = MakeMailer(config);
  auto secret = UnsubscribeSecret(config);
  if (!secret.ok()) return secret.status();
  c->unsubscribe_secret = std::move(secret).value();
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
  options.unsubscribe_secret = c->unsubscribe_secret;
  options.tracking = config.tracking;
  options.holdout_share = config.holdout_share;
  options.parallel_batch = config.use_openai_writer();
  if (c->metrics) options.metrics = &c->metrics->email();
  c->processor =
      std::make_unique<EmailProcessor>(*c->store, *c->bus, *c->writer, *c->mailer, config.score, c->clock, options);
  c->stream = std::make_unique<StreamProcessor>(*c->store, *c->bus);
  c->sweeper =
      std::make_unique<Sweeper>(*c->store, *c->bus, config.score, c->clock, options.cooldown,
                                MakeLeaderLock(config, kSweepRole), c->metrics ? &c->metrics->sweep() : nullptr);
  return Status::Ok();
}

// Runs the chosen pipeline parts on background threads; Stop() lets in-flight batches
// finish, then joins. The stream processor runs only while this process leads (one
// leader among every process on the store, whatever their subcommand).
class PipelineThreads {
 public:
  void Start(Components& c, const Config& config, bool stream, int workers, bool sweeper) {
    if (stream) {
      stream_lock_ = MakeLeaderLock(config, kStreamRole);
      threads_.emplace_back([this, &c] {
        RunAsLeader(*stream_lock_, stop_, {.role = kStreamRole.name},
                    [&c](const std::atomic<bool>& step_down) { c.stream->Run(step_down); });
      });
    }
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this, &c, i] { c.processor->RunWorker(stop_, i); });
    if (sweeper)
      threads_.emplace_back(
          [this, &c, &config] { c.sweeper->RunPeriodically(stop_, std::chrono::seconds(config.sweep_interval_s)); });
  }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  ~PipelineThreads() {
    if (!threads_.empty()) Stop();
  }

 private:
  std::atomic<bool> stop_{false};
  std::unique_ptr<LeaderLock> stream_lock_;
  std::vector<std::thread> threads_;
};

// `serve` (with_pipeline: the whole service in one process) and `api` (the REST API and
// dashboard alone, any number of them behind a balancer; the pipeline runs elsewhere).
int Serve(const Config& given, bool with_pipeline) {
  if (!IsLoopbackHost(given.http_host()) && given.api_keys.empty())
    return Fail(Status::FailedPrecondition("refusing to listen on " + given.http_addr +
                                           " without API keys: set RKD_API_KEYS, or listen on 127.0.0.1"));
  // Bind first: links in emails point at the port actually bound (RKD_HTTP_ADDR may say 0).
  Router router;
  AccessPolicy access({given.api_keys, given.cors_origins, given.host_names()});
  ServerOptions options;
  options.host = given.http_host() == "localhost" ? "127.0.0.1" : given.http_host();
  options.port = static_cast<uint16_t>(given.http_port());
  options.threads = given.http_threads > 0 ? given.http_threads : 8;
  // Outlives the server and the components (their figures are read at scrape time).
  Metrics metrics({kVersion, given.smtp_url.empty() ? "outbox" : "smtp"});
  HttpServer server(options, WithMetrics(metrics.http(), WithAccess(access, router)));
  if (Status st = server.Bind(); !st.ok()) return Fail(st);
  Config config = given;
  if (!config.public_url_given) config.public_url = "http://" + options.host + ":" + std::to_string(server.port());

  Components c;
  c.metrics = &metrics;
  if (Status st = Build(config, &c); !st.ok()) return Fail(st);
  ApiContext ctx{*c.store,
                 config.score,
                 c.clock,
                 kVersion,
                 c.clock.Now(),
                 c.bus.get(),
                 c.sweeper.get(),
                 config.attribution_days,
                 config.holdout_share};
  RegisterHealthRoutes(router, ctx);
  RegisterUserRoutes(router, ctx);
  RegisterOrderRoutes(router, ctx);
  RegisterEmailRoutes(router, ctx, config.public_url, c.unsubscribe_secret);
  RegisterQueueRoutes(router, ctx);
  RegisterMetricsRoutes(router, ctx);
  metrics.AddSource("bus", QueueGauges(*c.bus));
  metrics.AddSource("store", StoreGauges(*c.store, config.score.threshold, StreamProcessor::kCheckpoint));
  // The breaker of a writer that never runs here (`api`) would only ever read closed.
  if (auto* llm = dynamic_cast<OpenAiWriter*>(c.writer.get()); llm && with_pipeline)
    metrics.AddSource("llm", BreakerGauge([llm] { return llm->breaker_state(); }));
  router.Add("GET", "/metrics", MetricsEndpoint(metrics, {config.metrics_token, config.api_keys}));
  RegisterSuppressionRoutes(router, ctx);
  RegisterUnsubscribeRoutes(router, ctx, c.unsubscribe_secret);
  RegisterEffectivenessRoutes(router, ctx);
  RegisterTrackingRoutes(router, ctx, c.unsubscribe_secret);
  RegisterSesHookRoutes(router, ctx,
                        {config.ses_webhook_secret, config.sns_cert_hosts, config.sns_allow_insecure_cert_url,
                         config.sns_topic_arns, config.sns_max_age_s});
  const StaticFiles web = config.web_dir.empty() ? StaticFiles() : StaticFiles(config.web_dir);
  router.SetFallback([&web](HttpRequest& req) { return web.Serve(req); });
  if (Status st = server.Start(); !st.ok()) return Fail(st);
  PipelineThreads pipeline;
  if (with_pipeline) pipeline.Start(c, config, /*stream=*/true, config.workers, /*sweeper=*/true);
  LogInfo("listening", {{"addr", options.host + ":" + std::to_string(server.port())},
                        {"port", server.port()},
                        {"database", ConfigToJson(config)["RKD_DATABASE_URL"]},
                        {"pipeline", with_pipeline},
                        {"workers", with_pipeline ? config.workers : 0},
                        {"version", kVersion}});
  const int sig = WaitForShutdownSignal();
  LogInfo("shutting down", {{"signal", sig}});
  server.Stop();
  pipeline.Stop();
  LogInfo("stopped");
  return 0;
}

// `stream` and `worker`: one part of the pipeline, alone, until a signal.
int RunPart(const Config& config, bool stream, int workers) {
  if (workers > 0 && !config.public_url_given)
    LogWarn("RKD_PUBLIC_URL is not set: links in emails point at " + config.public_url +
            "; set it to the URL clients reach the API at");
  Components c;
  if (Status st = Build(config, &c); !st.ok()) return Fail(st);
  PipelineThreads pipeline;
  pipeline.Start(c, config, stream, workers, /*sweeper=*/false);
  const int sig = WaitForShutdownSignal();
  LogInfo("shutting down", {{"signal", sig}});
  pipeline.Stop();
  LogInfo("stopped");
  return 0;
}

// `stream --skip-to-end`: moves the checkpoint only while no stream processor runs (a
// running one would write its own checkpoint over it).
int SkipStreamToEnd(const Config& config) {
  auto lock = MakeLeaderLock(config, kStreamRole);
  auto mine = lock->TryAcquire();
  if (!mine.ok()) return Fail(mine.status());
  if (!*mine) return Fail(Status::FailedPrecondition("a stream processor is running on this database; stop it first"));
  Components c;
  if (Status st = Build(config, &c); !st.ok()) return Fail(st);
  if (Status st = c.stream->SkipToEnd(); !st.ok()) return Fail(st);
  LogInfo("stream checkpoint moved to the end of the change stream");
  return 0;
}

// `sweep`: one at a time. Another running is not a failure: it does the same work.
int Sweep(const Config& config) {
  Components c;
  if (Status st = Build(config, &c); !st.ok()) return Fail(st);
  auto r = c.sweeper->Run();
  if (!r.ok()) return Fail(r.status());
  if (r->skipped) return 0;  // logged
  std::cout << nlohmann::json{{"scored", r->scored},
                              {"changed", r->changed},
                              {"published", r->published},
                              {"seconds", r->seconds}}
                   .dump()
            << "\n";
  return 0;
}

int Seed(const Config& config, int users, uint64_t seed, bool if_empty) {
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  if (if_empty) {
    auto count = (*store)->CountUsers();
    if (!count.ok()) return Fail(count.status());
    if (*count > 0) {
      LogInfo("seed skipped: the database already has users", {{"users", *count}});
      return 0;
    }
  }
  DemoData data = GenerateDemoData(users, seed, clock.Now());
  const size_t orders = data.orders.size();
  if (Status st = (*store)->Import(std::move(data.users), std::move(data.orders)); !st.ok()) {
    if (st.code() == Code::kAlreadyExists)
      return Fail(Status::AlreadyExists("demo users for seed " + std::to_string(seed) +
                                        " are already loaded; pass another --seed or use --if-empty"));
    return Fail(st);
  }
  LogInfo("seeded", {{"users", users}, {"orders", orders}, {"seed", seed}});
  return 0;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Rekindle: finds the clients who drift away and wins them back.\n"
      "Configured by environment variables (see `rekindle config`)."};
  app.set_version_flag("--version", std::string("rekindle ") + kVersion);
  app.require_subcommand(1);
  auto* serve = app.add_subcommand("serve", "Serve the REST API and dashboard on RKD_HTTP_ADDR, and run the pipeline");
  auto* api = app.add_subcommand("api", "Serve the REST API and dashboard on RKD_HTTP_ADDR, without the pipeline");
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  auto* seed_cmd = app.add_subcommand("seed", "Load synthetic demo clients with order histories");
  int users = 1000;
  uint64_t seed = 42;
  bool if_empty = false;
  seed_cmd->add_option("--users", users, "How many clients to create")->check(CLI::Range(1, 10'000'000));
  seed_cmd->add_option("--seed", seed, "Random seed: the same seed gives the same clients");
  seed_cmd->add_flag("--if-empty", if_empty, "Do nothing when the database already has users");
  auto* config_cmd = app.add_subcommand("config", "Print the effective configuration (secrets only as set or unset)");
  bool env_example = false;
  bool markdown = false;
  config_cmd->add_flag("--env-example", env_example,
                       "Print deploy/rekindle.env.example as generated from the table of settings, and exit");
  config_cmd->add_flag("--markdown", markdown, "Print the README's configuration table (Markdown), and exit");
  auto* stream_cmd = app.add_subcommand(
      "stream", "Run the stream processor alone: change stream → topic user-events (one leader, others on standby)");
  bool skip_to_end = false;
  stream_cmd->add_flag("--skip-to-end", skip_to_end,
                       "Move the stream's checkpoint to the end of the change stream (skip the backlog) and exit");
  auto* worker_cmd = app.add_subcommand("worker", "Run the email processor alone (RKD_WORKERS threads)");
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Re-score every client now, queue emails for those at risk, and exit (one at a time)");
  for (auto* sub : {serve, api, migrate, seed_cmd, config_cmd, stream_cmd, worker_cmd, sweep_cmd})
    sub->set_version_flag("--version", std::string("rekindle ") + kVersion);
  CLI11_PARSE(app, argc, argv);

  // The documentation of the settings does not depend on the environment.
  if (env_example || markdown) {
    std::cout << (env_example ? ConfigEnvExample() : ConfigMarkdownTable());
    return 0;
  }
  auto config = LoadConfig([](const char* name) { return std::getenv(name); });
  if (!config.ok()) return Fail(config.status());
  SetLogLevel(config->log_level);

  if (config_cmd->parsed()) {
    std::cout << ConfigToJson(*config).dump(2) << "\n";
    return 0;
  }
  if (migrate->parsed()) {
    SystemClock clock;
    auto store = OpenStore(*config, clock);
    if (!store.ok()) return Fail(store.status());
    LogInfo("migrated", {{"database", ConfigToJson(*config)["RKD_DATABASE_URL"]}});
    return 0;
  }
  if (seed_cmd->parsed()) return Seed(*config, users, seed, if_empty);
  if (stream_cmd->parsed())
    return skip_to_end ? SkipStreamToEnd(*config) : RunPart(*config, /*stream=*/true, /*workers=*/0);
  if (worker_cmd->parsed()) return RunPart(*config, /*stream=*/false, std::max(1, config->workers));
  if (sweep_cmd->parsed()) return Sweep(*config);
  return Serve(*config, /*with_pipeline=*/!api->parsed());
}

}  // namespace
}  // namespace rkd

int main(int argc, char** argv) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  return rkd::Run(argc, argv);
}
