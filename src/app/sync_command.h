// `rekindle sync shopify|woocommerce` (issue 17): one reconciliation of a shop with its
// REST API, on this thread, its progress on a terminal; and the connections and options
// the servers' schedule (integrations/shop_sync.h) takes from the settings.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "app/config.h"
#include "integrations/shop_sync.h"

namespace rkd {

struct SyncArgs {
  std::string source;  // shopify | woocommerce
};

// Adds `sync` to `app`; returns it (parsed() says it ran).
CLI::App* AddSyncCommand(CLI::App& app, SyncArgs& args);
int RunSyncCommand(const Config& config, const SyncArgs& args);

// The platforms whose REST API is configured (RKD_SHOPIFY_SHOP_URL, RKD_WOOCOMMERCE_URL).
std::vector<ShopConnection> ShopConnectionsFromConfig(const Config& config);
ShopSyncOptions ShopSyncOptionsFromConfig(const Config& config);

}  // namespace rkd
