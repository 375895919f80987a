#include "app/config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

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

Status ReadInt(const char* name, const char* value, int min, int max, int* out) {
  if (!value) return Status::Ok();
  int v = 0;
  const char* end = value + std::strlen(value);
  auto [p, ec] = std::from_chars(value, end, v);
  if (ec != std::errc() || p != end || v < min || v > max)
    return Status::InvalidArgument(
        std::string(name) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max), name);
  *out = v;
  return Status::Ok();
}

Status ReadDouble(const char* name, const char* value, double min, double max, double* out) {
  if (!value) return Status::Ok();
  char* end = nullptr;
  double v = std::strtod(value, &end);
  if (end == value || *end != '\0' || !std::isfinite(v) || v < min || v > max)
    return Status::InvalidArgument(
        std::string(name) + " must be a number from " + std::to_string(min) + " to " + std::to_string(max), name);
  *out = v;
  return Status::Ok();
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

std::string Mask(const std::string& secret) { return secret.empty() ? "" : "****"; }

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
  auto str = [&](const char* name, std::string* out) {
    if (const char* v = getenv(name); v && *v) *out = v;
  };
  str("RKD_DATABASE_URL", &c.database_url);
  str("RKD_BUS_URL", &c.bus_url);
  str("RKD_BUS_NAMESPACE", &c.bus_namespace);
  str("RKD_HTTP_ADDR", &c.http_addr);
  str("OPENAI_API_KEY", &c.openai_api_key);
  str("OPENAI_BASE_URL", &c.openai_base_url);
  str("OPENAI_MODEL", &c.openai_model);
  str("RKD_WRITER", &c.writer);
  str("RKD_SMTP_URL", &c.smtp_url);
  str("RKD_MAIL_FROM", &c.mail_from);
  str("RKD_LOG_LEVEL", &c.log_level);
  str("RKD_WEB_DIR", &c.web_dir);
  str("RKD_SHOP_URL", &c.shop_url);
  str("RKD_SMTP_USER", &c.smtp_user);
  str("RKD_SMTP_PASSWORD", &c.smtp_password);
  str("RKD_SMTP_STARTTLS", &c.smtp_starttls);
  str("RKD_MAIL_REPLY_TO", &c.mail_reply_to);
  str("RKD_POSTAL_ADDRESS", &c.postal_address);
  str("RKD_UNSUBSCRIBE_SECRET", &c.unsubscribe_secret);
  if (const char* v = getenv("RKD_SMTP_VERIFY_TLS"); v && std::string(v) == "false") c.smtp_verify_tls = false;
  str("RKD_PUBLIC_URL", &c.public_url);
  str("RKD_OUTBOX_DIR", &c.outbox_dir);
  str("RKD_TEMPLATES_DIR", &c.templates_dir);
  if (const char* v = getenv("RKD_API_KEYS")) c.api_keys = SplitList(v);
  str("RKD_METRICS_TOKEN", &c.metrics_token);
  if (const char* v = getenv("RKD_CORS_ORIGINS")) c.cors_origins = SplitList(v);
  if (const char* v = getenv("RKD_ALLOWED_HOSTS")) c.allowed_hosts = SplitList(v);
  if (const char* v = getenv("RKD_SNS_CERT_HOSTS"); v && *v) c.sns_cert_hosts = SplitList(v);
  if (const char* v = getenv("RKD_SNS_TOPIC_ARNS"); v && *v) c.sns_topic_arns = SplitList(v);
  RKD_RETURN_IF_ERROR(ReadInt("RKD_SNS_MAX_AGE_S", getenv("RKD_SNS_MAX_AGE_S"), 60, 30 * 86400, &c.sns_max_age_s));
  str("RKD_SES_WEBHOOK_SECRET", &c.ses_webhook_secret);
  if (const char* v = getenv("RKD_SNS_ALLOW_INSECURE_CERT_URL"); v && std::string(v) == "true")
    c.sns_allow_insecure_cert_url = true;

  RKD_RETURN_IF_ERROR(ReadInt("RKD_HTTP_THREADS", getenv("RKD_HTTP_THREADS"), 0, 256, &c.http_threads));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_PG_POOL_SIZE", getenv("RKD_PG_POOL_SIZE"), 1, 1000, &c.pg_pool_size));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_PG_STATEMENT_TIMEOUT_MS", getenv("RKD_PG_STATEMENT_TIMEOUT_MS"), 100, 3'600'000,
                              &c.pg_statement_timeout_ms));
  RKD_RETURN_IF_ERROR(ReadDouble("RKD_SCORE_THRESHOLD", getenv("RKD_SCORE_THRESHOLD"), 0, 100, &c.score.threshold));
  RKD_RETURN_IF_ERROR(
      ReadInt("RKD_EMAIL_COOLDOWN_DAYS", getenv("RKD_EMAIL_COOLDOWN_DAYS"), 0, 3650, &c.email_cooldown_days));
  RKD_RETURN_IF_ERROR(
      ReadInt("RKD_VISIBILITY_TIMEOUT_S", getenv("RKD_VISIBILITY_TIMEOUT_S"), 1, 43200, &c.visibility_timeout_s));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_RETENTION_DAYS", getenv("RKD_RETENTION_DAYS"), 1, 14, &c.retention_days));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_WORKERS", getenv("RKD_WORKERS"), 0, 256, &c.workers));
  RKD_RETURN_IF_ERROR(
      ReadInt("RKD_SWEEP_INTERVAL_S", getenv("RKD_SWEEP_INTERVAL_S"), 1, 365 * 86400, &c.sweep_interval_s));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_RETRY_BASE_MS", getenv("RKD_RETRY_BASE_MS"), 1, 3'600'000, &c.retry_base_ms));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_NATS_REPLICAS", getenv("RKD_NATS_REPLICAS"), 1, 5, &c.nats_replicas));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_MAX_RECEIVES", getenv("RKD_MAX_RECEIVES"), 1, 1000, &c.max_receives));
  struct IntSetting {
    const char* name;
    int min, max;
    int* value;
  };
  for (IntSetting s : {IntSetting{"RKD_OPENAI_CONCURRENCY", 1, 1024, &c.openai_concurrency},
                       IntSetting{"RKD_OPENAI_RPM", 0, 1'000'000, &c.openai_rpm},
                       IntSetting{"RKD_OPENAI_TPM", 0, 1'000'000'000, &c.openai_tpm},
                       IntSetting{"RKD_OPENAI_MAX_TOKENS", 64, 100'000, &c.openai_max_tokens},
                       IntSetting{"RKD_OPENAI_TIMEOUT_S", 1, 600, &c.openai_timeout_s},
                       IntSetting{"RKD_OPENAI_CONNECT_TIMEOUT_S", 1, 120, &c.openai_connect_timeout_s},
                       IntSetting{"RKD_OPENAI_MAX_RETRIES", 0, 20, &c.openai_max_retries},
                       IntSetting{"RKD_OPENAI_BUDGET_S", 1, 3600, &c.openai_budget_s},
                       IntSetting{"RKD_OPENAI_BREAKER_FAILURES", 1, 1000, &c.openai_breaker_failures},
                       IntSetting{"RKD_OPENAI_BREAKER_COOLDOWN_S", 1, 86400, &c.openai_breaker_cooldown_s}})
    RKD_RETURN_IF_ERROR(ReadInt(s.name, getenv(s.name), s.min, s.max, s.value));
  RKD_RETURN_IF_ERROR(ReadDouble("RKD_HOLDOUT_SHARE", getenv("RKD_HOLDOUT_SHARE"), 0, 0.5, &c.holdout_share));
  RKD_RETURN_IF_ERROR(ReadInt("RKD_ATTRIBUTION_DAYS", getenv("RKD_ATTRIBUTION_DAYS"), 1, 90, &c.attribution_days));
  if (const char* v = getenv("RKD_TRACKING"); v && std::string(v) == "off") c.tracking = false;
  RKD_RETURN_IF_ERROR(ReadInt("RKD_SMTP_POOL", getenv("RKD_SMTP_POOL"), 1, 64, &c.smtp_pool));
  RKD_RETURN_IF_ERROR(ReadDouble("RKD_SMTP_RATE", getenv("RKD_SMTP_RATE"), 0, 100000, &c.smtp_rate));
  if (c.smtp_starttls != "try" && c.smtp_starttls != "required")
    return Status::InvalidArgument("RKD_SMTP_STARTTLS must be try or required", "RKD_SMTP_STARTTLS");
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
    return Status::InvalidArgument("RKD_SMTP_URL must start with smtp:// or smtps://", "RKD_SMTP_URL");
  if (c.writer != "" && c.writer != "template" && c.writer != "openai")
    return Status::InvalidArgument("RKD_WRITER must be template or openai", "RKD_WRITER");
  // The score's weights (DESIGN.md: every weight is configuration).
  struct Weight {
    const char* name;
    double* value;
  };
  for (Weight w : {Weight{"RKD_SCORE_RECENCY_PENALTY_30", &c.score.recency_penalty_1},
                   Weight{"RKD_SCORE_RECENCY_PENALTY_60", &c.score.recency_penalty_2},
                   Weight{"RKD_SCORE_RECENCY_PENALTY_90", &c.score.recency_penalty_3},
                   Weight{"RKD_SCORE_ORDERS_WEIGHT", &c.score.orders_weight},
                   Weight{"RKD_SCORE_VALUE_WEIGHT", &c.score.value_weight},
                   Weight{"RKD_SCORE_RECENT_EMAIL_PENALTY", &c.score.recent_email_penalty}})
    RKD_RETURN_IF_ERROR(ReadDouble(w.name, getenv(w.name), 0, 100, w.value));

  if (c.database_url.rfind("sqlite:", 0) != 0 && c.database_url.rfind("postgres://", 0) != 0 &&
      c.database_url.rfind("postgresql://", 0) != 0)
    return Status::InvalidArgument("RKD_DATABASE_URL must start with sqlite: or postgres://", "RKD_DATABASE_URL");
  const int port = c.http_port();
  if (c.http_addr.rfind(':') == std::string::npos || port < 0 || port > 65535 || c.http_host().empty())
    return Status::InvalidArgument("RKD_HTTP_ADDR must be host:port, e.g. 127.0.0.1:8080", "RKD_HTTP_ADDR");
  if (c.bus_url != "embedded" && c.bus_url.rfind("sqlite:", 0) != 0 && c.bus_url.rfind("nats://", 0) != 0)
    return Status::InvalidArgument("RKD_BUS_URL must be embedded, sqlite:PATH or nats://…", "RKD_BUS_URL");
  if (c.bus_namespace.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
      std::string::npos)
    return Status::InvalidArgument("RKD_BUS_NAMESPACE may hold only letters, digits, - and _", "RKD_BUS_NAMESPACE");
  c.public_url_given = !c.public_url.empty();
  if (c.public_url.empty()) c.public_url = "http://" + c.http_addr;
  if (c.outbox_dir.empty()) c.outbox_dir = c.data_dir() + "/outbox";
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

std::string Config::bus_path() const {
  if (bus_url.rfind("sqlite:", 0) == 0) return bus_url.substr(7);
  return database_stem() + "-bus.db";
}

std::string Config::lock_path(const std::string& role) const { return database_stem() + "-" + role + ".lock"; }

nlohmann::json ConfigToJson(const Config& c) {
  return {{"RKD_DATABASE_URL", MaskUrlPassword(c.database_url)},
          {"RKD_PG_POOL_SIZE", c.pg_pool_size},
          {"RKD_PG_STATEMENT_TIMEOUT_MS", c.pg_statement_timeout_ms},
          {"RKD_BUS_URL", MaskUrlPassword(c.bus_url)},
          {"RKD_BUS_NAMESPACE", c.bus_namespace},
          {"RKD_NATS_REPLICAS", c.nats_replicas},
          {"RKD_HTTP_ADDR", c.http_addr},
          {"RKD_HTTP_THREADS", c.http_threads},
          {"RKD_SCORE_THRESHOLD", c.score.threshold},
          {"RKD_EMAIL_COOLDOWN_DAYS", c.email_cooldown_days},
          {"RKD_VISIBILITY_TIMEOUT_S", c.visibility_timeout_s},
          {"RKD_RETENTION_DAYS", c.retention_days},
          {"RKD_MAX_RECEIVES", c.max_receives},
          {"OPENAI_API_KEY", Mask(c.openai_api_key)},
          {"OPENAI_BASE_URL", MaskUrlPassword(c.openai_base_url)},
          {"OPENAI_MODEL", c.openai_model},
          {"RKD_WRITER", c.use_openai_writer() ? "openai" : "template"},
          {"RKD_OPENAI_CONCURRENCY", c.openai_concurrency},
          {"RKD_OPENAI_RPM", c.openai_rpm},
          {"RKD_OPENAI_TPM", c.openai_tpm},
          {"RKD_OPENAI_MAX_TOKENS", c.openai_max_tokens},
          {"RKD_OPENAI_TIMEOUT_S", c.openai_timeout_s},
          {"RKD_OPENAI_CONNECT_TIMEOUT_S", c.openai_connect_timeout_s},
          {"RKD_OPENAI_MAX_RETRIES", c.openai_max_retries},
          {"RKD_OPENAI_BUDGET_S", c.openai_budget_s},
          {"RKD_OPENAI_BREAKER_FAILURES", c.openai_breaker_failures},
          {"RKD_OPENAI_BREAKER_COOLDOWN_S", c.openai_breaker_cooldown_s},
          {"RKD_SMTP_URL", MaskUrlPassword(c.smtp_url)},
          {"RKD_MAIL_FROM", c.mail_from},
          {"RKD_SMTP_USER", c.smtp_user},
          {"RKD_SMTP_PASSWORD", Mask(c.smtp_password)},
          {"RKD_SMTP_STARTTLS", c.smtp_starttls},
          {"RKD_SMTP_VERIFY_TLS", c.smtp_verify_tls},
          {"RKD_SMTP_POOL", c.smtp_pool},
          {"RKD_SMTP_RATE", c.smtp_rate},
          {"RKD_MAIL_REPLY_TO", c.mail_reply_to},
          {"RKD_POSTAL_ADDRESS", c.postal_address},
          {"RKD_HOLDOUT_SHARE", c.holdout_share},
          {"RKD_ATTRIBUTION_DAYS", c.attribution_days},
          {"RKD_TRACKING", c.tracking ? "on" : "off"},
          {"RKD_UNSUBSCRIBE_SECRET",
           c.unsubscribe_secret.empty() ? "(a key in the data folder)" : Mask(c.unsubscribe_secret)},
          {"RKD_API_KEYS", c.api_keys.empty() ? "" : std::to_string(c.api_keys.size()) + " key(s), masked"},
          {"RKD_METRICS_TOKEN", Mask(c.metrics_token)},
          {"RKD_CORS_ORIGINS", c.cors_origins},
          {"RKD_SNS_CERT_HOSTS", c.sns_cert_hosts},
          {"RKD_SNS_TOPIC_ARNS", c.sns_topic_arns},
          {"RKD_SNS_MAX_AGE_S", c.sns_max_age_s},
          {"RKD_SES_WEBHOOK_SECRET", Mask(c.ses_webhook_secret)},
          {"RKD_SNS_ALLOW_INSECURE_CERT_URL", c.sns_allow_insecure_cert_url},
          {"RKD_LOG_LEVEL", c.log_level},
          {"RKD_WEB_DIR", c.web_dir.empty() ? "(built in)" : c.web_dir},
          {"RKD_ALLOWED_HOSTS", c.allowed_hosts},
          {"RKD_WORKERS", c.workers},
          {"RKD_SWEEP_INTERVAL_S", c.sweep_interval_s},
          {"RKD_RETRY_BASE_MS", c.retry_base_ms},
          {"RKD_SHOP_URL", c.shop_url},
          {"RKD_PUBLIC_URL", c.public_url},
          {"RKD_OUTBOX_DIR", c.outbox_dir},
          {"RKD_TEMPLATES_DIR", c.templates_dir},
          {"bus file (embedded)", c.bus_url.rfind("nats://", 0) == 0 ? "" : c.bus_path()}};
}

}  // namespace rkd
