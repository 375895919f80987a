// rekindle: the one binary, and its wiring diagram. Each subcommand below builds the
// components it runs, and only those, in dependency order: the configuration, then the
// store and the bus, then what the subcommand runs on them (the API's routes, the email
// processor with its writer and mailer, the stream processor, the sweeper). How each
// component is made from the configuration is in app/components.h; what it does, in its
// own header.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>

#include "api/api.h"
#include "api/import_jobs.h"
#include "api/model_api.h"
#include "app/components.h"
#include "app/config.h"
#include "app/demo_data.h"
#include "app/import_command.h"
#include "app/link_signing_key.h"
#include "app/model_command.h"
#include "app/pipeline_threads.h"
#include "app/sending_setup.h"
#include "app/shutdown_signals.h"
#include "app/sync_command.h"
#include "base/log.h"
#include "db/sqlite/sqlite_backup.h"
#include "http/access.h"
#include "http/server.h"
#include "http/static_files.h"
#include "integrations/hook_applier.h"
#include "integrations/shop_sync.h"
#include "integrations/webhook_sender.h"
#include "metrics/metrics.h"
#include "metrics/metrics_endpoint.h"
#include "metrics/scrape_sources.h"
#include "pipeline/email_processor.h"
#include "pipeline/sending_switch.h"
#include "pipeline/settings_cache.h"
#include "pipeline/store_send_gate.h"
#include "pipeline/stream_processor.h"
#include "pipeline/sweeper.h"

namespace rkd {
namespace {

constexpr const char* kVersion = "0.1.0";

int Fail(const Status& st) {
  LogError("fatal", {{"error", st.ToString()}});
  std::cerr << "rekindle: " << st.message() << "\n";
  return 1;
}

Millis Cooldown(const Config& config) { return int64_t{config.email_cooldown_days} * kMillisPerDay; }

// The store and the bus: every subcommand that runs a part of the service needs both.
struct StoreAndBus {
  std::unique_ptr<Store> store;
  std::unique_ptr<Bus> bus;
};
Result<StoreAndBus> OpenStoreAndBus(const Config& config, const Clock& clock) {
  auto store = OpenStore(config, clock);
  if (!store.ok()) return store.status();
  // A first start stores the shop's settings the environment gives; without the ones
  // sending needs, it starts paused until they are set (README, "Sending controls").
  RKD_RETURN_IF_ERROR(
      SetUpSettings(**store, SettingsFromEnvironment(config), /*start_running=*/true, clock.Now(), "environment"));
  auto bus = OpenBus(config, clock);
  if (!bus.ok()) return bus.status();
  return StoreAndBus{std::move(store).value(), std::move(bus).value()};
}

// The email processor with what writes and sends its emails (`worker`, `serve`).
struct EmailSending {
  Writers writers;
  std::unique_ptr<Mailer> mailer;
  std::unique_ptr<SettingsCache> settings;       // the shop's sender and the pause switch, read every second
  std::unique_ptr<MessageCache> messages;        // the messages stored in the dashboard, read every second
  std::unique_ptr<ExperimentCache> experiments;  // the running experiment, read every second
  std::unique_ptr<StoreSendGate> gate;           // pause, quiet hours, caps: asked before each batch is written
  std::unique_ptr<EmailProcessor> processor;
};
Result<EmailSending> BuildEmailSending(const Config& config, StoreAndBus& sb, const Clock& clock,
                                       const std::string& link_key, Metrics* metrics) {
  EmailSending s;
  auto writers = MakeWriters(config, metrics);
  if (!writers.ok()) return writers.status();
  s.writers = std::move(writers).value();
  s.mailer = MakeMailer(config);
  s.settings = std::make_unique<SettingsCache>(*sb.store);
  s.messages = std::make_unique<MessageCache>(*sb.store);
  s.experiments = std::make_unique<ExperimentCache>(*sb.store);
  s.gate = std::make_unique<StoreSendGate>(*sb.store);
  ProcessorOptions options = MakeProcessorOptions(config, link_key, metrics);
  options.settings = s.settings.get();
  options.messages = s.messages.get();
  options.experiments = s.experiments.get();
  s.processor = std::make_unique<EmailProcessor>(*sb.store, *sb.bus, s.writers.active(), *s.mailer, *s.gate,
                                                 config.score, clock, std::move(options));
  return s;
}

// Runs the given parts of the pipeline until SIGINT or SIGTERM (after `before_stop`,
// which stops what runs beside them).
void RunUntilSignal(PipelineThreads& pipeline, const std::function<void()>& before_stop = {}) {
  const int sig = WaitForShutdownSignal();
  LogInfo("shutting down", {{"signal", sig}});
  if (before_stop) before_stop();
  pipeline.Stop();
  LogInfo("stopped");
}

// `serve` (with_pipeline: the whole service in one process) and `api` (the REST API and
// dashboard alone, any number of them behind a balancer; the pipeline runs elsewhere, so
// `api` builds no writer, mailer, email processor or stream processor).
int Serve(const Config& given, bool with_pipeline) {
  if (!IsLoopbackHost(given.http_host()) && given.api_keys.empty())
    return Fail(Status::FailedPrecondition("refusing to listen on " + given.http_addr +
                                           " without API keys: set RKD_API_KEYS, or listen on 127.0.0.1"));
  // Bind first: links in emails point at the port actually bound (RKD_HTTP_ADDR may say 0).
  Router router;
  AccessPolicy access({given.api_keys, given.cors_origins, given.host_names(), given.api_key_names});
  ServerOptions options;
  options.host = given.http_host() == "localhost" ? "127.0.0.1" : given.http_host();
  options.port = static_cast<uint16_t>(given.http_port());
  options.threads = given.http_threads > 0 ? given.http_threads : 8;
  for (const std::string& network : given.trusted_proxies) options.trusted_proxies.push_back(*ParseCidr(network));
  // An import's upload may be larger than other requests, from a caller with a valid key.
  options.large_body_limit = static_cast<size_t>(given.import_max_mb) << 20;
  options.allows_large_body = [&access](const HttpRequest& head) {
    HttpRequest screened = head;
    return head.method == "POST" && head.path == "/api/imports" && !access.Screen(screened);
  };
  // Outlives the server and the components (their figures are read at scrape time).
  Metrics metrics({kVersion, given.smtp_url.empty() ? "outbox" : "smtp"});
  HttpServer server(options, WithMetrics(metrics.http(), WithAccess(access, router)));
  if (Status st = server.Bind(); !st.ok()) return Fail(st);
  Config config = given;
  if (!config.public_url_given) config.public_url = "http://" + options.host + ":" + std::to_string(server.port());

  SystemClock clock;
  auto sb = OpenStoreAndBus(config, clock);
  if (!sb.ok()) return Fail(sb.status());
  Store& store = *sb->store;
  Bus& bus = *sb->bus;
  auto has_emails = StoreHasEmails(*sb->store);
  if (!has_emails.ok()) return Fail(has_emails.status());
  auto link_key = LinkSigningKey(config, *has_emails);
  if (!link_key.ok()) return Fail(link_key.status());
  // POST /api/sweep runs a sweep in this process; `serve` also sweeps periodically.
  Sweeper sweeper(store, bus, config.score, clock, Cooldown(config), MakeLeaderLock(config, kSweepRole),
                  &metrics.sweep(), config.targeting_options());

  // /health and the dashboard's banner: failed deliveries and dead letters, read at most every 5 s.
  DeliveryAlerts alerts(store, &bus, clock, {.window = int64_t{config.alert_window_minutes} * 60'000});
  ApiContext ctx{.store = store,
                 .rules = config.score,
                 .clock = clock,
                 .version = kVersion,
                 .started_at = clock.Now(),
                 .bus = &bus,
                 .sweeper = &sweeper,
                 .alerts = &alerts,
                 .attribution_days = config.attribution_days,
                 .holdout_share = config.holdout_share,
                 .page_limits = {.default_limit = config.default_page_limit, .max_limit = config.max_page_limit},
                 .targeting = config.targeting_options()};
  RegisterHealthRoutes(router, ctx);
  RegisterUserRoutes(router, ctx);
  RegisterOrderRoutes(router, ctx);
  RegisterEmailRoutes(router, ctx, config.public_url, *link_key);
  RegisterQueueRoutes(router, ctx);
  RegisterMetricsRoutes(router, ctx);
  RegisterSuppressionRoutes(router, ctx);
  RegisterUnsubscribeRoutes(router, ctx, *link_key);
  RegisterEffectivenessRoutes(router, ctx);
  RegisterExportRoutes(router, ctx);
  // Issue 11: GET /api/model, POST /api/model/fit (one fit at a time in this process).
  ModelRunner model_runner(store, clock, MakeLeaderLock(config, kModelRole));
  RegisterModelRoutes(router, ctx, model_runner, ModelOptionsFromConfig(config, clock.Now()), config.model_refit_hours);
  ImportJobs imports(store, clock, config.data_dir() + "/tmp", &sweeper);
  RegisterImportRoutes(router, ctx, imports);
  RegisterTrackingRoutes(router, ctx, *link_key);
  RegisterSesHookRoutes(router, ctx,
                        {config.ses_webhook_secret, config.sns_cert_hosts, config.sns_allow_insecure_cert_url,
                         config.sns_topic_arns, config.sns_max_age_s});
  // Shop webhooks and CDP events: recorded on the request, applied on the applier's thread.
  HookApplier shop_hooks(store, clock, {.at_risk_below = config.score.threshold});
  RegisterShopHookRoutes(router, ctx,
                         {config.shopify_webhook_secrets, config.woocommerce_webhook_secrets, &shop_hooks});
  RegisterCdpRoutes(router, ctx, &shop_hooks);
  // Outgoing webhooks: the store writes the deliveries, this sender posts them.
  // It looks at least as often as its first retry falls due (between 50 ms and 1 s).
  WebhookSender webhooks(store, clock,
                         {.poll = std::chrono::milliseconds(std::clamp(config.webhook_first_retry_ms, 50, 1000)),
                          .first_retry = config.webhook_first_retry_ms,
                          .allow_internal = config.webhook_allow_internal,
                          .retention = config.webhook_retention_days * kMillisPerDay});
  RegisterWebhookRoutes(router, ctx, &webhooks, config.webhook_allow_internal);
  // Reconciliation with the shops' REST APIs: on the schedule and when asked.
  ShopSync shop_sync(store, clock, ShopConnectionsFromConfig(config), ShopSyncOptionsFromConfig(config));
  RegisterShopSyncRoutes(router, ctx, &shop_sync);
  metrics.AddSource("bus", QueueGauges(bus));
  metrics.AddSource("store", StoreGauges(store, config.score.threshold, StreamProcessor::kCheckpoint));
  router.Add("GET", "/metrics", MetricsEndpoint(metrics, {config.metrics_token, config.api_keys}));
  const StaticFiles web = config.web_dir.empty() ? StaticFiles() : StaticFiles(config.web_dir);
  router.SetFallback([&web](HttpRequest& req) { return web.Serve(req); });

  std::optional<EmailSending> sending;
  std::unique_ptr<StreamProcessor> stream;
  if (with_pipeline) {
    auto built = BuildEmailSending(config, *sb, clock, *link_key, &metrics);
    if (!built.ok()) return Fail(built.status());
    sending = std::move(built).value();
    if (OpenAiWriter* llm = sending->writers.llm.get())
      metrics.AddSource("llm", BreakerGauge([llm] { return llm->breaker_state(); }));
    stream = std::make_unique<StreamProcessor>(store, bus, MakeStreamOptions(config));
  }
  RegisterSettingsRoutes(router, ctx, sending ? sending->settings.get() : nullptr);
  // The messages' previews and "send a test to me" write and send as the pipeline does:
  // with its writers and mailer, or (in `api`) with ones of their own.
  Writers own_writers;
  std::unique_ptr<Mailer> own_mailer;
  if (!sending) {
    auto built = MakeWriters(config, nullptr);
    if (!built.ok()) return Fail(built.status());
    own_writers = std::move(built).value();
    own_mailer = MakeMailer(config);
  }
  const Writers& writers = sending ? sending->writers : own_writers;
  RegisterMessageRoutes(router, ctx,
                        {.templates = writers.templates.get(),
                         .cache = sending ? sending->messages.get() : nullptr,
                         .public_url = config.public_url,
                         .shop_url = config.shop_url});
  RegisterExperimentRoutes(router, ctx,
                           {.templates = writers.templates.get(),
                            .cache = sending ? sending->experiments.get() : nullptr,
                            .messages = sending ? sending->messages.get() : nullptr});
  RegisterTestEmailRoutes(router, ctx,
                          {.writer = &writers.active(),
                           .mailer = sending ? sending->mailer.get() : own_mailer.get(),
                           .public_url = config.public_url,
                           .shop_url = config.shop_url});
  // The dry run asks the sending controls: the pipeline's gate, or (in `api`, which
  // sends nothing) one of its own over the same store.
  StoreSendGate api_gate(store);
  RegisterJourneyRoutes(router, ctx,
                        {.cooldown = config.email_cooldown_days * kMillisPerDay,
                         .gate = sending ? static_cast<SendGate*>(sending->gate.get()) : &api_gate});

  if (Status st = server.Start(); !st.ok()) return Fail(st);
  shop_hooks.Start();
  webhooks.Start();
  shop_sync.StartThread();
  PipelineThreads pipeline;
  if (with_pipeline)
    pipeline.Start({.stream = stream.get(),
                    .stream_lock = MakeLeaderLock(config, kStreamRole),
                    .processor = sending->processor.get(),
                    .workers = config.workers,
                    .sweeper = &sweeper,
                    .sweep_interval = std::chrono::seconds(config.sweep_interval_s),
                    .due_scan_interval = std::chrono::seconds(config.due_scan_interval_s),
                    .model_refit = config.model_refit_hours <= 0
                                       ? std::function<void(const std::atomic<bool>&)>()
                                       : [&](const std::atomic<bool>& stop) {
                                           model_runner.RefitPeriodically(
                                               stop, std::chrono::hours(config.model_refit_hours),
                                               [&](Millis now) { return ModelOptionsFromConfig(config, now); });
                                         }});
  LogInfo("listening", {{"addr", options.host + ":" + std::to_string(server.port())},
                        {"port", server.port()},
                        {"database", ConfigToJson(config)["RKD_DATABASE_URL"]},
                        {"pipeline", with_pipeline},
                        {"workers", with_pipeline ? config.workers : 0},
                        {"version", kVersion}});
  RunUntilSignal(pipeline, [&server] { server.Stop(); });
  return 0;
}

// `stream`: the stream processor alone (no link key, writer or mailer), leading while it
// holds the stream's lock, until a signal.
int RunStream(const Config& config) {
  SystemClock clock;
  auto sb = OpenStoreAndBus(config, clock);
  if (!sb.ok()) return Fail(sb.status());
  StreamProcessor stream(*sb->store, *sb->bus, MakeStreamOptions(config));
  PipelineThreads pipeline;
  pipeline.Start({.stream = &stream, .stream_lock = MakeLeaderLock(config, kStreamRole)});
  RunUntilSignal(pipeline);
  return 0;
}

// `worker`: the email processor alone (RKD_WORKERS threads, at least one), until a signal.
int RunWorker(const Config& config) {
  if (!config.public_url_given)
    LogWarn("RKD_PUBLIC_URL is not set: links in emails point at " + config.public_url +
            "; set it to the URL clients reach the API at");
  SystemClock clock;
  auto sb = OpenStoreAndBus(config, clock);
  if (!sb.ok()) return Fail(sb.status());
  auto has_emails = StoreHasEmails(*sb->store);
  if (!has_emails.ok()) return Fail(has_emails.status());
  auto link_key = LinkSigningKey(config, *has_emails);
  if (!link_key.ok()) return Fail(link_key.status());
  auto sending = BuildEmailSending(config, *sb, clock, *link_key, /*metrics=*/nullptr);
  if (!sending.ok()) return Fail(sending.status());
  PipelineThreads pipeline;
  pipeline.Start({.processor = sending->processor.get(), .workers = std::max(1, config.workers)});
  RunUntilSignal(pipeline);
  return 0;
}

// `stream --skip-to-end`: moves the checkpoint only while no stream processor runs (a
// running one would write its own checkpoint over it).
int SkipStreamToEnd(const Config& config) {
  auto lock = MakeLeaderLock(config, kStreamRole);
  auto mine = lock->TryAcquire();
  if (!mine.ok()) return Fail(mine.status());
  if (!*mine) return Fail(Status::FailedPrecondition("a stream processor is running on this database; stop it first"));
  SystemClock clock;
  auto sb = OpenStoreAndBus(config, clock);
  if (!sb.ok()) return Fail(sb.status());
  if (Status st = StreamProcessor(*sb->store, *sb->bus).SkipToEnd(); !st.ok()) return Fail(st);
  LogInfo("stream checkpoint moved to the end of the change stream");
  return 0;
}

// `sweep`: one at a time. Another running is not a failure: it does the same work.
int Sweep(const Config& config) {
  SystemClock clock;
  auto sb = OpenStoreAndBus(config, clock);
  if (!sb.ok()) return Fail(sb.status());
  Sweeper sweeper(*sb->store, *sb->bus, config.score, clock, Cooldown(config), MakeLeaderLock(config, kSweepRole),
                  /*metrics=*/nullptr, config.targeting_options());
  auto r = sweeper.Run();
  if (!r.ok()) return Fail(r.status());
  if (r->skipped) return 0;  // logged
  std::cout << nlohmann::json{{"scored", r->scored},
                              {"changed", r->changed},
                              {"published", r->published},
                              {"heldBack", r->held_back},
                              {"seconds", r->seconds}}
                   .dump()
            << "\n";
  return 0;
}

// `migrate`: opening the store applies the pending migrations.
int Migrate(const Config& config) {
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  LogInfo("migrated", {{"database", ConfigToJson(config)["RKD_DATABASE_URL"]}});
  return 0;
}

// `backup FILE`: an online copy of the SQLite store (db/sqlite/sqlite_backup.h) and,
// when the links are signed with the key kept in the data folder, that key beside it as
// FILE.unsubscribe.key: a store restored without its key would break every link sent.
int Backup(const Config& config, const std::string& file) {
  if (config.database_url.rfind("sqlite:", 0) != 0)
    return Fail(Status::FailedPrecondition(
        "rekindle backup copies a SQLite store; back up PostgreSQL with its own tools (pg_dump, or base backups "
        "and WAL archiving)"));
  auto copied = BackupSqlite(config.database_url.substr(7), file);
  if (!copied.ok()) return Fail(copied.status());
  nlohmann::json out = {{"file", file},
                        {"bytes", copied->bytes},
                        {"pages", copied->pages},
                        {"seconds", copied->seconds},
                        {"unsubscribeKey", nullptr}};
  const std::string key = config.data_dir() + "/unsubscribe.key";
  std::error_code ec;
  if (config.unsubscribe_secret.empty() && std::filesystem::exists(key, ec)) {
    const std::string key_copy = file + ".unsubscribe.key";
    std::filesystem::copy_file(key, key_copy, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) return Fail(Status::Internal("cannot copy " + key + " to " + key_copy + ": " + ec.message()));
    std::filesystem::permissions(key_copy, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 ec);
    out["unsubscribeKey"] = key_copy;
  }
  LogInfo("backed up", out);
  std::cout << out.dump() << "\n";
  return 0;
}

// `seed`: demo clients with order histories, straight into the store.
int Seed(const Config& config, int users, uint64_t seed, bool if_empty, bool demo_sending) {
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  if (demo_sending) {
    // The environment's values first, the demo's for what they leave unset; a demo runs
    // into the local outbox, never to a real mail server on its own.
    auto values = SettingsFromEnvironment(config);
    for (auto& v : DemoSettings(config)) values.push_back(std::move(v));
    const bool outbox = config.smtp_url.empty();
    if (Status st = SetUpSettings(**store, values, outbox, clock.Now(), "demo"); !st.ok()) return Fail(st);
    if (outbox)
      LogInfo(
          "demo: sending runs unpaused into the local outbox (set the shop's real sender, postal address and "
          "public URL under Settings before sending to real clients)",
          {{"outbox", config.outbox_dir}});
    else
      LogInfo("demo: RKD_SMTP_URL is set, so sending stays paused until `rekindle resume`");
  }
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

// `pause` and `resume`: the sending switch, as POST /api/sending/pause|resume; prints where
// sending stands (GET /api/sending's fields).
int SetSending(const Config& config, bool pause) {
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  if (Status st = SetUpSettings(**store, SettingsFromEnvironment(config), true, clock.Now(), "environment"); !st.ok())
    return Fail(st);
  const Status st = pause ? PauseSending(**store, clock.Now(), "cli") : ResumeSending(**store, clock.Now(), "cli");
  if (!st.ok()) return Fail(st);
  auto now = StoreSendGate(**store).Current(clock.Now());
  if (!now.ok()) return Fail(now.status());
  nlohmann::json out = ToJson(now->state);
  out["sentToday"] = now->sent_today;
  out["sentThisHour"] = now->sent_this_hour;
  std::cout << out.dump() << "\n";
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
  bool demo_sending = false;
  seed_cmd->add_flag("--demo-sending", demo_sending,
                     "Fill the shop's unset settings with demo values and start sending (into the local outbox; "
                     "paused when RKD_SMTP_URL is set), as `make run` does");
  auto* pause_cmd = app.add_subcommand("pause", "Pause sending: nothing goes out until `rekindle resume`");
  auto* resume_cmd = app.add_subcommand("resume", "Resume sending (refused while a setting sending needs is missing)");
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
  auto* backup_cmd = app.add_subcommand(
      "backup", "Copy the SQLite store to FILE while the service runs (and unsubscribe.key to FILE.unsubscribe.key)");
  std::string backup_file;
  backup_cmd->add_option("FILE", backup_file, "Where to write the copy (replaced when it exists)")->required();
  ImportArgs import_args;
  ExportArgs export_args;
  auto* import_cmd = AddImportCommand(app, import_args);
  auto* export_cmd = AddExportCommand(app, export_args);
  ModelArgs model_args;
  auto* model_cmd = AddModelCommand(app, model_args);
  SyncArgs sync_args;
  auto* sync_cmd = AddSyncCommand(app, sync_args);
  for (auto* sub : {serve, api, migrate, seed_cmd, config_cmd, stream_cmd, worker_cmd, sweep_cmd, pause_cmd, resume_cmd,
                    backup_cmd, import_cmd, export_cmd, model_cmd, sync_cmd})
    sub->set_version_flag("--version", std::string("rekindle ") + kVersion);
  CLI11_PARSE(app, argc, argv);

  // The documentation of the settings does not depend on the environment.
  if (env_example || markdown) {
    std::cout << (env_example ? ConfigEnvExample() : ConfigMarkdownTable());
    return 0;
  }
  // An import's and an export's stdout is their output (the summary, the rows): logs go to stderr.
  if (import_cmd->parsed() || export_cmd->parsed() || model_cmd->parsed() || sync_cmd->parsed()) LogToStderr();
  auto config = LoadConfig([](const char* name) { return std::getenv(name); });
  if (!config.ok()) return Fail(config.status());
  SetLogLevel(config->log_level);

  if (config_cmd->parsed()) {
    std::cout << ConfigToJson(*config).dump(2) << "\n";
    return 0;
  }
  if (migrate->parsed()) return Migrate(*config);
  if (seed_cmd->parsed()) return Seed(*config, users, seed, if_empty, demo_sending);
  if (pause_cmd->parsed() || resume_cmd->parsed()) return SetSending(*config, pause_cmd->parsed());
  if (stream_cmd->parsed()) return skip_to_end ? SkipStreamToEnd(*config) : RunStream(*config);
  if (worker_cmd->parsed()) return RunWorker(*config);
  if (sweep_cmd->parsed()) return Sweep(*config);
  if (backup_cmd->parsed()) return Backup(*config, backup_file);
  if (import_cmd->parsed()) return RunImportCommand(*config, import_args, [&] { return Sweep(*config); });
  if (export_cmd->parsed()) return RunExportCommand(*config, export_args);
  if (model_cmd->parsed()) return RunModelCommand(*config, model_args);
  if (sync_cmd->parsed()) return RunSyncCommand(*config, sync_args);
  return Serve(*config, /*with_pipeline=*/!api->parsed());
}

}  // namespace
}  // namespace rkd

int main(int argc, char** argv) {
  rkd::BlockShutdownSignals();
  return rkd::Run(argc, argv);
}
