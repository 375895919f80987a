#include "app/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <regex>
#include <sstream>

#include "http/client_address.h"
#include "store/list_query.h"

namespace rkd {
namespace {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// 75, 0.1, 100000: the shortest form that reads back the same.
std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "smtp://user:secret@host" → "smtp://user:****@host".
std::string MaskOneUrlPassword(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "****" + url.substr(at);
}

// Masks the password of every URL in a comma-separated list (a NATS cluster's servers).
std::string MaskUrlPassword(const std::string& urls) {
  std::string out;
  for (size_t start = 0; start <= urls.size();) {
    size_t comma = urls.find(',', start);
    if (comma == std::string::npos) comma = urls.size();
    out += (start ? "," : "") + MaskOneUrlPassword(urls.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// How one variable is read into the Config, and read back out for `rekindle config`.
struct Parser {
  // Stores the variable's value (never empty: an empty variable counts as unset).
  std::function<Status(const char* name, const std::string& value, Config& config)> apply;
  // The value as `rekindle config` shows it (not used for secrets).
  std::function<nlohmann::json(const Config& config)> show;
  // The values allowed, for the documentation ("1 to 1000", "try, required"); empty: any.
  std::string allowed;
};

Parser Int(int Config::*field, int min, int max) {
  return {[=](const char* name, const std::string& value, Config& c) {
            int v = 0;
            const char* end = value.data() + value.size();
            auto [p, ec] = std::from_chars(value.data(), end, v);
            if (ec != std::errc() || p != end || v < min || v > max)
              return Status::InvalidArgument(std::string(name) + " must be a whole number from " + std::to_string(min) +
                                                 " to " + std::to_string(max),
                                             name);
            c.*field = v;
            return Status::Ok();
          },
          [=](const Config& c) { return nlohmann::json(c.*field); },
          std::to_string(min) + " to " + std::to_string(max)};
}

Status ReadReal(const char* name, const std::string& value, double min, double max, double* out) {
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0' || !std::isfinite(v) || v < min || v > max)
    return Status::InvalidArgument(
        std::string(name) + " must be a number from " + FormatNumber(min) + " to " + FormatNumber(max), name);
  *out = v;
  return Status::Ok();
}

Parser Real(double Config::*field, double min, double max) {
  return {[=](const char* name, const std::string& value, Config& c) {
            return ReadReal(name, value, min, max, &(c.*field));
          },
          [=](const Config& c) { return nlohmann::json(c.*field); }, FormatNumber(min) + " to " + FormatNumber(max)};
}

// A weight of the score (Config::score).
Parser ScoreReal(double ScoreRules::*field, double min, double max) {
  return {[=](const char* name, const std::string& value, Config& c) {
            return ReadReal(name, value, min, max, &(c.score.*field));
          },
          [=](const Config& c) { return nlohmann::json(c.score.*field); },
          FormatNumber(min) + " to " + FormatNumber(max)};
}

Parser Text(std::string Config::*field) {
  return {[=](const char*, const std::string& value, Config& c) {
            c.*field = value;
            return Status::Ok();
          },
          [=](const Config& c) { return nlohmann::json(c.*field); },
          {}};
}

// A URL, or a comma-separated list of them, that must start with one of `schemes`;
// `rekindle config` masks the password a URL may carry.
Parser Url(std::string Config::*field, std::vector<std::string> schemes) {
  const std::string allowed = Join(schemes, ", ");
  return {[=](const char* name, const std::string& value, Config& c) {
            if (!schemes.empty() && std::none_of(schemes.begin(), schemes.end(),
                                                 [&](const std::string& s) { return value.rfind(s, 0) == 0; }))
              return Status::InvalidArgument(std::string(name) + " must start with " + Join(schemes, " or "), name);
            c.*field = value;
            return Status::Ok();
          },
          [=](const Config& c) { return nlohmann::json(MaskUrlPassword(c.*field)); },
          schemes.empty() ? std::string() : "URLs starting with " + allowed};
}

Parser Choice(std::string Config::*field, std::vector<std::string> choices) {
  return {[=](const char* name, const std::string& value, Config& c) {
            if (std::find(choices.begin(), choices.end(), value) == choices.end())
              return Status::InvalidArgument(std::string(name) + " must be " + Join(choices, " or "), name);
            c.*field = value;
            return Status::Ok();
          },
          [=](const Config& c) { return nlohmann::json(c.*field); }, Join(choices, ", ")};
}

// A comma-separated list; spaces around the items are dropped.
Parser List(std::vector<std::string> Config::*field) {
  return {[=](const char*, const std::string& value, Config& c) {
            c.*field = SplitList(value);
            return Status::Ok();
          },
          [=](const Config& c) { return nlohmann::json(c.*field); }, "a comma-separated list"};
}

// A shop's address: https://, or http:// to a loopback host (a test shop on this
// machine): its API credentials never cross a network in clear. Kept without a
// trailing '/'.
Parser ShopUrl(std::string Config::*field) {
  return {[=](const char* name, const std::string& value, Config& c) {
            static const std::regex kShopUrl(
                R"((https://[^/?#@\s]+|http://(localhost|127\.[0-9.]+|\[::1\])(:[0-9]+)?)(/[^?#\s]*)?)");
            if (!std::regex_match(value, kShopUrl))
              return Status::InvalidArgument(std::string(name) +
                                                 " must be an https:// address with no query (http:// only to a "
                                                 "loopback test shop)",
                                             name);
            std::string url = value;
            while (!url.empty() && url.back() == '/') url.pop_back();
            c.*field = url;
            return Status::Ok();
          },
          [=](const Config& c) { return nlohmann::json(c.*field); }, "an https:// address"};
}

// A switch spelled `on_word` or `off_word` (true/false, on/off).
Parser Switch(bool Config::*field, std::string on_word, std::string off_word, bool show_as_bool) {
  return {[=](const char* name, const std::string& value, Config& c) {
            if (value != on_word && value != off_word)
              return Status::InvalidArgument(std::string(name) + " must be " + on_word + " or " + off_word, name);
            c.*field = value == on_word;
            return Status::Ok();
          },
          [=](const Config& c) {
            return show_as_bool ? nlohmann::json(c.*field) : nlohmann::json(c.*field ? on_word : off_word);
          },
          on_word + ", " + off_word};
}

// One environment variable: the one place that names it, documents it and reads it.
struct Setting {
  const char* name;
  const char* section;      // its heading in deploy/rekindle.env.example
  const char* description;  // the README's meaning and the env example's comment
  Parser parser;
  bool secret = false;  // `rekindle config` shows only whether it is set
  // The default as documented, when the default Config's value does not say it (a value
  // derived from other settings); empty: the default Config's value.
  const char* default_doc = "";
  // The env example sets the variable to this (a multi-host install must set it:
  // CHANGE-ME marks what to replace), or shows it commented out when `example_set` is
  // false; empty: the default, commented out.
  const char* example = "";
  bool example_set = false;
  // Replaces parser.show for `rekindle config` (a value derived from several fields).
  std::function<nlohmann::json(const Config&)> show = nullptr;
};

constexpr const char* kStore = "Store and bus";
constexpr const char* kHttp = "HTTP (rekindle api and serve)";
constexpr const char* kPipeline = "Pipeline";
constexpr const char* kScore = "Scoring";
constexpr const char* kModels = "Churn and value models (rekindle model fit, GET /api/model)";
constexpr const char* kDelivery = "Delivery";
constexpr const char* kLlm = "Writing the emails with an LLM (OpenAI-compatible); without a key, templates write them";
constexpr const char* kEffect = "Links, effectiveness, bounces";
constexpr const char* kShop = "Webhooks (Shopify and WooCommerce in, events out)";
constexpr const char* kLogs = "Logs (JSON lines on stdout, to the journal)";

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      // Store and bus.
      {.name = "RKD_DATABASE_URL",
       .section = kStore,
       .description = "The store: `sqlite:PATH`, or PostgreSQL 15 as a libpq URI `postgres://user:pass@host:5432/db` "
                      "(add `?sslmode=verify-full&sslrootcert=/etc/rekindle/pg-ca.crt` for TLS). PostgreSQL holds "
                      "users, orders, emails, the change stream, checkpoints, and the advisory locks that elect the "
                      "stream leader and keep sweeps one at a time.",
       .parser = Url(&Config::database_url, {"sqlite:", "postgres://", "postgresql://"}),
       .example = "postgres://rekindle:CHANGE-ME@pg.internal:5432/rekindle",
       .example_set = true},
      {.name = "RKD_PG_POOL_SIZE",
       .section = kStore,
       .description = "PostgreSQL: connections in each process's pool (a stream processor or a sweep holds one more, "
                      "for its lock). Set the server's max_connections above processes × (this + 1), plus a margin.",
       .parser = Int(&Config::pg_pool_size, 1, 1000)},
      {.name = "RKD_PG_STATEMENT_TIMEOUT_MS",
       .section = kStore,
       .description = "PostgreSQL: the statement timeout, which also bounds lock waits, in milliseconds.",
       .parser = Int(&Config::pg_statement_timeout_ms, 100, 3'600'000)},
      {.name = "RKD_BUS_URL",
       .section = kStore,
       .description = "The bus: `embedded` (a SQLite file beside the store's database), `sqlite:PATH`, or NATS "
                      "JetStream: `nats://host:4222`, every server of a cluster comma-separated (the client fails "
                      "over between them).",
       .parser = Url(&Config::bus_url, {"embedded", "sqlite:", "nats://"}),
       .example = "nats://n1.internal:4222,nats://n2.internal:4222,nats://n3.internal:4222",
       .example_set = true},
      {.name = "RKD_NATS_REPLICAS",
       .section = kStore,
       .description = "NATS: replicas of every stream Rekindle creates: 3 on a 3-node cluster (an acknowledged "
                      "publish is then held by 2 of the 3 servers; see docs/nats-durability.md), 1 for a single "
                      "nats-server.",
       .parser = Int(&Config::nats_replicas, 1, 5),
       .example = "3",
       .example_set = true},
      {.name = "RKD_BUS_NAMESPACE",
       .section = kStore,
       .description = "NATS: prefixes every stream and subject, so several installs (production, staging) can share "
                      "one cluster. Letters, digits, - and _.",
       .parser = {[](const char* name, const std::string& value, Config& c) {
                    if (value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                        std::string::npos)
                      return Status::InvalidArgument(std::string(name) + " may hold only letters, digits, - and _",
                                                     name);
                    c.bus_namespace = value;
                    return Status::Ok();
                  },
                  [](const Config& c) { return nlohmann::json(c.bus_namespace); },
                  {}}},

      // HTTP.
      {.name = "RKD_HTTP_ADDR",
       .section = kHttp,
       .description = "Where `serve` and `api` listen, host:port; port 0 picks a free port (logged). A "
                      "non-loopback address requires RKD_API_KEYS.",
       .parser = {[](const char* name, const std::string& value, Config& c) {
                    Config probe;
                    probe.http_addr = value;
                    const int port = probe.http_port();
                    if (value.rfind(':') == std::string::npos || port < 0 || port > 65535 || probe.http_host().empty())
                      return Status::InvalidArgument(std::string(name) + " must be host:port, e.g. 127.0.0.1:8080",
                                                     name);
                    c.http_addr = value;
                    return Status::Ok();
                  },
                  [](const Config& c) { return nlohmann::json(c.http_addr); }, "host:port"},
       .example = "0.0.0.0:8080",
       .example_set = true},
      {.name = "RKD_HTTP_THREADS",
       .section = kHttp,
       .description = "HTTP worker threads; 0: 8 (handlers may block on the database; 8 measured best on 2 cores).",
       .parser = Int(&Config::http_threads, 0, 256)},
      {.name = "RKD_IMPORT_MAX_MB",
       .section = kHttp,
       .description = "The largest file POST /api/imports takes, in MiB (other requests stay at 1 MiB). Only a "
                      "request with a valid API key may send more than 1 MiB; the upload is held in memory until "
                      "it is spooled to the data folder. Larger histories import with `rekindle import`.",
       .parser = Int(&Config::import_max_mb, 1, 4096)},
      {.name = "RKD_API_KEYS",
       .section = kHttp,
       .description = "Comma-separated keys, each `name:key` or a bare key (named key-1, key-2… by its place in the "
                      "list); when set, every /api route needs `Authorization: Bearer KEY` (/health, /u/…, /t/… and "
                      "/hooks/… stay open: the load balancer, email links, SES and the shop platforms). Each request's "
                      "log line names the "
                      "key's name, never the key. Names: letters, digits, `.`, `_`, `-`. Generate a key with "
                      "`openssl rand -hex 32`.",
       .parser = {[](const char* name, const std::string& value, Config& c) {
                    c.api_keys.clear();
                    c.api_key_names.clear();
                    for (const std::string& item : SplitList(value)) {
                      const size_t colon = item.find(':');
                      std::string key_name = colon == std::string::npos ? "key-" + std::to_string(c.api_keys.size() + 1)
                                                                        : item.substr(0, colon);
                      std::string key = colon == std::string::npos ? item : item.substr(colon + 1);
                      // The error names the item's place, never the key.
                      const std::string which = " (item " + std::to_string(c.api_keys.size() + 1) + ")";
                      if (key_name.empty() || key_name.size() > 64 ||
                          key_name.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != std::string::npos)
                        return Status::InvalidArgument(
                            std::string(name) + which + ": a key's name is 1 to 64 letters, digits, '.', '_' or '-'",
                            name);
                      if (key.empty()) return Status::InvalidArgument(std::string(name) + which + ": empty key", name);
                      if (std::find(c.api_key_names.begin(), c.api_key_names.end(), key_name) != c.api_key_names.end())
                        return Status::InvalidArgument(
                            std::string(name) + which + ": the name " + key_name + " is given twice", name);
                      c.api_keys.push_back(std::move(key));
                      c.api_key_names.push_back(std::move(key_name));
                    }
                    return Status::Ok();
                  },
                  [](const Config& c) { return nlohmann::json(c.api_keys); }, "a comma-separated list"},
       .secret = true,
       .example = "dashboard:CHANGE-ME-1,deploy:CHANGE-ME-2",
       .example_set = true},
      {.name = "RKD_METRICS_TOKEN",
       .section = kHttp,
       .description = "When set, GET /metrics needs `Authorization: Bearer TOKEN` (and only that); else the API keys "
                      "when set; open when neither is. See docs/metrics.md.",
       .parser = Text(&Config::metrics_token),
       .secret = true},
      {.name = "RKD_PUBLIC_URL",
       .section = kHttp,
       .description = "The public base URL of links back to Rekindle in emails (unsubscribe, clicks, opens): on a "
                      "multi-host install, the load balancer in front of the api hosts. The default is only right "
                      "for a single `rekindle serve`, which uses the port it bound. *Seeds* the settings when set.",
       .parser = Text(&Config::public_url),
       .default_doc = "http://RKD_HTTP_ADDR",
       .example = "https://rekindle.shop.example",
       .example_set = true},
      {.name = "RKD_TRUSTED_PROXIES",
       .section = kHttp,
       .description = "Reverse proxies (addresses or CIDR networks, comma-separated) whose `X-Forwarded-For` names "
                      "the client: a request from one of them is logged with the address the proxy saw; from "
                      "anyone else the header is ignored. Unset: the TCP peer is the client.",
       .parser = {[](const char* name, const std::string& value, Config& c) {
                    c.trusted_proxies = SplitList(value);
                    for (const std::string& network : c.trusted_proxies)
                      if (auto parsed = ParseCidr(network, name); !parsed.ok()) return parsed.status();
                    return Status::Ok();
                  },
                  [](const Config& c) { return nlohmann::json(c.trusted_proxies); },
                  "addresses and networks such as 127.0.0.1, 10.0.0.0/8, fd00::/8"},
       .example = "127.0.0.1"},
      {.name = "RKD_CORS_ORIGINS",
       .section = kHttp,
       .description = "Browser origins allowed to call the API from another site, comma-separated (`*` for any).",
       .parser = List(&Config::cors_origins)},
      {.name = "RKD_DEFAULT_PAGE_LIMIT",
       .section = kHttp,
       .description = "Items in a list's page when the request names no `limit` (clients, emails, orders, "
                      "suppressions). Raise it, with RKD_MAX_PAGE_LIMIT, for a dashboard that never pages (the "
                      "seed's: README).",
       .parser = Int(&Config::default_page_limit, 1, kPageLimitCeiling)},
      {.name = "RKD_MAX_PAGE_LIMIT",
       .section = kHttp,
       .description = "The largest `limit` a list request may ask for; at least RKD_DEFAULT_PAGE_LIMIT.",
       .parser = Int(&Config::max_page_limit, 1, kPageLimitCeiling)},
      {.name = "RKD_ALLOWED_HOSTS",
       .section = kHttp,
       .description = "Host names the server answers for besides localhost, 127.0.0.1, its bound address and "
                      "RKD_PUBLIC_URL's host, comma-separated: any other Host header is a 400 (DNS rebinding). `*` "
                      "accepts any, for a balancer whose health checks name the instance's own address.",
       .parser = List(&Config::allowed_hosts)},
      {.name = "RKD_WEB_DIR",
       .section = kHttp,
       .description = "The dashboard is built into the binary and served at /. Set a folder of built files "
                      "(web/dist) only to serve another build than the one it carries.",
       .parser = Text(&Config::web_dir),
       .default_doc = "(built in)",
       .show = [](const Config& c) { return nlohmann::json(c.web_dir.empty() ? "(built in)" : c.web_dir); }},

      // Pipeline.
      {.name = "RKD_WORKERS",
       .section = kPipeline,
       .description = "Email processor threads in `serve` and in each `rekindle worker` (which runs at least one; 0 "
                      "in `serve`: none, run `rekindle worker` instead). Each receives batches of up to 10 events.",
       .parser = Int(&Config::workers, 0, 256)},
      {.name = "RKD_VISIBILITY_TIMEOUT_S",
       .section = kPipeline,
       .description = "A received event is invisible to other workers this long, then redelivered (the consumer's "
                      "AckWait on NATS). Keep it above the LLM writer's budget.",
       .parser = Int(&Config::visibility_timeout_s, 1, 43200)},
      {.name = "RKD_MAX_RECEIVES",
       .section = kPipeline,
       .description = "Receives before an event moves to the dead-letter queue (MaxDeliver on NATS).",
       .parser = Int(&Config::max_receives, 1, 1000)},
      {.name = "RKD_RETENTION_DAYS",
       .section = kPipeline,
       .description = "How long events are kept on the bus, in days (MaxAge on NATS).",
       .parser = Int(&Config::retention_days, 1, 14)},
      {.name = "RKD_RETRY_BASE_MS",
       .section = kPipeline,
       .description = "A failed event is retried after base × 2^(receive − 1) ms, capped at the visibility timeout.",
       .parser = Int(&Config::retry_base_ms, 1, 3'600'000)},
      {.name = "RKD_ALERT_WINDOW_MINUTES",
       .section = kPipeline,
       .description = "A delivery that failed (an email marked FAILED) keeps GET /health `degraded` and the "
                      "dashboard's banner up for this many minutes; dead letters keep them up until redriven or "
                      "expired.",
       .parser = Int(&Config::alert_window_minutes, 1, 10080)},
      {.name = "RKD_SWEEP_INTERVAL_S",
       .section = kPipeline,
       .description = "How often `rekindle serve` sweeps (re-scores every client); a multi-host install sweeps with "
                      "rekindle-sweep.timer instead.",
       .parser = Int(&Config::sweep_interval_s, 1, 365 * 86400)},
      {.name = "RKD_DUE_SCAN_INTERVAL_S",
       .section = kPipeline,
       .description = "How often `rekindle serve` looks for journey steps that have fallen due (a cheap indexed "
                      "read) and hands them to the email processor.",
       .parser = Int(&Config::due_scan_interval_s, 1, 86400)},
      {.name = "RKD_CHANGE_RETENTION_HOURS",
       .section = kPipeline,
       .description = "The change stream keeps a published record this many hours, then the stream processor deletes "
                      "it (0: once published); an unpublished record is never deleted.",
       .parser = Int(&Config::change_retention_hours, 0, 24 * 366)},
      {.name = "RKD_EMAIL_COOLDOWN_DAYS",
       .section = kPipeline,
       .description = "No second email to a client within this many days.",
       .parser = Int(&Config::email_cooldown_days, 0, 3650)},

      // Scoring.
      {.name = "RKD_SCORE_THRESHOLD",
       .section = kScore,
       .description = "\"At risk\" means engagementScore below this.",
       .parser = ScoreReal(&ScoreRules::threshold, 0, 100)},
      {.name = "RKD_SCORE_RECENCY_PENALTY_30",
       .section = kScore,
       .description = "Subtracted when the last order (or the sign-up, without orders) is more than 30 days ago.",
       .parser = ScoreReal(&ScoreRules::recency_penalty_1, 0, 100)},
      {.name = "RKD_SCORE_RECENCY_PENALTY_60",
       .section = kScore,
       .description = "Subtracted instead when it is more than 60 days ago.",
       .parser = ScoreReal(&ScoreRules::recency_penalty_2, 0, 100)},
      {.name = "RKD_SCORE_RECENCY_PENALTY_90",
       .section = kScore,
       .description = "Subtracted instead when it is more than 90 days ago.",
       .parser = ScoreReal(&ScoreRules::recency_penalty_3, 0, 100)},
      {.name = "RKD_SCORE_ORDERS_WEIGHT",
       .section = kScore,
       .description = "Added × min(orderCount / 10, 1).",
       .parser = ScoreReal(&ScoreRules::orders_weight, 0, 100)},
      {.name = "RKD_SCORE_VALUE_WEIGHT",
       .section = kScore,
       .description = "Added × min(averageOrderValue / 200, 1).",
       .parser = ScoreReal(&ScoreRules::value_weight, 0, 100)},
      {.name = "RKD_SCORE_RECENT_EMAIL_PENALTY",
       .section = kScore,
       .description = "Subtracted when the client was emailed in the last 7 days.",
       .parser = ScoreReal(&ScoreRules::recent_email_penalty, 0, 100)},

      // Churn and value models (issue 11).
      {.name = "RKD_CHURN_HORIZON_DAYS",
       .section = kModels,
       .description = "A client's churn probability is the fitted model's chance of no order in this many days "
                      "after the fit's day; their expected orders count the same days.",
       .parser = Int(&Config::churn_horizon_days, 1, 3650)},
      {.name = "RKD_CLV_MONTHS",
       .section = kModels,
       .description = "A client's predicted value counts the orders the model expects in this many months "
                      "(0: none), each worth the spend model's expected order value.",
       .parser = Int(&Config::clv_months, 0, 1200)},
      {.name = "RKD_CLV_MONTHLY_DISCOUNT",
       .section = kModels,
       .description = "The predicted value discounts month m's orders by 1 / (1 + this)^m.",
       .parser = Real(&Config::clv_monthly_discount, 0, 1)},
      {.name = "RKD_MODEL_MIN_CLIENTS",
       .section = kModels,
       .description = "A fit is refused with fewer clients with an order than this (the parameters of a few "
                      "clients mean little).",
       .parser = Int(&Config::model_min_clients, 1, 100'000'000)},
      {.name = "RKD_MODEL_MIN_HISTORY_DAYS",
       .section = kModels,
       .description = "A fit is refused when the first order is fewer than this many days before the fit's day.",
       .parser = Int(&Config::model_min_history_days, 1, 36500)},
      {.name = "RKD_MODEL_REFIT_HOURS",
       .section = kModels,
       .description = "Where the pipeline sweeps, the models are refitted on the whole history once the latest fit "
                      "is this many hours old (0: only by hand); a refit the data cannot support is tried again an "
                      "hour later, and GET /api/model says why.",
       .parser = Int(&Config::model_refit_hours, 0, 8760)},
      {.name = "RKD_TARGETING",
       .section = kModels,
       .description = "Who the win-back journey is for: score (the engagement score below its threshold), churn "
                      "(the model's churn probability above RKD_CHURN_THRESHOLD; under a send cap the sweep "
                      "hands over as many as the cap leaves of the day, the most value at stake first) or both (either "
                      "rule). Each email and holdout record "
                      "stores the rule that chose the client, and GET /api/effectiveness splits the lift by it.",
       .parser = Choice(&Config::targeting, {"score", "churn", "both"})},
      {.name = "RKD_CHURN_THRESHOLD",
       .section = kModels,
       .description = "With RKD_TARGETING churn or both: a client whose churn probability (no order in "
                      "RKD_CHURN_HORIZON_DAYS) is above this is chosen. A prediction made before the client's "
                      "latest order is not used.",
       .parser = Real(&Config::churn_threshold, 0, 1)},

      // Delivery.
      {.name = "RKD_SMTP_URL",
       .section = kDelivery,
       .description = "SMTP delivery (SES's SMTP interface or any MTA): smtp://host:587 uses STARTTLS when offered, "
                      "smtps:// is implicit TLS on 465. Without it the outbox mailer writes .eml files into a maildir "
                      "on its own host (RKD_OUTBOX_DIR): fine for staging, not for production.",
       .parser = Url(&Config::smtp_url, {"smtp://", "smtps://"}),
       .example = "smtp://email-smtp.eu-west-1.amazonaws.com:587",
       .example_set = true},
      {.name = "RKD_SMTP_USER",
       .section = kDelivery,
       .description = "The SMTP user name.",
       .parser = Text(&Config::smtp_user),
       .example = "CHANGE-ME",
       .example_set = true},
      {.name = "RKD_SMTP_PASSWORD",
       .section = kDelivery,
       .description = "The SMTP password.",
       .parser = Text(&Config::smtp_password),
       .secret = true,
       .example = "CHANGE-ME",
       .example_set = true},
      {.name = "RKD_SMTP_STARTTLS",
       .section = kDelivery,
       .description = "`required` refuses to send without STARTTLS on smtp://.",
       .parser = Choice(&Config::smtp_starttls, {"try", "required"}),
       .example = "required",
       .example_set = true},
      {.name = "RKD_SMTP_VERIFY_TLS",
       .section = kDelivery,
       .description = "`false` turns off certificate verification (never in production).",
       .parser = Switch(&Config::smtp_verify_tls, "true", "false", /*show_as_bool=*/true)},
      {.name = "RKD_SMTP_POOL",
       .section = kDelivery,
       .description = "Reused SMTP connections per worker process.",
       .parser = Int(&Config::smtp_pool, 1, 64)},
      {.name = "RKD_SMTP_RATE",
       .section = kDelivery,
       .description = "Messages per second per worker process (0: unlimited). Split your provider's sending rate "
                      "across the worker processes.",
       .parser = Real(&Config::smtp_rate, 0, 100000)},
      {.name = "RKD_MAIL_FROM",
       .section = kDelivery,
       .description = "The emails' From: address, with a display name. Like the other settings marked *seeds*, it "
                      "fills the shop's settings on a first start (so sending starts without asking); from then on "
                      "the stored settings (Settings, PUT /api/settings) decide.",
       .parser = Text(&Config::mail_from),
       .example = "Your Shop <hello@shop.example>",
       .example_set = true},
      {.name = "RKD_MAIL_REPLY_TO",
       .section = kDelivery,
       .description = "The emails' Reply-To: address (*seeds* the settings).",
       .parser = Text(&Config::mail_reply_to),
       .example = "support@shop.example"},
      {.name = "RKD_POSTAL_ADDRESS",
       .section = kDelivery,
       .description = "Printed in every email's footer (anti-spam law and good practice expect it; *seeds* the "
                      "settings: without it a fresh install waits paused until Settings has one).",
       .parser = Text(&Config::postal_address),
       .example = "Your Shop Ltd, 1 High Street, Springfield",
       .example_set = true},
      {.name = "RKD_SHOP_URL",
       .section = kDelivery,
       .description = "The emails' call to action (with utm parameters; *seeds* the settings).",
       .parser = Text(&Config::shop_url),
       .example = "https://shop.example",
       .example_set = true},
      {.name = "RKD_OUTBOX_DIR",
       .section = kDelivery,
       .description = "The maildir the outbox mailer writes (without RKD_SMTP_URL).",
       .parser = Text(&Config::outbox_dir),
       .default_doc = "outbox beside the SQLite database",
       .example = "/var/lib/rekindle/outbox"},
      {.name = "RKD_TEMPLATES_DIR",
       .section = kDelivery,
       .description = "A folder with your own subject.mustache, text.mustache and html.mustache.",
       .parser = Text(&Config::templates_dir),
       .default_doc = "the templates built into the binary",
       .example = "/etc/rekindle/templates"},

      // The LLM writer.
      {.name = "OPENAI_API_KEY",
       .section = kLlm,
       .description = "The key of the OpenAI-compatible endpoint; setting it makes the LLM write the emails. Read "
                      "only from the environment, never logged.",
       .parser = Text(&Config::openai_api_key),
       .secret = true,
       .example = "sk-CHANGE-ME"},
      {.name = "OPENAI_BASE_URL",
       .section = kLlm,
       .description = "An OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, vLLM, llama.cpp, Ollama.",
       .parser = Url(&Config::openai_base_url, {})},
      {.name = "OPENAI_MODEL", .section = kLlm, .description = "The model.", .parser = Text(&Config::openai_model)},
      {.name = "RKD_WRITER",
       .section = kLlm,
       .description = "`template` or `openai`; unset: openai when OPENAI_API_KEY is set (`rekindle config` shows "
                      "the writer that runs).",
       .parser = Choice(&Config::writer, {"template", "openai"}),
       .show = [](const Config& c) { return nlohmann::json(c.use_openai_writer() ? "openai" : "template"); }},
      {.name = "RKD_OPENAI_CONCURRENCY",
       .section = kLlm,
       .description = "Requests in flight at once, per worker process (these limits apply per process: divide the "
                      "account's limits among them).",
       .parser = Int(&Config::openai_concurrency, 1, 1024)},
      {.name = "RKD_OPENAI_RPM",
       .section = kLlm,
       .description = "Client-side requests per minute, per worker process (0: no limit).",
       .parser = Int(&Config::openai_rpm, 0, 1'000'000)},
      {.name = "RKD_OPENAI_TPM",
       .section = kLlm,
       .description = "Client-side tokens per minute, per worker process (0: no limit).",
       .parser = Int(&Config::openai_tpm, 0, 1'000'000'000)},
      {.name = "RKD_OPENAI_MAX_TOKENS",
       .section = kLlm,
       .description = "Tokens per completion at most.",
       .parser = Int(&Config::openai_max_tokens, 64, 100'000)},
      {.name = "RKD_OPENAI_TIMEOUT_S",
       .section = kLlm,
       .description = "One request, start to end, in seconds.",
       .parser = Int(&Config::openai_timeout_s, 1, 600)},
      {.name = "RKD_OPENAI_CONNECT_TIMEOUT_S",
       .section = kLlm,
       .description = "Connecting to the endpoint, in seconds.",
       .parser = Int(&Config::openai_connect_timeout_s, 1, 120)},
      {.name = "RKD_OPENAI_MAX_RETRIES",
       .section = kLlm,
       .description = "Retries per email after the first attempt.",
       .parser = Int(&Config::openai_max_retries, 0, 20)},
      {.name = "RKD_OPENAI_BUDGET_S",
       .section = kLlm,
       .description = "All attempts for one email, in seconds; capped at half of RKD_VISIBILITY_TIMEOUT_S.",
       .parser = Int(&Config::openai_budget_s, 1, 3600)},
      {.name = "RKD_OPENAI_BREAKER_FAILURES",
       .section = kLlm,
       .description = "Failed requests in a row that open the circuit breaker (the templates write meanwhile).",
       .parser = Int(&Config::openai_breaker_failures, 1, 1000)},
      {.name = "RKD_OPENAI_BREAKER_COOLDOWN_S",
       .section = kLlm,
       .description = "Seconds the breaker stays open before it lets one request probe the endpoint.",
       .parser = Int(&Config::openai_breaker_cooldown_s, 1, 86400)},

      // Links, effectiveness, bounces.
      {.name = "RKD_UNSUBSCRIBE_SECRET",
       .section = kEffect,
       .description = "Signs unsubscribe and tracking links; every host must share it (a worker signs, an api host "
                      "checks). Required with PostgreSQL; with SQLite a key is made once and kept in the data folder. "
                      "Generate one with `openssl rand -hex 32`.",
       .parser = Text(&Config::unsubscribe_secret),
       .secret = true,
       .example = "CHANGE-ME",
       .example_set = true},
      {.name = "RKD_ROTATE_UNSUBSCRIBE_KEY",
       .section = kEffect,
       .description = "SQLite without RKD_UNSUBSCRIBE_SECRET: a store that has sent emails but whose "
                      "unsubscribe.key is missing (restored without it) makes the process refuse to start, because "
                      "a new key would silently break every link already sent. `true` makes a new key anyway "
                      "(rotation: the old links stop working); set it for one start, then remove it.",
       .parser = Switch(&Config::rotate_unsubscribe_key, "true", "false", /*show_as_bool=*/true)},
      {.name = "RKD_HOLDOUT_SHARE",
       .section = kEffect,
       .description = "Share of eligible at-risk clients held out (scored, not emailed) to measure the lift.",
       .parser = Real(&Config::holdout_share, 0, 0.5)},
      {.name = "RKD_ATTRIBUTION_DAYS",
       .section = kEffect,
       .description = "An order this many days after an email converts it.",
       .parser = Int(&Config::attribution_days, 1, 90)},
      {.name = "RKD_TRACKING",
       .section = kEffect,
       .description = "`off`: no open pixel, no click redirects.",
       .parser = Switch(&Config::tracking, "on", "off", /*show_as_bool=*/false)},
      {.name = "RKD_SES_WEBHOOK_SECRET",
       .section = kEffect,
       .description = "Bounces and complaints at POST /hooks/ses: a shared secret for direct posts "
                      "(`Authorization: Bearer …`); unset: SNS signatures only.",
       .parser = Text(&Config::ses_webhook_secret),
       .secret = true},
      {.name = "RKD_SNS_CERT_HOSTS",
       .section = kEffect,
       .description = "Hosts that SNS signing certificates may come from, comma-separated (* matches one label).",
       .parser = List(&Config::sns_cert_hosts)},
      {.name = "RKD_SNS_TOPIC_ARNS",
       .section = kEffect,
       .description = "Only notifications from these SNS topics, comma-separated ARNs; unset: any topic.",
       .parser = List(&Config::sns_topic_arns),
       .example = "arn:aws:sns:eu-west-1:123456789012:ses-feedback"},
      {.name = "RKD_SNS_MAX_AGE_S",
       .section = kEffect,
       .description = "A signed SNS message older than this many seconds is taken for a replay.",
       .parser = Int(&Config::sns_max_age_s, 60, 30 * 86400)},
      {.name = "RKD_SNS_ALLOW_INSECURE_CERT_URL",
       .section = kEffect,
       .description = "For tests only, never in production: also accepts http:// and loopback certificate URLs.",
       .parser = Switch(&Config::sns_allow_insecure_cert_url, "true", "false", /*show_as_bool=*/true)},

      // Shop webhooks.
      {.name = "RKD_SHOPIFY_WEBHOOK_SECRETS",
       .section = kShop,
       .description = "The Shopify app's client secret, which signs its webhooks to POST /hooks/shopify; two, "
                      "comma-separated, while rotating it. Unset: /hooks/shopify answers 404.",
       .parser = List(&Config::shopify_webhook_secrets),
       .secret = true},
      {.name = "RKD_WOOCOMMERCE_WEBHOOK_SECRETS",
       .section = kShop,
       .description = "The secret of the shop's WooCommerce webhooks (WooCommerce > Settings > Advanced > "
                      "Webhooks), which sign deliveries to POST /hooks/woocommerce; two while rotating. Unset: 404.",
       .parser = List(&Config::woocommerce_webhook_secrets),
       .secret = true},
      {.name = "RKD_WEBHOOK_FIRST_RETRY_MS",
       .section = kShop,
       .description = "Outgoing webhooks (POST /api/webhooks): the wait after a delivery's first failed attempt. "
                      "Later waits are 6, 24, 120, 360, 720, 1440, 2880 and then 4320 times it; the 12th failure "
                      "ends it (dead, replayable). At the default, about a day of retries.",
       .parser = Int(&Config::webhook_first_retry_ms, 1, 3'600'000)},
      {.name = "RKD_WEBHOOK_ALLOW_INTERNAL",
       .section = kShop,
       .description = "Outgoing webhooks may go to loopback, private and link-local addresses (a receiver on "
                      "this host or network). Off: such a URL is refused, and so is any host that resolves there, "
                      "so an endpoint cannot probe the inside of the network.",
       .parser = Switch(&Config::webhook_allow_internal, "true", "false", /*show_as_bool=*/true)},
      {.name = "RKD_WEBHOOK_RETENTION_DAYS",
       .section = kShop,
       .description = "Outgoing webhooks' delivered and dead deliveries are deleted this many days after their "
                      "event (pending ones never are).",
       .parser = Int(&Config::webhook_retention_days, 1, 3650)},
      {.name = "RKD_SHOPIFY_SHOP_URL",
       .section = kShop,
       .description = "The Shopify shop that `rekindle sync shopify` (and its schedule) reads orders and customers "
                      "from, through the Admin REST API: https://<shop>.myshopify.com.",
       .parser = ShopUrl(&Config::shopify_shop_url)},
      {.name = "RKD_SHOPIFY_ACCESS_TOKEN",
       .section = kShop,
       .description = "The Admin API access token of the shop's custom app (scopes read_orders, read_customers); "
                      "sent only to RKD_SHOPIFY_SHOP_URL, never shown.",
       .parser = Text(&Config::shopify_access_token),
       .secret = true},
      {.name = "RKD_SHOPIFY_API_VERSION",
       .section = kShop,
       .description = "The Admin REST API version the sync asks for.",
       .parser = Text(&Config::shopify_api_version)},
      {.name = "RKD_WOOCOMMERCE_URL",
       .section = kShop,
       .description = "The WooCommerce shop's site that `rekindle sync woocommerce` reads from, through its REST API "
                      "(/wp-json/wc/v3).",
       .parser = ShopUrl(&Config::woocommerce_url)},
      {.name = "RKD_WOOCOMMERCE_CONSUMER_KEY",
       .section = kShop,
       .description = "A read-only REST API key of the shop (WooCommerce > Settings > Advanced > REST API): ck_…",
       .parser = Text(&Config::woocommerce_consumer_key),
       .secret = true},
      {.name = "RKD_WOOCOMMERCE_CONSUMER_SECRET",
       .section = kShop,
       .description = "The key's consumer secret: cs_…",
       .parser = Text(&Config::woocommerce_consumer_secret),
       .secret = true},
      {.name = "RKD_SHOP_SYNC_INTERVAL_MINUTES",
       .section = kShop,
       .description = "How often `rekindle serve` and `rekindle api` reconcile each connected shop with its REST API "
                      "(what changed since the last sync); 0: only when asked (`rekindle sync`, the dashboard).",
       .parser = Int(&Config::shop_sync_interval_minutes, 0, 10080)},

      // Logs.
      {.name = "RKD_LOG_LEVEL",
       .section = kLogs,
       .description = "The least severe level logged.",
       .parser = Choice(&Config::log_level, {"debug", "info", "warn", "error"})},
  };
  return kSettings;
}

// The value of a setting as text in an env file and in the docs ("" when empty).
std::string AsText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return FormatNumber(v.get<double>());
  if (v.is_array()) {
    std::vector<std::string> items;
    for (const auto& item : v) items.push_back(AsText(item));
    return Join(items, ",");
  }
  return {};
}

// The setting's default value, as the default Config holds it.
std::string DefaultText(const Setting& s) {
  static const Config kDefaults{};
  return AsText(s.parser.show(kDefaults));
}

// A value for an env file that both systemd and `set -a; . file` read: quoted when it
// holds spaces or characters the shell would take.
std::string EnvValue(const std::string& v) {
  if (v.find_first_of(" <>&;|'\"$`\\*?#()") == std::string::npos) return v;
  return "\"" + v + "\"";
}

// Word-wraps `text` into comment lines of at most `width` characters.
std::string CommentLines(const std::string& text, size_t width = 88) {
  std::string out, line;
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width - 2) {
      out += "# " + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += "# " + line + "\n";
  return out;
}

constexpr const char* kEnvExampleHeader =
    R"(# /etc/rekindle/rekindle.env: the configuration of every rekindle process on a host
# (api, stream, worker, sweep, migrate). Use the same file on every host.
# Generated by `rekindle config --env-example` from the table in src/app/config.cc (a
# unit test keeps them equal): change the table, then regenerate this file.
#
#   install -d -m 0750 -o root -g rekindle /etc/rekindle
#   install -m 0640 -o root -g rekindle deploy/rekindle.env.example /etc/rekindle/rekindle.env
#   # edit it, then check what a process will see (secrets show only as set or unset):
#   sudo -u rekindle sh -c 'set -a; . /etc/rekindle/rekindle.env; exec /usr/local/bin/rekindle config'
#
# Syntax: KEY=VALUE, one per line; lines starting with # are comments. Values with
# spaces or < > are quoted (systemd strips the quotes, and the file stays valid for
# `set -a; .`). The lines without # are what a multi-host install sets: replace every
# CHANGE-ME. Lines starting with "#KEY=" show a setting's default (or an example): uncomment
# to change it. An empty value counts as unset.
# systemd reads this file as root before starting the service, so it may also be
# 0600 root:root; 0640 root:rekindle lets the rekindle user run `rekindle config`.
)";

}  // namespace

std::string Config::http_host() const {
  const size_t colon = http_addr.rfind(':');
  std::string host = colon == std::string::npos ? http_addr : http_addr.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

int Config::http_port() const {
  const size_t colon = http_addr.rfind(':');
  return colon == std::string::npos ? 8080 : std::atoi(http_addr.c_str() + colon + 1);
}

std::vector<std::string> Config::host_names() const {
  std::vector<std::string> out = {"localhost", "127.0.0.1", "[::1]"};
  auto add = [&out](std::string host) {
    for (char& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!host.empty() && std::find(out.begin(), out.end(), host) == out.end()) out.push_back(std::move(host));
  };
  const std::string bound = http_host();
  if (bound != "0.0.0.0" && bound != "::") add(bound.find(':') != std::string::npos ? "[" + bound + "]" : bound);
  // RKD_PUBLIC_URL's authority, without userinfo and port.
  if (const size_t scheme = public_url.find("://"); scheme != std::string::npos) {
    std::string authority = public_url.substr(scheme + 3, public_url.find_first_of("/?#", scheme + 3) - scheme - 3);
    authority = authority.substr(authority.find('@') == std::string::npos ? 0 : authority.find('@') + 1);
    if (!authority.empty() && authority[0] == '[')
      add(authority.substr(0, authority.find(']') + 1));
    else
      add(authority.substr(0, authority.find(':')));
  }
  for (const std::string& h : allowed_hosts) add(h);
  return out;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Result<Config> LoadConfig(const std::function<const char*(const char*)>& getenv) {
  Config c;
  for (const Setting& s : Settings()) {
    const char* value = getenv(s.name);
    if (!value || !*value) continue;  // unset, or set to nothing: the default
    RKD_RETURN_IF_ERROR(s.parser.apply(s.name, value, c));
  }
  // Defaults that derive from other settings.
  c.public_url_given = !c.public_url.empty();
  if (c.public_url.empty()) c.public_url = "http://" + c.http_addr;
  if (c.outbox_dir.empty()) c.outbox_dir = c.data_dir() + "/outbox";
  // A shop's API address and its credentials come together.
  if (!c.shopify_shop_url.empty() && c.shopify_access_token.empty())
    return Status::InvalidArgument("RKD_SHOPIFY_ACCESS_TOKEN is required with RKD_SHOPIFY_SHOP_URL",
                                   "RKD_SHOPIFY_ACCESS_TOKEN");
  if (!c.woocommerce_url.empty() && (c.woocommerce_consumer_key.empty() || c.woocommerce_consumer_secret.empty()))
    return Status::InvalidArgument(
        "RKD_WOOCOMMERCE_CONSUMER_KEY and RKD_WOOCOMMERCE_CONSUMER_SECRET are required with RKD_WOOCOMMERCE_URL",
        c.woocommerce_consumer_key.empty() ? "RKD_WOOCOMMERCE_CONSUMER_KEY" : "RKD_WOOCOMMERCE_CONSUMER_SECRET");
  if (c.default_page_limit > c.max_page_limit) {
    const char* max = getenv("RKD_MAX_PAGE_LIMIT");
    if (max && *max)
      return Status::InvalidArgument("RKD_DEFAULT_PAGE_LIMIT (" + std::to_string(c.default_page_limit) +
                                         ") must not exceed RKD_MAX_PAGE_LIMIT (" + std::to_string(c.max_page_limit) +
                                         ")",
                                     "RKD_DEFAULT_PAGE_LIMIT");
    c.max_page_limit = c.default_page_limit;  // a larger default raises the maximum left unset
  }
  return c;
}

std::string Config::data_dir() const {
  if (database_url.rfind("sqlite:", 0) != 0) return "data";
  const std::string path = database_url.substr(7);
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// The SQLite database's path without its extension ("data/rekindle.db" →
// "data/rekindle"): files kept beside it share the name.
std::string Config::database_stem() const {
  std::string db = database_url.rfind("sqlite:", 0) == 0 ? database_url.substr(7) : "data/rekindle.db";
  const size_t dot = db.rfind('.');
  const size_t slash = db.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) db = db.substr(0, dot);
  return db;
}

Targeting Config::targeting_options() const {
  return {.rule = ParseTargetingRule(targeting).value_or(TargetingRule::kScore), .churn_threshold = churn_threshold};
}

std::string Config::bus_path() const {
  if (bus_url.rfind("sqlite:", 0) == 0) return bus_url.substr(7);
  return database_stem() + "-bus.db";
}

std::string Config::lock_path(const std::string& role) const { return database_stem() + "-" + role + ".lock"; }

nlohmann::json ConfigToJson(const Config& c) {
  nlohmann::json out = nlohmann::json::object();
  for (const Setting& s : Settings()) {
    if (s.secret) {
      // Whether it is set, never what it is (nor its length or its number of items).
      out[s.name] = AsText(s.parser.show(c)).empty() ? "unset" : "set";
      continue;
    }
    out[s.name] = s.show ? s.show(c) : s.parser.show(c);
  }
  out["bus file (embedded)"] = c.bus_url.rfind("nats://", 0) == 0 ? "" : c.bus_path();
  return out;
}

std::vector<std::string> SecretSettingNames() {
  std::vector<std::string> names;
  for (const Setting& s : Settings())
    if (s.secret) names.push_back(s.name);
  return names;
}

std::string ConfigEnvExample() {
  std::string out = kEnvExampleHeader;
  std::string section;
  for (const Setting& s : Settings()) {
    if (section != s.section) {
      section = s.section;
      const std::string rule = "# " + std::string(87, '-') + "\n";
      out += "\n" + rule + CommentLines(section) + rule;
    }
    std::string comment = s.description;
    if (!s.parser.allowed.empty()) comment += " Allowed: " + s.parser.allowed + ".";
    if (*s.default_doc) comment += " Default: " + std::string(s.default_doc) + ".";
    if (s.secret) comment += " Secret: `rekindle config` shows only whether it is set.";
    out += "\n" + CommentLines(comment);
    const std::string default_text = DefaultText(s);
    if (*s.example && s.example_set) {
      if (!*s.default_doc && !default_text.empty() && default_text != s.example)
        out += "#" + std::string(s.name) + "=" + EnvValue(default_text) + "\n";
      out += std::string(s.name) + "=" + EnvValue(s.example) + "\n";
    } else if (*s.example) {
      out += "#" + std::string(s.name) + "=" + EnvValue(s.example) + "\n";
    } else {
      out += "#" + std::string(s.name) + "=" + EnvValue(default_text) + "\n";
    }
  }
  return out;
}

std::string ConfigMarkdownTable() {
  auto cell = [](std::string text) {
    for (size_t pos = 0; (pos = text.find('|', pos)) != std::string::npos; pos += 2) text.replace(pos, 1, "\\|");
    return text;
  };
  std::string out = "| variable | default | meaning |\n|---|---|---|\n";
  for (const Setting& s : Settings()) {
    const std::string default_text = DefaultText(s);
    std::string shown_default = *s.default_doc         ? std::string(s.default_doc)
                                : s.secret             ? "(none)"
                                : default_text.empty() ? "(none)"
                                                       : "`" + default_text + "`";
    std::string meaning = s.description;
    if (!s.parser.allowed.empty()) meaning += " Allowed: " + s.parser.allowed + ".";
    if (s.secret) meaning += " **Secret**: `rekindle config` shows only whether it is set.";
    out += "| `" + std::string(s.name) + "` | " + cell(shown_default) + " | " + cell(meaning) + " |\n";
  }
  return out;
}

}  // namespace rkd
