// The email workers' view of the shop's settings (pipeline/settings_cache.h): read at
// most once per refresh period, at once after Invalidate, the last good settings kept
// while the store cannot be read, and whether sending is paused.
#include "pipeline/settings_cache.h"

#include <gtest/gtest.h>

#include "pipeline/sending_switch.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/fault_injection.h"
#include "testing/temp_dir.h"

namespace rkd {
namespace {

class SettingsCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteStore::Open(dir_ / "cache.db", ScoreRules{}, &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    real_ = std::move(s).value();
    store_ = std::make_unique<testkit::FaultyStore>(*real_, faults_);
  }

  testkit::TempDir dir_;
  SystemClock clock_;
  testkit::FaultPlan faults_;
  std::unique_ptr<SqliteStore> real_;
  std::unique_ptr<testkit::FaultyStore> store_;
};

TEST_F(SettingsCacheTest, ReadsOncePerPeriodAndAtOnceAfterInvalidate) {
  SettingsCache cache(*store_, std::chrono::hours(1));
  EXPECT_TRUE(cache.Paused());  // a store never set up: paused for setup
  EXPECT_EQ(cache.Get().sender_email, "");
  EXPECT_EQ(faults_.Calls("GetSettings"), 1);
  ASSERT_TRUE(store_
                  ->PutSettings({{"senderName", "\"Shop\""},
                                 {"senderEmail", "\"hi@shop.example\""},
                                 {"postalAddress", "\"1 Road\""},
                                 {"publicUrl", "\"https://r.example\""}},
                                "t", false)
                  .ok());
  ASSERT_TRUE(ResumeSending(*store_, clock_.Now(), "t").ok());
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(cache.Paused());  // within the period: the old answer
  EXPECT_EQ(faults_.Calls("GetSettings"), 2);                 // the first, and ResumeSending's own
  cache.Invalidate();
  EXPECT_FALSE(cache.Paused());
  EXPECT_EQ(cache.Get().MailFrom(), "Shop <hi@shop.example>");
}

TEST_F(SettingsCacheTest, KeepsTheLastSettingsWhileTheStoreCannotBeRead) {
  ASSERT_TRUE(store_->PutSettings({{"senderEmail", "\"hi@shop.example\""}}, "t", false).ok());
  SettingsCache cache(*store_, std::chrono::milliseconds(0));
  EXPECT_EQ(cache.Get().sender_email, "hi@shop.example");
  faults_.FailAlways("GetSettings", Status::Unavailable("database is locked"));
  EXPECT_EQ(cache.Get().sender_email, "hi@shop.example");
  // Never read: not paused by the cache (the send gate decides on its own read).
  SettingsCache fresh(*store_, std::chrono::milliseconds(0));
  EXPECT_FALSE(fresh.Paused());
  EXPECT_EQ(fresh.Get().sender_email, "");
}

}  // namespace
}  // namespace rkd
