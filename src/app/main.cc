// rekindle: the one binary. Reading main tells the whole service: configuration, then
// the store, then the API, wired explicitly in dependency order.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "api/api.h"
#include "app/config.h"
#include "app/demo_data.h"
#include "base/log.h"
#include "http/access.h"
#include "http/server.h"
#include "http/static_files.h"
#include "store/sqlite/sqlite_store.h"

namespace rkd {
namespace {

constexpr const char* kVersion = "0.1.0";

int Fail(const Status& st) {
  LogError("fatal", {{"error", st.ToString()}});
  std::cerr << "rekindle: " << st.message() << "\n";
  return 1;
}

Result<std::unique_ptr<Store>> OpenStore(const Config& config, const Clock& clock) {
  if (config.database_url.rfind("sqlite:", 0) == 0) {
    auto store = SqliteStore::Open(config.database_url.substr(7), config.score, &clock);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  return Status::FailedPrecondition("RKD_DATABASE_URL " + config.database_url.substr(0, 11) +
                                    "… is not supported by this build yet; use sqlite:PATH");
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

int Serve(const Config& config) {
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  if (!IsLoopbackHost(config.http_host()) && config.api_keys.empty())
    return Fail(Status::FailedPrecondition("refusing to listen on " + config.http_addr +
                                           " without API keys: set RKD_API_KEYS, or listen on 127.0.0.1"));
  ApiContext ctx{**store, config.score, clock, kVersion, clock.Now()};
  Router router;
  RegisterHealthRoutes(router, ctx);
  RegisterUserRoutes(router, ctx);
  RegisterOrderRoutes(router, ctx);
  RegisterEmailRoutes(router, ctx);
  StaticFiles web(config.web_dir);
  router.SetFallback([&web](HttpRequest& req) { return web.Serve(req); });
  AccessPolicy access({config.api_keys, config.cors_origins});

  ServerOptions options;
  options.host = config.http_host() == "localhost" ? "127.0.0.1" : config.http_host();
  options.port = static_cast<uint16_t>(config.http_port());
  options.threads = config.http_threads > 0 ? config.http_threads
                                            : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  HttpServer server(options, WithAccess(access, router));
  if (Status st = server.Start(); !st.ok()) return Fail(st);
  LogInfo("listening", {{"addr", options.host + ":" + std::to_string(server.port())},
                        {"port", server.port()},
                        {"database", ConfigToJson(config)["RKD_DATABASE_URL"]},
                        {"version", kVersion}});
  const int sig = WaitForShutdownSignal();
  LogInfo("shutting down", {{"signal", sig}});
  server.Stop();
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
  CLI::App app{"Rekindle: finds the clients who drift away and wins them back.\n"
               "Configured by environment variables (see `rekindle config`)."};
  app.set_version_flag("--version", std::string("rekindle ") + kVersion);
  app.require_subcommand(1);
  auto* serve = app.add_subcommand("serve", "Serve the REST API (and, later, the pipeline) on RKD_HTTP_ADDR");
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  auto* seed_cmd = app.add_subcommand("seed", "Load synthetic demo clients with order histories");
  int users = 1000;
  uint64_t seed = 42;
  bool if_empty = false;
  seed_cmd->add_option("--users", users, "How many clients to create")->check(CLI::Range(1, 10'000'000));
  seed_cmd->add_option("--seed", seed, "Random seed: the same seed gives the same clients");
  seed_cmd->add_flag("--if-empty", if_empty, "Do nothing when the database already has users");
  auto* config_cmd = app.add_subcommand("config", "Print the effective configuration (secrets masked)");
  for (auto* sub : {serve, migrate, seed_cmd, config_cmd}) sub->set_version_flag("--version", std::string("rekindle ") + kVersion);
  CLI11_PARSE(app, argc, argv);

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
  return Serve(*config);
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
