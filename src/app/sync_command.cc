#include "app/sync_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "app/components.h"

namespace rkd {
namespace {

int Fail(const Status& st) {
  std::cerr << "rekindle: " << st.message() << "\n";
  return st.code() == Code::kInvalidArgument ? 2 : 1;
}

std::string Figures(const ShopSyncProgress& p) {
  return std::to_string(p.pages) + " pages, " + std::to_string(p.fetched) + " fetched, " + std::to_string(p.imported) +
         " imported, " + std::to_string(p.updated) + " updated, " + std::to_string(p.unchanged) + " unchanged, " +
         std::to_string(p.rejected) + " rejected";
}

}  // namespace

CLI::App* AddSyncCommand(CLI::App& app, SyncArgs& args) {
  auto* cmd = app.add_subcommand(
      "sync", "Bring in what changed in the shop since the last sync, through its REST API (orders and customers)");
  cmd->add_option("PLATFORM", args.source, "shopify or woocommerce")
      ->required()
      ->check(CLI::IsMember({"shopify", "woocommerce"}));
  return cmd;
}

std::vector<ShopConnection> ShopConnectionsFromConfig(const Config& config) {
  std::vector<ShopConnection> out;
  if (!config.shopify_shop_url.empty())
    out.push_back(ShopifyConnection(config.shopify_shop_url, config.shopify_access_token, config.shopify_api_version));
  if (!config.woocommerce_url.empty())
    out.push_back(WooCommerceConnection(config.woocommerce_url, config.woocommerce_consumer_key,
                                        config.woocommerce_consumer_secret));
  return out;
}

ShopSyncOptions ShopSyncOptionsFromConfig(const Config& config) {
  return {.interval = Millis{config.shop_sync_interval_minutes} * 60'000, .at_risk_below = config.score.threshold};
}

int RunSyncCommand(const Config& config, const SyncArgs& args) {
  SystemClock clock;
  auto store = OpenStore(config, clock);
  if (!store.ok()) return Fail(store.status());
  ShopSync sync(**store, clock, ShopConnectionsFromConfig(config), ShopSyncOptionsFromConfig(config));
  const bool terminal = isatty(STDERR_FILENO) != 0;
  auto done = sync.RunNow(args.source, "cli", [&](const ShopSyncState& s) {
    if (terminal && s.status == "running") std::cerr << "\r" << args.source << ": " << Figures(s.progress) << "\x1b[K";
  });
  if (terminal) std::cerr << "\r\x1b[K";
  if (!done.ok()) return Fail(done.status());
  const ShopSyncState& s = *done;
  const double seconds = s.started_at && s.finished_at ? double(*s.finished_at - *s.started_at) / 1000.0 : 0;
  char took[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  std::cout << args.source << ": " << s.status << " in " << took << " s: " << Figures(s.progress)
            << "; orders changed up to " << (s.orders_cursor.empty() ? "-" : s.orders_cursor) << ", customers up to "
            << (s.customers_cursor.empty() ? "-" : s.customers_cursor) << "\n";
  if (s.status != "succeeded") return Fail(Status::Unavailable(s.error));
  if (!s.error.empty()) std::cerr << "rekindle: the last record refused: " << s.error << "\n";
  return 0;
}

}  // namespace rkd
