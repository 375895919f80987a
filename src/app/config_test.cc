#include "app/config.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace rkd {
namespace {

Result<Config> Load(const std::map<std::string, std::string>& env) {
  return LoadConfig([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

std::string ReadSourceFile(const std::string& path) {
  std::ifstream in(std::string(RKD_SOURCE_DIR) + "/" + path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The KEY=VALUE lines of an env file, commented out ("#KEY=…") or not, quotes removed.
std::vector<std::pair<std::string, std::string>> EnvLines(const std::string& text, bool commented) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (commented != (!line.empty() && line[0] == '#')) continue;
    if (commented) line.erase(0, 1);
    const size_t eq = line.find('=');
    if (eq == std::string::npos || line.find(' ') < eq || line.empty() || !std::isupper(line[0])) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    out.emplace_back(line.substr(0, eq), value);
  }
  return out;
}

TEST(Config, DefaultsWithoutEnvironment) {
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->database_url, "sqlite:data/rekindle.db");
  EXPECT_EQ(c->pg_pool_size, 8);
  EXPECT_EQ(c->score.threshold, 75);
  EXPECT_EQ(c->public_url, "http://127.0.0.1:8080");
  EXPECT_FALSE(c->public_url_given);
  EXPECT_EQ(c->outbox_dir, "data/outbox");
  EXPECT_TRUE(c->tracking);
  EXPECT_TRUE(c->smtp_verify_tls);
}

TEST(Config, ReadsEveryKind) {
  auto c = Load({{"RKD_PG_POOL_SIZE", "3"},
                 {"RKD_SCORE_THRESHOLD", "70.5"},
                 {"RKD_API_KEYS", " k1 , k2,,"},
                 {"RKD_TRACKING", "off"},
                 {"RKD_SMTP_VERIFY_TLS", "false"},
                 {"RKD_SMTP_STARTTLS", "required"},
                 {"RKD_HOLDOUT_SHARE", "0.25"},
                 {"RKD_PUBLIC_URL", "https://r.example"},
                 {"RKD_WRITER", ""}});  // empty: unset
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->pg_pool_size, 3);
  EXPECT_EQ(c->score.threshold, 70.5);
  EXPECT_EQ(c->api_keys, (std::vector<std::string>{"k1", "k2"}));
  EXPECT_FALSE(c->tracking);
  EXPECT_FALSE(c->smtp_verify_tls);
  EXPECT_EQ(c->smtp_starttls, "required");
  EXPECT_EQ(c->holdout_share, 0.25);
  EXPECT_TRUE(c->public_url_given);
  EXPECT_EQ(c->writer, "");
}

TEST(Config, RefusesBadValuesNamingTheVariable) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"RKD_PG_POOL_SIZE", "0"},
           {"RKD_PG_STATEMENT_TIMEOUT_MS", "ten"},
           {"RKD_SCORE_THRESHOLD", "lots"},
           {"RKD_SCORE_THRESHOLD", "101"},
           {"RKD_HOLDOUT_SHARE", "0.6"},
           {"RKD_TRACKING", "maybe"},
           {"RKD_SMTP_VERIFY_TLS", "no"},
           {"RKD_SMTP_STARTTLS", "sometimes"},
           {"RKD_SMTP_URL", "http://mail.example"},
           {"RKD_WRITER", "gpt"},
           {"RKD_DATABASE_URL", "mysql://db"},
           {"RKD_BUS_URL", "kafka://k"},
           {"RKD_BUS_NAMESPACE", "a.b"},
           {"RKD_HTTP_ADDR", "localhost"},
           {"RKD_LOG_LEVEL", "loud"},
           {"RKD_API_KEYS", "bad name:k1"},
           {"RKD_API_KEYS", "a:k1,a:k2"},
           {"RKD_API_KEYS", "ops:"},
           {"RKD_TRUSTED_PROXIES", "10.0.0.0/33"},
           {"RKD_TRUSTED_PROXIES", "proxy.internal"},
           {"RKD_ROTATE_UNSUBSCRIBE_KEY", "yes"},
           {"RKD_ALERT_WINDOW_MINUTES", "0"},
       }) {
    auto c = Load({{name, value}});
    ASSERT_FALSE(c.ok()) << name << "=" << value;
    EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(c.status().field(), name);
    EXPECT_NE(c.status().message().find(name), std::string::npos) << c.status().message();
  }
}

// Request logs name the key that was used, never the key: "name:key", or a bare key named
// by its place in the list.
TEST(Config, ApiKeysHaveNames) {
  auto c = Load({{"RKD_API_KEYS", "dashboard:k-dash, k-bare ,ci.deploy_1:k:with:colons"},
                 {"RKD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,fd00::/8"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->api_keys, (std::vector<std::string>{"k-dash", "k-bare", "k:with:colons"}));
  EXPECT_EQ(c->api_key_names, (std::vector<std::string>{"dashboard", "key-2", "ci.deploy_1"}));
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "fd00::/8"}));
  // A refusal names the item's place, never a key.
  auto bad = Load({{"RKD_API_KEYS", "ok:secret-one,bad name:secret-two"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("item 2"), std::string::npos) << bad.status().message();
  EXPECT_EQ(bad.status().message().find("secret"), std::string::npos) << bad.status().message();
}

TEST(Config, SecretsShowOnlyWhetherTheyAreSet) {
  std::map<std::string, std::string> env;
  for (const std::string& name : SecretSettingNames()) env[name] = "s3cret-" + name;
  env["RKD_SMTP_URL"] = "smtp://user:hunter2@mail.example:587";
  env["RKD_DATABASE_URL"] = "postgres://rekindle:pgpass@db:5432/rekindle";
  auto c = Load(env);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const nlohmann::json shown = ConfigToJson(*c);
  const std::string text = shown.dump();
  for (const std::string& name : SecretSettingNames()) {
    EXPECT_EQ(shown.at(name), "set") << name;
    EXPECT_EQ(text.find("s3cret-"), std::string::npos) << text;
  }
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_EQ(text.find("pgpass"), std::string::npos);
  EXPECT_EQ(shown.at("RKD_SMTP_URL"), "smtp://user:****@mail.example:587");

  auto defaults = Load({});
  ASSERT_TRUE(defaults.ok());
  const nlohmann::json unset = ConfigToJson(*defaults);
  for (const std::string& name : SecretSettingNames()) EXPECT_EQ(unset.at(name), "unset") << name;
  EXPECT_GE(SecretSettingNames().size(), 6u);
}

TEST(Config, ShowsEveryVariableItReads) {
  // Every variable in the env example is one `rekindle config` shows, and the other way round.
  auto c = Load({});
  ASSERT_TRUE(c.ok());
  const nlohmann::json shown = ConfigToJson(*c);
  std::set<std::string> documented;
  for (const auto& [name, value] : EnvLines(ConfigEnvExample(), true)) documented.insert(name);
  for (const auto& [name, value] : EnvLines(ConfigEnvExample(), false)) documented.insert(name);
  for (const auto& [name, value] : shown.items())
    if (name != "bus file (embedded)") {
      EXPECT_TRUE(documented.count(name)) << name << " is not in the env example";
    }
  for (const std::string& name : documented) EXPECT_TRUE(shown.contains(name)) << name;
}

TEST(Config, EveryValueInTheEnvExampleLoads) {
  // What the example sets loads as a whole; each default or example it shows commented
  // out loads on its own.
  std::map<std::string, std::string> set;
  for (const auto& [name, value] : EnvLines(ConfigEnvExample(), false)) set[name] = value;
  EXPECT_GE(set.size(), 10u);
  auto c = Load(set);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  for (const auto& [name, value] : EnvLines(ConfigEnvExample(), true)) {
    auto one = Load({{name, value}});
    EXPECT_TRUE(one.ok()) << name << "=" << value << ": " << one.status().ToString();
  }
}

// deploy/rekindle.env.example is what the table generates: after a change to the table,
// `build/rekindle config --env-example > deploy/rekindle.env.example`.
TEST(Config, EnvExampleFileIsGenerated) {
  EXPECT_EQ(ReadSourceFile("deploy/rekindle.env.example"), ConfigEnvExample())
      << "regenerate it: rekindle config --env-example > deploy/rekindle.env.example";
}

// README.md holds the generated table between its markers: after a change to the table,
// paste `build/rekindle config --markdown` between them.
TEST(Config, ReadmeTableIsGenerated) {
  const std::string readme = ReadSourceFile("README.md");
  const std::string begin = "<!-- config-table:begin -->\n";
  const std::string end = "<!-- config-table:end -->";
  const size_t b = readme.find(begin);
  const size_t e = readme.find(end);
  ASSERT_NE(b, std::string::npos) << "README.md has no " << begin;
  ASSERT_NE(e, std::string::npos) << "README.md has no " << end;
  ASSERT_LT(b, e);
  EXPECT_EQ(readme.substr(b + begin.size(), e - b - begin.size()), ConfigMarkdownTable())
      << "paste `rekindle config --markdown` between the markers";
}

TEST(Config, PageLimits) {
  auto c = Load({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->default_page_limit, 50);
  EXPECT_EQ(c->max_page_limit, 500);
  c = Load({{"RKD_DEFAULT_PAGE_LIMIT", "1000"}});  // a larger default raises the maximum left unset
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->max_page_limit, 1000);
  c = Load({{"RKD_DEFAULT_PAGE_LIMIT", "1000"}, {"RKD_MAX_PAGE_LIMIT", "5000"}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->max_page_limit, 5000);
  EXPECT_FALSE(Load({{"RKD_DEFAULT_PAGE_LIMIT", "1000"}, {"RKD_MAX_PAGE_LIMIT", "200"}}).ok());
  EXPECT_FALSE(Load({{"RKD_MAX_PAGE_LIMIT", "10001"}}).ok()) << "above the store's ceiling";
  EXPECT_FALSE(Load({{"RKD_DEFAULT_PAGE_LIMIT", "0"}}).ok());
}

}  // namespace
}  // namespace rkd
