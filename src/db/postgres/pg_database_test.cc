// PgDatabase's pool on a real server (RKD_TEST_POSTGRES_URL; ctest's
// store_contract_postgres starts a throwaway one): connections the server ended are
// replaced before use, so no call fails on one (after a restart every pooled connection
// is dead at once, and a call that failed on one cost an event a receive).
#include "db/postgres/pg_database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rkd {
namespace {

constexpr const char* kPgEnv = "RKD_TEST_POSTGRES_URL";

// Runs SQL on the server with a connection of its own.
void Admin(const std::string& sql) {
  auto c = PgConn::Open(std::getenv(kPgEnv), 10'000);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto r = (*c)->Exec(sql);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST(PostgresDatabaseTest, PooledConnectionsTheServerEndedAreReplacedBeforeUse) {
  if (!std::getenv(kPgEnv)) GTEST_SKIP() << kPgEnv << " is not set";
  const std::string schema = "rkd_pool_" + std::to_string(::getpid());
  Admin("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  const std::string url = std::string(std::getenv(kPgEnv)) + "?options=-csearch_path%3D" + schema;
  PgOptions options;
  options.pool_size = 4;
  // The store's queries without its templates and their fragments (PgStore expands them):
  // this test runs SQL text only.
  auto db = PgDatabase::Open(url, "sql/postgres", options, [](std::map<std::string, std::string>& queries) {
    std::erase_if(queries, [](const auto& q) {
      return q.second.find('{') != std::string::npos || q.first.starts_with("user-state/");
    });
    return Status::Ok();
  });
  ASSERT_TRUE(db.ok()) << db.status().ToString();

  // Four connections in the pool: reads nested four deep, each noting its backend.
  std::vector<std::string> pids;
  std::function<Status(int)> nest = [&](int depth) -> Status {
    return (*db)->Read([&](PgConn& c) -> Status {
      auto r = c.Exec("SELECT pg_backend_pid()");
      if (!r.ok()) return r.status();
      pids.push_back(r->Text(0, 0));
      return depth > 1 ? nest(depth - 1) : Status::Ok();
    });
  };
  ASSERT_TRUE(nest(4).ok());
  ASSERT_EQ(pids.size(), 4u);

  // The server ends every one of them, as a restart does.
  std::string list;
  for (const std::string& pid : pids) list += (list.empty() ? "" : ",") + pid;
  Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (" + list + ")");
  Admin("DO $$ BEGIN FOR i IN 1..100 LOOP EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid IN (" + list +
        ")); PERFORM pg_sleep(0.05); END LOOP; END $$");

  // Every call runs once, on a live connection: none meets a dead one.
  for (int i = 0; i < 6; ++i) {
    int runs = 0;
    const auto call = i % 2 ? &PgDatabase::Write : &PgDatabase::Read;
    Status st = ((**db).*call)([&](PgConn& c) -> Status {
      ++runs;
      return c.Exec("SELECT 1").status();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(runs, 1) << "call " << i << " met a dead connection";
  }
  db->reset();
  Admin("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema + " CASCADE");
}

}  // namespace
}  // namespace rkd
