// The effective configuration: defaults overridden by environment variables (12-factor).
// Loaded once in main and passed down; immutable after. Every variable is one row of the
// table in config.cc (name, parser, description, default, secret or not), from which
// loading, `rekindle config`, deploy/rekindle.env.example and the README's configuration
// table all come (config_test.cc keeps the last two equal to what the table generates).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/score.h"
#include "domain/targeting.h"

namespace rkd {

struct Config {
  std::string database_url = "sqlite:data/rekindle.db";
  int pg_pool_size = 8;                  // PostgreSQL: connections per process at most
  int pg_statement_timeout_ms = 10'000;  // PostgreSQL: per statement, and per lock wait
  std::string bus_url = "embedded";      // or sqlite:PATH, or nats://host:4222[,nats://host2:4222…]
  std::string bus_namespace = "rkd";     // NATS: prefixes streams and subjects, so installs can share a server
  int nats_replicas = 1;                 // NATS: stream replicas (3 on a 3-node cluster)
  std::string http_addr = "127.0.0.1:8080";
  int http_threads = 0;     // 0: one per core
  int import_max_mb = 256;  // POST /api/imports' body limit
  ScoreRules score;
  int email_cooldown_days = 7;
  int visibility_timeout_s = 300;
  int retention_days = 14;
  int max_receives = 5;
  std::string openai_api_key;
  std::string openai_base_url = "https://api.openai.com/v1";
  std::string openai_model = "gpt-4o-mini";
  // The LLM writer (RKD_WRITER: "template", "openai"; empty: openai when OPENAI_API_KEY is set).
  std::string writer;
  int openai_concurrency = 32;  // requests in flight at once
  int openai_rpm = 500;         // client-side requests per minute (0: no limit)
  int openai_tpm = 200'000;     // client-side tokens per minute (0: no limit)
  int openai_max_tokens = 800;  // per completion
  int openai_timeout_s = 30;    // one request, start to end
  int openai_connect_timeout_s = 5;
  int openai_max_retries = 3;       // per email, after the first attempt
  int openai_budget_s = 60;         // all attempts for one email (at most half the visibility timeout)
  int openai_breaker_failures = 5;  // failed requests in a row that open the circuit breaker
  int openai_breaker_cooldown_s = 30;
  bool use_openai_writer() const { return writer == "openai" || (writer.empty() && !openai_api_key.empty()); }
  std::string smtp_url;  // empty: the outbox mailer
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_starttls = "try";  // "try" or "required" (smtp://; smtps:// is implicit TLS)
  bool smtp_verify_tls = true;
  int smtp_pool = 4;
  double smtp_rate = 0;  // messages per second, 0: unlimited
  std::string mail_reply_to;
  std::string postal_address;      // printed in every email's footer (CAN-SPAM, RFC 8058 practice)
  std::string unsubscribe_secret;  // signs links in emails; empty: a key kept in the data folder
  double holdout_share = 0.10;     // of eligible clients at risk, not emailed (the lift's baseline)
  int attribution_days = 7;        // an order this soon after an email converts it
  bool tracking = true;            // open pixel and click redirects
  std::string mail_from = "Rekindle <hello@rekindle.example>";
  // /hooks/ses: SNS certificate hosts, the shared secret for direct posts, and a TEST-ONLY
  // switch that also accepts http:// and loopback certificate URLs (never in production).
  std::vector<std::string> sns_cert_hosts = {"sns.*.amazonaws.com"};
  std::string ses_webhook_secret;
  std::vector<std::string> sns_topic_arns;  // empty: notifications from any topic
  int sns_max_age_s = 3600;
  bool sns_allow_insecure_cert_url = false;
  // /hooks/shopify, /hooks/woocommerce: the secrets their deliveries are signed with (two
  // during a rotation); empty: that platform is not connected.
  std::vector<std::string> shopify_webhook_secrets;
  std::vector<std::string> woocommerce_webhook_secrets;
  int webhook_first_retry_ms = 5000;  // outgoing webhooks' retry schedule unit (webhook_sender.h)
  bool webhook_allow_internal = false;
  int webhook_retention_days = 30;
  // `rekindle sync` and its schedule (shop_sync.h): each platform's REST API, where set.
  std::string shopify_shop_url;  // https://<shop>.myshopify.com
  std::string shopify_access_token;
  std::string shopify_api_version = "2024-10";
  std::string woocommerce_url;  // the WordPress site's https:// address
  std::string woocommerce_consumer_key;
  std::string woocommerce_consumer_secret;
  int shop_sync_interval_minutes = 60;  // 0: only when asked
  // RKD_API_KEYS: the keys alone, and each one's name (as given in "name:key", else
  // key-<i+1>), which request logs show instead of the key.
  std::vector<std::string> api_keys;
  std::vector<std::string> api_key_names;
  // RKD_TRUSTED_PROXIES: addresses and CIDRs (validated) whose X-Forwarded-For is believed.
  std::vector<std::string> trusted_proxies;
  // Make a new unsubscribe.key even for a store that has emails (RKD_ROTATE_UNSUBSCRIBE_KEY).
  bool rotate_unsubscribe_key = false;
  // A failed delivery keeps /health degraded and the banner up this long.
  int alert_window_minutes = 60;
  std::string metrics_token;  // GET /metrics: this bearer token alone; empty: the API keys (if any)
  std::vector<std::string> cors_origins;
  // A list's page: its size when the request names no limit, and the largest it may name.
  int default_page_limit = 50;
  int max_page_limit = 500;
  std::string log_level = "info";
  std::string web_dir;  // empty: the dashboard built into the binary; else a folder of built files
  // Host names the HTTP server answers for, beside its own address, localhost and
  // RKD_PUBLIC_URL's host ("*": any, e.g. behind a balancer that checks Host itself).
  std::vector<std::string> allowed_hosts;
  int workers = 4;  // email processor threads in serve / worker
  int sweep_interval_s = 86400;
  int due_scan_interval_s = 60;
  int change_retention_hours = 24;  // published change records kept this long
  int retry_base_ms = 1000;
  std::string shop_url = "https://shop.example.com";
  std::string public_url;         // base of links to Rekindle itself (unsubscribe); default from RKD_HTTP_ADDR
  bool public_url_given = false;  // RKD_PUBLIC_URL was set (else serve uses the port it bound)
  std::string outbox_dir;         // default: "outbox" beside the SQLite database
  std::string templates_dir;      // empty: the templates built into the binary
  // Churn and value models (issue 11): the churn horizon and CLV of every prediction, and
  // the least data a fit is attempted on.
  int churn_horizon_days = 90;
  int clv_months = 12;
  double clv_monthly_discount = 0.01;
  int model_min_clients = 500;       // clients with an order
  int model_min_history_days = 180;  // first order to the fit's day
  int model_refit_hours = 24;        // the sweep's process refits when the latest fit is older (0: never)
  std::string targeting = "score";   // who the win-back flow is for: score, churn, both
  double churn_threshold = 0.7;      // churn and both: a churn probability above this chooses the client

  // RKD_TARGETING and RKD_CHURN_THRESHOLD as the pipeline takes them.
  Targeting targeting_options() const;

  // The embedded bus's SQLite file: RKD_BUS_URL "embedded" puts it beside the store's
  // database ("data/rekindle.db" → "data/rekindle-bus.db"); "sqlite:PATH" names it.
  std::string bus_path() const;
  // The lock file of a part of the pipeline that runs one at a time (`role`: "stream",
  // "sweep"), beside the SQLite database: "data/rekindle-stream.lock".
  std::string lock_path(const std::string& role) const;
  // The folder that holds the SQLite database (for defaults placed beside it).
  std::string data_dir() const;
  // The SQLite database's path without its extension.
  std::string database_stem() const;

  // RKD_HTTP_ADDR split into host and port.
  std::string http_host() const;
  int http_port() const;
  // Every host name a request's Host header may name (see allowed_hosts), lowercase.
  std::vector<std::string> host_names() const;
};

// Reads every variable of the table through `getenv` (nullptr when unset; an empty value
// counts as unset). InvalidArgument, with the variable's name as the field, for a value
// that does not parse or is out of range.
Result<Config> LoadConfig(const std::function<const char*(const char*)>& getenv);

// The configuration as `rekindle config` prints it, by variable name. A secret shows
// only "set" or "unset"; a password inside a URL shows as ****.
nlohmann::json ConfigToJson(const Config& config);

// The names of the secret variables (API keys, passwords, signing secrets).
std::vector<std::string> SecretSettingNames();

// deploy/rekindle.env.example as the table generates it (`rekindle config --env-example`).
std::string ConfigEnvExample();

// The README's configuration table as the table generates it, a Markdown table ending
// in a newline (`rekindle config --markdown`).
std::string ConfigMarkdownTable();

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

}  // namespace rkd
