// RunAsLeader against a lock the test controls, and FileLeaderLock between two holders
// in one process (flock conflicts between separate opens of one file, as between
// processes). Waits are bounded by generous timeouts, never measured.
#include "leader/leader_election.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "leader/file_leader_lock.h"

namespace rkd {
namespace {

using namespace std::chrono_literals;

// Polls `done` until true or 10 s pass.
bool Eventually(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// A lock that another (imaginary) process holds while `taken_elsewhere`.
class FakeLock final : public LeaderLock {
 public:
  std::atomic<bool> taken_elsewhere{false};
  std::atomic<bool> unreachable{false};
  std::atomic<bool> held{false};
  std::atomic<int> tries{0};

  Result<bool> TryAcquire() override {
    ++tries;
    if (unreachable) return Status::Unavailable("database down");
    if (!held && !taken_elsewhere) held = true;
    return held.load();
  }
  bool Held() override { return held; }
  void Release() override { held = false; }
  // The connection dropped and another process took the lock.
  void LoseTo() {
    taken_elsewhere = true;
    held = false;
  }
};

class Election : public ::testing::Test {
 protected:
  void Start() {
    thread_ = std::thread([this] {
      RunAsLeader(lock_, stop_, {.role = "test", .retry = 5ms, .check = 5ms}, [this](const std::atomic<bool>& down) {
        ++terms_;
        while (!down) std::this_thread::sleep_for(1ms);
        ++ended_;
      });
    });
  }
  void TearDown() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  FakeLock lock_;
  std::atomic<bool> stop_{false};
  std::atomic<int> terms_{0}, ended_{0};
  std::thread thread_;
};

TEST_F(Election, StandsByWhileAnotherLeadsThenLeadsUntilTheLockIsLost) {
  lock_.taken_elsewhere = true;
  Start();
  ASSERT_TRUE(Eventually([&] { return lock_.tries >= 3; }));
  EXPECT_EQ(terms_, 0);

  lock_.taken_elsewhere = false;  // the other leader died
  ASSERT_TRUE(Eventually([&] { return terms_ == 1; }));

  lock_.LoseTo();  // leadership lost: the work stops, the process goes back to standby
  ASSERT_TRUE(Eventually([&] { return ended_ == 1; }));
  const int tries = lock_.tries;
  ASSERT_TRUE(Eventually([&] { return lock_.tries > tries + 2; }));
  EXPECT_EQ(terms_, 1);

  lock_.taken_elsewhere = false;
  ASSERT_TRUE(Eventually([&] { return terms_ == 2; }));
  stop_ = true;
  thread_.join();
  EXPECT_EQ(ended_, 2);
  EXPECT_FALSE(lock_.held) << "released when stopped";
}

TEST_F(Election, KeepsTryingWhileTheLockCannotBeAskedFor) {
  lock_.unreachable = true;
  Start();
  ASSERT_TRUE(Eventually([&] { return lock_.tries >= 3; }));
  EXPECT_EQ(terms_, 0);
  lock_.unreachable = false;
  ASSERT_TRUE(Eventually([&] { return terms_ == 1; }));
}

TEST(FileLeaderLock, OneHolderAtATimeAndAReplacedFileIsNotHeld) {
  const std::string dir = ::testing::TempDir() + "rkd-lock-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/rekindle-stream.lock";
  FileLeaderLock a(path), b(path);

  ASSERT_TRUE(a.TryAcquire().value());
  EXPECT_TRUE(a.TryAcquire().value()) << "trying again while holding it";
  EXPECT_FALSE(b.TryAcquire().value());
  EXPECT_TRUE(a.Held());
  EXPECT_FALSE(b.Held());
  std::string pid;
  std::ifstream(path) >> pid;
  EXPECT_EQ(pid, std::to_string(::getpid()));

  a.Release();
  EXPECT_FALSE(a.Held());
  ASSERT_TRUE(b.TryAcquire().value());
  EXPECT_FALSE(a.TryAcquire().value());

  // Someone deletes the file: a new one could be locked by another, so b no longer holds.
  std::filesystem::remove(path);
  EXPECT_FALSE(b.Held());
  EXPECT_TRUE(a.TryAcquire().value());
  std::filesystem::remove_all(dir);
}

TEST(FileLeaderLock, AFolderThatDoesNotExistIsAnError) {
  FileLeaderLock lock("/nonexistent-rkd-folder/rekindle-stream.lock");
  auto r = lock.TryAcquire();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent-rkd-folder/rekindle-stream.lock"), std::string::npos);
}

}  // namespace
}  // namespace rkd
