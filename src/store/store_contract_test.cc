// The Store contract: every implementation must pass these. A backend registers a
// factory in INSTANTIATE_TEST_SUITE_P below.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace rkd {
namespace {

constexpr Millis kStart = 1'780'000'000'000;

class ManualClock final : public Clock {
 public:
  Millis Now() const override { return now_.load(); }
  void Advance(Millis ms) { now_ += ms; }

 private:
  std::atomic<Millis> now_{kStart};
};

struct Backend {
  std::string name;
  std::function<std::unique_ptr<Store>(const Clock*, const std::string& scratch)> open;
  std::string requires_env;                                 // skipped unless this environment variable is set
  std::function<void(const std::string& scratch)> cleanup;  // after the store is closed
};

void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!GetParam().requires_env.empty() && !std::getenv(GetParam().requires_env.c_str()))
      GTEST_SKIP() << GetParam().requires_env << " is not set";
    scratch_ = ::testing::TempDir() + "rkd-store-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    store_ = GetParam().open(&clock_, scratch_);
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override {
    store_.reset();
    if (GetParam().cleanup && !scratch_.empty()) GetParam().cleanup(scratch_);
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_);
  }

  User NewUser(const std::string& email, const std::string& name = "Ada Lovelace") {
    User u;
    u.email = email;
    u.name = name;
    return u;
  }

  std::vector<UserChange> AllChanges() {
    auto changes = store_->ReadChanges(0, 10000);
    EXPECT_TRUE(changes.ok()) << changes.status().ToString();
    return changes.ok() ? *changes : std::vector<UserChange>{};
  }

  ManualClock clock_;
  std::string scratch_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContractTest, CreateGetAndChangeRecord) {
  User in = NewUser("ada@example.com");
  in.preferred_categories = {"Shoes", "Denim"};
  auto created = store_->CreateUser(in);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(created->user_id.empty());
  EXPECT_EQ(created->created_at, kStart);
  EXPECT_EQ(created->engagement_score, 100);  // new, no order: counted from createdAt

  auto got = store_->GetUser(created->user_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "ada@example.com");
  EXPECT_EQ(got->preferred_categories, (std::vector<std::string>{"Shoes", "Denim"}));

  auto changes = AllChanges();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].op, ChangeOp::kInsert);
  EXPECT_FALSE(changes[0].old_image.has_value());
  ASSERT_TRUE(changes[0].new_image.has_value());
  EXPECT_EQ(changes[0].new_image->email, "ada@example.com");
}

TEST_P(StoreContractTest, DuplicateEmailIsRejectedCaseInsensitivelyAndWritesNothing) {
  ASSERT_TRUE(store_->CreateUser(NewUser("ada@example.com")).ok());
  auto dup = store_->CreateUser(NewUser("ADA@example.com", "Other"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(dup.status().field(), "email");
  EXPECT_EQ(*store_->CountUsers(), 1);
  EXPECT_EQ(AllChanges().size(), 1u);
}

TEST_P(StoreContractTest, UpdateMergesRecomputesScoreAndRecordsOldAndNewImages) {
  User in = NewUser("grace@example.com");
  in.last_order_date = kStart - 10 * kMillisPerDay;
  auto created = store_->CreateUser(in);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->engagement_score, 100);

  clock_.Advance(100 * kMillisPerDay);  // time alone does not rewrite the stored score…
  EXPECT_EQ(store_->GetUser(created->user_id)->engagement_score, 100);
  UserPatch patch;
  patch.name = "Grace Hopper";
  auto updated = store_->UpdateUser(created->user_id, patch);  // …but any write does
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "Grace Hopper");
  EXPECT_EQ(updated->email, "grace@example.com");
  EXPECT_EQ(updated->engagement_score, 60);
  EXPECT_EQ(updated->updated_at, kStart + 100 * kMillisPerDay);

  auto changes = AllChanges();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_GT(changes[1].seq, changes[0].seq);
  EXPECT_EQ(changes[1].op, ChangeOp::kModify);
  EXPECT_EQ(changes[1].old_image->name, "Ada Lovelace");
  EXPECT_EQ(changes[1].new_image->name, "Grace Hopper");
}

TEST_P(StoreContractTest, UpdateToAnotherUsersEmailConflicts) {
  auto a = store_->CreateUser(NewUser("a@example.com"));
  auto b = store_->CreateUser(NewUser("b@example.com"));
  UserPatch patch;
  patch.email = "a@example.com";
  auto r = store_->UpdateUser(b->user_id, patch);
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(store_->GetUser(b->user_id)->email, "b@example.com");
  patch.email = "A@example.com";  // a user may change the case of their own email
  EXPECT_TRUE(store_->UpdateUser(a->user_id, patch).ok());
}

TEST_P(StoreContractTest, UnknownUserIsNotFound) {
  EXPECT_EQ(store_->GetUser("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->UpdateUser("nope", UserPatch{.name = "x"}).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->DeleteUser("nope").code(), Code::kNotFound);
  Order o;
  o.user_id = "nope";
  o.order_date = kStart;
  EXPECT_EQ(store_->CreateOrder(o).status().code(), Code::kNotFound);
  EXPECT_TRUE(AllChanges().empty());
}

TEST_P(StoreContractTest, DeleteRemovesUserAndRecordsRemove) {
  auto u = store_->CreateUser(NewUser("gone@example.com"));
  Order o;
  o.user_id = u->user_id;
  o.order_date = kStart;
  o.total_value = 10;
  ASSERT_TRUE(store_->CreateOrder(o).ok());
  ASSERT_TRUE(store_->DeleteUser(u->user_id).ok());
  EXPECT_TRUE(store_->GetUser(u->user_id).status().IsNotFound());
  EXPECT_TRUE(store_->ListOrders(u->user_id, 10, "")->items.empty());
  auto changes = AllChanges();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[2].op, ChangeOp::kRemove);
  EXPECT_TRUE(changes[2].old_image.has_value());
  EXPECT_FALSE(changes[2].new_image.has_value());
  // The email is free again.
  EXPECT_TRUE(store_->CreateUser(NewUser("gone@example.com")).ok());
}

TEST_P(StoreContractTest, OrdersMoveUserStatistics) {
  User in = NewUser("shopper@example.com");
  in.order_count = 2;
  in.average_order_value = 50;
  in.last_order_date = kStart - 5 * kMillisPerDay;
  auto u = store_->CreateUser(in);
  Order o;
  o.user_id = u->user_id;
  o.total_value = 110;
  o.order_date = kStart - 20 * kMillisPerDay;  // older than the last order: lastOrderDate stays
  o.items = {OrderItem{"i1", "p1", "Boots", "Shoes", 110, 1}};
  auto r = store_->CreateOrder(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->user.order_count, 3);
  EXPECT_DOUBLE_EQ(r->user.average_order_value, 70);
  EXPECT_EQ(r->user.last_order_date, kStart - 5 * kMillisPerDay);
  EXPECT_FALSE(r->order.order_id.empty());

  o.order_date = kStart;
  o.total_value = 30;
  r = store_->CreateOrder(o);
  EXPECT_EQ(r->user.last_order_date, kStart);
  EXPECT_DOUBLE_EQ(r->user.average_order_value, 60);

  auto orders = store_->ListOrders(u->user_id, 10, "");
  ASSERT_EQ(orders->items.size(), 2u);
  EXPECT_EQ(orders->items[0].order_date, kStart);  // newest first
  EXPECT_EQ(orders->items[1].items.at(0).name, "Boots");
}

TEST_P(StoreContractTest, ConcurrentOrdersAddUpExactly) {
  auto u = store_->CreateUser(NewUser("busy@example.com"));
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Order o;
        o.user_id = u->user_id;
        o.order_date = kStart;
        o.total_value = 10;
        if (!store_->CreateOrder(o).ok()) ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto after = store_->GetUser(u->user_id);
  EXPECT_EQ(after->order_count, kThreads * kEach);
  EXPECT_DOUBLE_EQ(after->average_order_value, 10);
}

// An order as a shop would send it under its own order number.
Order ShopOrder(const std::string& user_id, const std::string& external_id) {
  Order o;
  o.user_id = user_id;
  o.external_id = external_id;
  o.order_date = kStart - kMillisPerDay;
  o.total_value = 42.5;
  o.items = {OrderItem{"i1", "p1", "Boots", "Shoes", 40, 1}, OrderItem{"i2", "p2", "Laces", "Shoes", 2.5, 1}};
  return o;
}

TEST_P(StoreContractTest, AnOrderSentTwiceUnderOneExternalIdIsStoredOnce) {
  auto u = store_->CreateUser(NewUser("retry@example.com"));
  ASSERT_TRUE(u.ok());
  auto first = store_->CreateOrder(ShopOrder(u->user_id, "SO-1001"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->replayed);
  EXPECT_EQ(first->order.external_id, "SO-1001");
  EXPECT_EQ(first->user.order_count, 1);
  const size_t changes = AllChanges().size();

  clock_.Advance(60'000);
  // The retry states the same date; a second one states none (its date would be the
  // time it arrived) and still matches.
  Order again = ShopOrder(u->user_id, "SO-1001");
  Order undated = ShopOrder(u->user_id, "SO-1001");
  undated.order_date = clock_.Now();
  undated.order_date_given = false;
  for (const Order& retry : {again, undated}) {
    auto r = store_->CreateOrder(retry);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->replayed);
    EXPECT_EQ(r->order.order_id, first->order.order_id);
    EXPECT_EQ(r->order.order_date, first->order.order_date);
    EXPECT_EQ(r->order.created_at, first->order.created_at);
    EXPECT_EQ(r->order.items, first->order.items);
    EXPECT_EQ(r->user.order_count, 1);
    EXPECT_DOUBLE_EQ(r->user.average_order_value, 42.5);
  }
  EXPECT_EQ(AllChanges().size(), changes);  // no change record, so no event
  auto stored = store_->GetUser(u->user_id);
  EXPECT_EQ(stored->order_count, 1);
  EXPECT_DOUBLE_EQ(stored->average_order_value, 42.5);
  EXPECT_EQ(stored->updated_at, first->user.updated_at);
  auto orders = store_->ListOrders(u->user_id, 10, "");
  ASSERT_EQ(orders->items.size(), 1u);
  EXPECT_EQ(orders->items[0].external_id, "SO-1001");

  // Orders without an externalId never collide.
  Order plain = ShopOrder(u->user_id, "");
  ASSERT_TRUE(store_->CreateOrder(plain).ok());
  ASSERT_TRUE(store_->CreateOrder(plain).ok());
  EXPECT_EQ(store_->GetUser(u->user_id)->order_count, 3);
}

TEST_P(StoreContractTest, ADifferentOrderUnderATakenExternalIdConflictsAndWritesNothing) {
  auto u = store_->CreateUser(NewUser("first@example.com"));
  auto other = store_->CreateUser(NewUser("second@example.com"));
  ASSERT_TRUE(u.ok() && other.ok());
  auto first = store_->CreateOrder(ShopOrder(u->user_id, "SO-7"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const size_t changes = AllChanges().size();

  Order more = ShopOrder(u->user_id, "SO-7");
  more.total_value = 43;
  Order later = ShopOrder(u->user_id, "SO-7");
  later.order_date = kStart;
  Order fewer = ShopOrder(u->user_id, "SO-7");
  fewer.items.pop_back();
  Order someone_else = ShopOrder(other->user_id, "SO-7");
  for (const Order& o : {more, later, fewer, someone_else}) {
    auto r = store_->CreateOrder(o);
    EXPECT_EQ(r.status().code(), Code::kAlreadyExists) << r.status().ToString();
    EXPECT_EQ(r.status().field(), "externalId");
  }
  EXPECT_EQ(AllChanges().size(), changes);
  EXPECT_EQ(store_->GetUser(u->user_id)->order_count, 1);
  EXPECT_EQ(store_->GetUser(other->user_id)->order_count, 0);
  EXPECT_TRUE(store_->ListOrders(other->user_id, 10, "")->items.empty());
  EXPECT_EQ(store_->ListOrders(u->user_id, 10, "")->items.at(0).total_value, 42.5);
}

TEST_P(StoreContractTest, ConcurrentOrdersUnderOneExternalIdStoreExactlyOne) {
  auto u = store_->CreateUser(NewUser("twice@example.com"));
  auto other = store_->CreateUser(NewUser("thrice@example.com"));
  ASSERT_TRUE(u.ok() && other.ok());
  const size_t changes = AllChanges().size();
  // Six retries of one order, and two other clients' orders under the same number, all
  // released at once: one order is stored, the retries replay it or conflict with it.
  constexpr int kThreads = 8;
  std::atomic<int> ready{0}, created{0}, replayed{0}, conflicts{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const Order o = ShopOrder(t < 6 ? u->user_id : other->user_id, "SO-RACE");
      ++ready;
      while (ready < kThreads) std::this_thread::yield();
      auto r = store_->CreateOrder(o);
      if (r.ok())
        ++(r->replayed ? replayed : created);
      else if (r.status().code() == Code::kAlreadyExists && r.status().field() == "externalId")
        ++conflicts;
      else
        ++failures;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(created, 1);
  EXPECT_EQ(replayed + conflicts, kThreads - 1);
  const int64_t count_u = store_->GetUser(u->user_id)->order_count;
  const int64_t count_other = store_->GetUser(other->user_id)->order_count;
  EXPECT_EQ(count_u + count_other, 1);
  EXPECT_EQ(
      store_->ListOrders(u->user_id, 10, "")->items.size() + store_->ListOrders(other->user_id, 10, "")->items.size(),
      1u);
  // The winner's clients replay, the others conflict.
  EXPECT_EQ(replayed, count_u == 1 ? 5 : 1);
  EXPECT_EQ(AllChanges().size(), changes + 1);
}

TEST_P(StoreContractTest, ListUsersPaginatesStablyUnderInsertsWithFiltersAndSorts) {
  for (int i = 0; i < 25; ++i) {
    User u = NewUser("user" + std::to_string(i) + "@example.com", "User " + std::string(1, char('A' + i)));
    u.last_order_date = kStart - (i * 5) * kMillisPerDay;  // older and older
    clock_.Advance(1000);
    ASSERT_TRUE(store_->CreateUser(u).ok());
  }
  UserQuery q;
  q.limit = 10;
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = store_->ListUsers(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& u : page->items) EXPECT_TRUE(seen.insert(u.user_id).second) << "duplicate " << u.user_id;
    ++pages;
    // A concurrent insert must not shift the pages we have not read yet.
    clock_.Advance(1000);
    store_->CreateUser(NewUser("late" + std::to_string(pages) + "@example.com"));
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen.size(), 25u);
  EXPECT_EQ(pages, 3);

  UserQuery risky;
  risky.score_below = 75;
  risky.sort = UserSort::kScore;
  risky.descending = false;
  risky.limit = 100;
  auto at_risk = store_->ListUsers(risky);
  ASSERT_FALSE(at_risk->items.empty());
  for (size_t i = 0; i < at_risk->items.size(); ++i) {
    EXPECT_LT(at_risk->items[i].engagement_score, 75);
    if (i) {
      EXPECT_LE(at_risk->items[i - 1].engagement_score, at_risk->items[i].engagement_score);
    }
  }

  UserQuery search;
  search.search = "user1";  // user1, user10…user19
  EXPECT_EQ(store_->ListUsers(search)->items.size(), 11u);
  search.search = "100%";  // wildcards are literal
  EXPECT_TRUE(store_->ListUsers(search)->items.empty());

  UserQuery by_name;
  by_name.sort = UserSort::kName;
  by_name.descending = false;
  by_name.limit = 2;
  auto first = store_->ListUsers(by_name);
  EXPECT_EQ(first->items[0].name, "Ada Lovelace");
  by_name.sort = UserSort::kScore;
  by_name.cursor = first->next_cursor;  // a cursor from another sort is refused
  EXPECT_EQ(store_->ListUsers(by_name).status().field(), "cursor");
  by_name.cursor = "!!not-a-cursor";
  EXPECT_EQ(store_->ListUsers(by_name).status().code(), Code::kInvalidArgument);
}

// The dashboard's counters (kept by triggers per row; an import counts its clients at
// once) agree with the clients themselves.
void ExpectCountersMatchClients(Store& store) {
  UserQuery all;
  all.limit = 500;
  auto users = store.ListUsers(all);
  ASSERT_TRUE(users.ok());
  int64_t at_risk = 0, histogram[10] = {};
  for (const User& u : users->items) {
    at_risk += u.engagement_score < 75 ? 1 : 0;
    ++histogram[std::min(static_cast<int>(u.engagement_score / 10), 9)];
  }
  auto m = store.Metrics(75);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->users, static_cast<int64_t>(users->items.size()));
  EXPECT_EQ(m->at_risk, at_risk);
  for (int b = 0; b < 10; ++b) EXPECT_EQ(m->score_histogram[b], histogram[b]) << "decile " << b;
}

TEST_P(StoreContractTest, ImportLoadsUsersOrdersAndChanges) {
  std::vector<User> users(3);
  std::vector<Order> orders;
  for (int i = 0; i < 3; ++i) {
    users[i].user_id = "u" + std::to_string(i);
    users[i].email = "u" + std::to_string(i) + "@example.com";
    users[i].name = "U";
    users[i].order_count = 1;
    users[i].last_order_date = kStart - 100 * kMillisPerDay;
    users[i].created_at = kStart - 200 * kMillisPerDay;
    Order o;
    o.user_id = users[i].user_id;
    o.order_date = *users[i].last_order_date;
    o.total_value = 20;
    orders.push_back(o);
  }
  ASSERT_TRUE(store_->Import(users, orders).ok());
  EXPECT_EQ(*store_->CountUsers(), 3);
  EXPECT_EQ(store_->GetUser("u1")->engagement_score, 61.5);  // 100 − 40 + 1.5
  EXPECT_EQ(store_->ListOrders("u1", 10, "")->items.size(), 1u);
  EXPECT_EQ(AllChanges().size(), 3u);
  // A second import of the same ids fails as a whole.
  EXPECT_FALSE(store_->Import(users, {}).ok());
  EXPECT_EQ(*store_->CountUsers(), 3);
  ExpectCountersMatchClients(*store_);
}

TEST_P(StoreContractTest, ChangeStreamReadsAfterASeqAndCheckpointsPersist) {
  for (int i = 0; i < 5; ++i) store_->CreateUser(NewUser("c" + std::to_string(i) + "@example.com"));
  auto all = AllChanges();
  ASSERT_EQ(all.size(), 5u);
  auto tail = store_->ReadChanges(all[2].seq, 10);
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ((*tail)[0].seq, all[3].seq);
  EXPECT_EQ(store_->ReadChanges(all[0].seq, 1)->size(), 1u);

  EXPECT_EQ(*store_->GetCheckpoint("stream"), 0);
  ASSERT_TRUE(store_->SetCheckpoint("stream", all[3].seq).ok());
  EXPECT_EQ(*store_->GetCheckpoint("stream"), all[3].seq);
}

// The pipeline's own writes (a score refresh, an email reservation) change only its own
// fields: nothing would ever publish them, so nothing is recorded. A MODIFY keeps the old
// image as a diff, and reads back whole.
TEST_P(StoreContractTest, OnlyChangesThePipelineCanActOnAreRecorded) {
  auto user = store_->CreateUser(NewUser("quiet@example.com", "Quiet Client"));
  ASSERT_TRUE(user.ok());
  const int64_t after_insert = *store_->LatestChangeSeq();
  clock_.Advance(100 * kMillisPerDay);
  ASSERT_EQ(store_->RefreshScores({user->user_id})->size(), 1u);
  Email draft;
  draft.email_id = "e-quiet";
  draft.user_id = user->user_id;
  draft.generated_at = clock_.Now();
  ASSERT_EQ(store_->ReserveEmail(draft, "t1", kMillisPerDay, 60'000)->outcome, EmailReservation::Outcome::kReserved);
  UserPatch same_name;
  same_name.name = "Quiet Client";
  ASSERT_TRUE(store_->UpdateUser(user->user_id, same_name).ok());
  EXPECT_EQ(*store_->LatestChangeSeq(), after_insert);

  UserPatch renamed;
  renamed.name = "Loud Client";
  ASSERT_TRUE(store_->UpdateUser(user->user_id, renamed).ok());
  auto changes = store_->ReadChanges(after_insert, 10);
  ASSERT_EQ(changes->size(), 1u);
  const UserChange& c = (*changes)[0];
  EXPECT_EQ(c.old_image->name, "Quiet Client");
  EXPECT_EQ(c.new_image->name, "Loud Client");
  EXPECT_EQ(c.old_image->email, "quiet@example.com");  // unchanged fields come from the new image
  EXPECT_TRUE(c.old_image->last_email_date.has_value());
  EXPECT_EQ(c.old_image->created_at, c.new_image->created_at);
}

// Pruning deletes only records below the given seq and older than the retention. The
// stream processor passes its checkpoint, whose own record stays: the latest seq never
// goes back.
TEST_P(StoreContractTest, PruningKeepsWhatIsNotBehindTheCheckpointOrIsRecent) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(store_->CreateUser(NewUser("p" + std::to_string(i) + "@example.com")).ok());
  clock_.Advance(2 * kMillisPerDay);
  ASSERT_TRUE(store_->CreateUser(NewUser("recent@example.com")).ok());
  auto all = AllChanges();
  ASSERT_EQ(all.size(), 7u);
  const int64_t latest = *store_->LatestChangeSeq();

  EXPECT_EQ(*store_->PruneChanges(all[4].seq, kMillisPerDay, 3), 3);    // the limit holds
  EXPECT_EQ(*store_->PruneChanges(all[4].seq, kMillisPerDay, 100), 1);  // all[3] was the last behind all[4]
  EXPECT_EQ(*store_->PruneChanges(all[4].seq, kMillisPerDay, 100), 0);
  auto left = AllChanges();
  ASSERT_EQ(left.size(), 3u);
  EXPECT_EQ(left[0].seq, all[4].seq);

  EXPECT_EQ(*store_->PruneChanges(latest + 1, 3 * kMillisPerDay, 100), 0);  // none is that old
  EXPECT_EQ(*store_->PruneChanges(latest + 1, kMillisPerDay, 100), 2);      // the recent one stays
  EXPECT_EQ(AllChanges().size(), 1u);
  EXPECT_EQ(*store_->LatestChangeSeq(), latest);
}

// The dashboard's figures come from counters kept as the store writes: after creates,
// rescores, updates, deletes and emails moving through their statuses they equal what
// the rows themselves say. An import (PostgreSQL recounts at its end) counts too.
TEST_P(StoreContractTest, TheDashboardFiguresFollowEveryWrite) {
  User imported = NewUser("imported@example.com");
  imported.last_order_date = clock_.Now() - 100 * kMillisPerDay;
  ASSERT_TRUE(store_->Import({imported, NewUser("imported2@example.com")}, {}).ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    User u = NewUser("m" + std::to_string(i) + "@example.com");
    u.last_order_date = clock_.Now() - int64_t{i} * 20 * kMillisPerDay;  // scores from 100 down
    u.order_count = i % 4;
    u.average_order_value = 10.0 * i;
    auto created = store_->CreateUser(u);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ids.push_back(created->user_id);
  }
  ASSERT_TRUE(store_->DeleteUser(ids[3]).ok());
  UserPatch recent;  // an order today, the seed's way (an implied order)
  recent.last_order_date = clock_.Now();
  recent.order_count = 11 % 4 + 1;
  ASSERT_TRUE(store_->UpdateUser(ids[11], recent).ok());
  clock_.Advance(45 * kMillisPerDay);
  ASSERT_TRUE(store_->RefreshScores(ids).ok());
  Email draft;
  draft.generated_at = clock_.Now();
  for (int i : {5, 6, 7}) {
    draft.email_id = "e-m" + std::to_string(i);
    draft.user_id = ids[static_cast<size_t>(i)];
    ASSERT_EQ(store_->ReserveEmail(draft, "t", kMillisPerDay, 60'000)->outcome, EmailReservation::Outcome::kReserved);
  }
  ASSERT_TRUE(store_->FinishEmail("e-m5", "SENT", clock_.Now(), "").ok());
  ASSERT_TRUE(store_->FinishEmail("e-m6", "FAILED", std::nullopt, "550").ok());
  ASSERT_TRUE(store_->FinishEmail("e-m7", "SENT", clock_.Now(), "").ok());
  ASSERT_TRUE(store_->RecordEmailEvent("e-m7", "open", "").ok());
  ASSERT_TRUE(store_->DeleteUser(ids[6]).ok());  // and their email with them

  UserQuery all;
  all.limit = 500;
  auto users = store_->ListUsers(all);
  ASSERT_TRUE(users.ok());
  int64_t at_risk = 0, histogram[10] = {};
  double sum = 0;
  for (const User& u : users->items) {
    at_risk += u.engagement_score < 75 ? 1 : 0;
    sum += u.engagement_score;
    ++histogram[std::min(static_cast<int>(u.engagement_score / 10), 9)];
  }
  auto m = store_->Metrics(75);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->users, 12);
  EXPECT_EQ(*store_->CountUsers(), 12);
  EXPECT_EQ(m->at_risk, at_risk);
  EXPECT_GT(at_risk, 0);
  EXPECT_LT(at_risk, 12);
  EXPECT_NEAR(m->average_score, sum / 12, 1e-9);
  for (int b = 0; b < 10; ++b) EXPECT_EQ(m->score_histogram[b], histogram[b]) << "decile " << b;
  EXPECT_EQ(m->emails_total, 2);
  EXPECT_EQ(m->emails_last_7_days, 2);
  std::map<std::string, int64_t> by_status(m->emails_by_status.begin(), m->emails_by_status.end());
  EXPECT_EQ(by_status, (std::map<std::string, int64_t>{{"OPENED", 1}, {"SENT", 1}}));
  ASSERT_EQ(m->emails_per_day.size(), 1u);
  EXPECT_EQ(m->emails_per_day[0], std::pair(clock_.Now() / kMillisPerDay * kMillisPerDay, int64_t{2}));
  clock_.Advance(7 * kMillisPerDay);
  EXPECT_EQ(store_->Metrics(75)->emails_last_7_days, 0);
  EXPECT_EQ(store_->Metrics(75)->emails_last_30_days, 2);
}

// /health and GET /api/alerts: FAILED emails created in a window, and the newest one.
TEST_P(StoreContractTest, RecentDeliveryFailuresCountTheWindowAndNameTheNewest) {
  const Millis start = clock_.Now();
  EXPECT_EQ(store_->RecentDeliveryFailures(start - kMillisPerDay)->count, 0);
  Email draft;
  int n = 0;
  auto reserve = [&](const std::string& id) {
    auto u = store_->CreateUser(NewUser("fail" + std::to_string(n++) + "@example.com"));
    ASSERT_TRUE(u.ok());
    draft.email_id = id;
    draft.user_id = u->user_id;
    draft.generated_at = clock_.Now();
    ASSERT_EQ(store_->ReserveEmail(draft, "t-" + id, kMillisPerDay, 60'000)->outcome,
              EmailReservation::Outcome::kReserved);
  };
  reserve("e-old");
  ASSERT_TRUE(store_->FinishEmail("e-old", "FAILED", std::nullopt, "550 old").ok());
  clock_.Advance(2 * 3'600'000);
  reserve("e-sent");
  ASSERT_TRUE(store_->FinishEmail("e-sent", "SENT", clock_.Now(), "").ok());
  reserve("e-retrying");  // a temporary failure, to be retried: not (yet) a failed delivery
  ASSERT_TRUE(store_->FinishEmail("e-retrying", "GENERATED", std::nullopt, "451 try later").ok());
  clock_.Advance(1000);
  reserve("e-new");
  const std::string new_user = draft.user_id;
  ASSERT_TRUE(store_->FinishEmail("e-new", "FAILED", std::nullopt, "550 5.1.1 user unknown").ok());

  auto recent = store_->RecentDeliveryFailures(clock_.Now() - 3'600'000);
  ASSERT_TRUE(recent.ok()) << recent.status().ToString();
  EXPECT_EQ(recent->count, 1);
  EXPECT_EQ(recent->email_id, "e-new");
  EXPECT_EQ(recent->user_id, new_user);
  EXPECT_EQ(recent->error, "550 5.1.1 user unknown");
  EXPECT_EQ(recent->at, clock_.Now());
  auto day = store_->RecentDeliveryFailures(start - 1);
  EXPECT_EQ(day->count, 2);
  EXPECT_EQ(day->email_id, "e-new");
  auto none = store_->RecentDeliveryFailures(clock_.Now() + 1);
  EXPECT_EQ(none->count, 0);
  EXPECT_TRUE(none->email_id.empty());
}

TEST_P(StoreContractTest, EmailsAreEmptyAndUnknownEmailIsNotFound) {
  EXPECT_TRUE(store_->ListEmails(EmailQuery{})->items.empty());
  EXPECT_TRUE(store_->GetEmail("missing").status().IsNotFound());
}

// Ping is the workers' probe while the store is away: a live store answers it, and it
// writes nothing.
TEST_P(StoreContractTest, PingAnswersAndWritesNothing) {
  ASSERT_TRUE(store_->CreateUser(NewUser("ping@example.com")).ok());
  const auto before = AllChanges().size();
  EXPECT_TRUE(store_->Ping().ok());
  EXPECT_TRUE(store_->Ping().ok());
  EXPECT_EQ(AllChanges().size(), before);
  EXPECT_EQ(*store_->CountUsers(), 1);
}

TEST_P(StoreContractTest, TheSendLeaseLetsOneDeliverySendAnEmailAtATime) {
  auto user = store_->CreateUser(NewUser("lease@example.com"));
  ASSERT_TRUE(user.ok());
  Email draft;
  draft.email_id = "e-lease";
  draft.user_id = user->user_id;
  draft.subject = "Hi";
  draft.generated_at = clock_.Now();
  using O = EmailReservation::Outcome;
  const Millis lease = 60'000, cooldown = 7 * kMillisPerDay;
  EXPECT_EQ(store_->ReserveEmail(draft, "t1", cooldown, lease)->outcome, O::kReserved);
  EXPECT_EQ(store_->ReserveEmail(draft, "t1", cooldown, lease)->outcome, O::kClaimed);  // a second delivery
  clock_.Advance(lease + 1);  // the first died mid-send: its lease ran out
  EXPECT_EQ(store_->ReserveEmail(draft, "t1", cooldown, lease)->outcome, O::kExisting);
  EXPECT_EQ(store_->ReserveEmail(draft, "t1", cooldown, lease)->outcome, O::kClaimed);
  ASSERT_TRUE(store_->FinishEmail("e-lease", "SENT", clock_.Now(), "").ok());
  auto after = store_->ReserveEmail(draft, "t1", cooldown, lease);
  EXPECT_EQ(after->outcome, O::kExisting);  // sent: nothing to claim, the caller sends nothing
  EXPECT_EQ(after->email.status, "SENT");
}

// The cooldown's edge, to the millisecond (issue 14): a draft generated cooldown − 1 ms
// after the last email is refused, one generated exactly the cooldown after is stored.
// A cooldown a day short (or <= for <) in the store's check fails here.
TEST_P(StoreContractTest, ReserveEmailHonoursTheCooldownToTheMillisecond) {
  auto user = store_->CreateUser(NewUser("edge@example.com"));
  ASSERT_TRUE(user.ok());
  using O = EmailReservation::Outcome;
  const Millis lease = 60'000, cooldown = 7 * kMillisPerDay, first = clock_.Now();
  auto draft = [&](const std::string& id) {
    Email e;
    e.email_id = id;
    e.user_id = user->user_id;
    e.subject = "Hi";
    e.generated_at = clock_.Now();
    return e;
  };
  ASSERT_EQ(store_->ReserveEmail(draft("e-first"), "t1", cooldown, lease)->outcome, O::kReserved);
  ASSERT_TRUE(store_->FinishEmail("e-first", "SENT", clock_.Now(), "").ok());
  EXPECT_EQ(store_->GetUser(user->user_id)->last_email_date, first);

  clock_.Advance(cooldown - kMillisPerDay);
  EXPECT_EQ(store_->ReserveEmail(draft("e-day-short"), "t2", cooldown, lease)->outcome, O::kCooldown);
  clock_.Advance(kMillisPerDay - 1);
  EXPECT_EQ(store_->ReserveEmail(draft("e-1ms-short"), "t3", cooldown, lease)->outcome, O::kCooldown);
  EXPECT_TRUE(store_->GetEmail("e-day-short").status().IsNotFound());
  EXPECT_TRUE(store_->GetEmail("e-1ms-short").status().IsNotFound());
  EXPECT_EQ(store_->GetUser(user->user_id)->last_email_date, first);

  clock_.Advance(1);
  auto due = store_->ReserveEmail(draft("e-due"), "t4", cooldown, lease);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->outcome, O::kReserved);
  EXPECT_EQ(due->email.email_id, "e-due");
  EXPECT_EQ(store_->GetUser(user->user_id)->last_email_date, first + cooldown);
}

// Orders paged two at a time, with several orders on one date (the cursor must break
// ties on the order id): every order exactly once, newest first (issue 14).
TEST_P(StoreContractTest, OrdersPageThroughEveryOrderExactlyOnceAcrossEqualDates) {
  auto u = store_->CreateUser(NewUser("pages@example.com"));
  ASSERT_TRUE(u.ok());
  const Millis d = kStart - 30 * kMillisPerDay;
  std::set<std::string> created;
  for (Millis date : {d, d + kMillisPerDay, d + kMillisPerDay, d + kMillisPerDay, d + 2 * kMillisPerDay,
                      d + 2 * kMillisPerDay, d + 3 * kMillisPerDay}) {
    Order o;
    o.user_id = u->user_id;
    o.total_value = 10;
    o.order_date = date;
    o.items = {OrderItem{"i", "p", "Socks", "Knitwear", 10, 1}};
    auto r = store_->CreateOrder(o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    created.insert(r->order.order_id);
  }
  ASSERT_EQ(created.size(), 7u);
  std::vector<Order> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store_->ListOrders(u->user_id, 2, cursor);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_LE(page->items.size(), 2u);
    seen.insert(seen.end(), page->items.begin(), page->items.end());
    cursor = page->next_cursor;
    ASSERT_LT(++pages, 10) << "the cursor does not end";
  } while (!cursor.empty());
  EXPECT_EQ(pages, 4);
  std::multiset<std::string> ids;
  for (const Order& o : seen) ids.insert(o.order_id);
  EXPECT_EQ(ids, std::multiset<std::string>(created.begin(), created.end()));
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i - 1].order_date, seen[i].order_date) << i;
}

// The email processor's batch (issue 18): one transaction decides every draft as
// ReserveEmail would, in order, each seeing the ones before it; one records the outcomes.
TEST_P(StoreContractTest, ABatchReservationDecidesEachDraftInTurnAndOneFinishRecordsThem) {
  auto ana = store_->CreateUser(NewUser("ana@example.com"));
  auto bo = store_->CreateUser(NewUser("bo@example.com"));
  ASSERT_TRUE(ana.ok() && bo.ok());
  using O = EmailReservation::Outcome;
  const Millis lease = 60'000, cooldown = 7 * kMillisPerDay, now = clock_.Now();
  auto draft = [&](const std::string& id, const std::string& user_id) {
    Email e;
    e.email_id = id;
    e.user_id = user_id;
    e.subject = "Hi " + id;
    e.generated_at = now;
    return e;
  };
  // An email reserved before the batch, whose sender died: its lease has run out.
  ASSERT_EQ(store_->ReserveEmail(draft("e-old", bo->user_id), "t0", 0, lease)->outcome, O::kReserved);
  clock_.Advance(lease + 1);
  auto batch = store_->ReserveEmails({{draft("e-ana", ana->user_id), "t1"},
                                      {draft("e-ana-2", ana->user_id), "t2"},  // the same user, another trigger
                                      {draft("e-ana", ana->user_id), "t1"},    // the same email again
                                      {draft("e-old", bo->user_id), "t0"},
                                      {draft("e-ghost", "no-such-user"), "t3"}},
                                     cooldown, lease);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->size(), 5u);
  EXPECT_EQ((*batch)[0]->outcome, O::kReserved);
  EXPECT_EQ((*batch)[0]->email.status, "GENERATED");
  EXPECT_EQ((*batch)[1]->outcome, O::kCooldown);
  EXPECT_EQ((*batch)[2]->outcome, O::kClaimed) << "one delivery sends at a time, within a batch too";
  EXPECT_EQ((*batch)[3]->outcome, O::kExisting);
  EXPECT_EQ((*batch)[3]->email.subject, "Hi e-old");
  EXPECT_TRUE((*batch)[4].status().IsNotFound());
  EXPECT_EQ(store_->GetUser(ana->user_id)->last_email_date, now);
  EXPECT_TRUE(store_->GetEmail("e-ana-2").status().IsNotFound());
  // Both leases run: a single reservation of either is claimed.
  EXPECT_EQ(store_->ReserveEmail(draft("e-ana", ana->user_id), "t1", cooldown, lease)->outcome, O::kClaimed);
  EXPECT_EQ(store_->ReserveEmail(draft("e-old", bo->user_id), "t0", cooldown, lease)->outcome, O::kClaimed);
  // A reservation changes only the pipeline's fields: no change record.
  EXPECT_EQ(AllChanges().size(), 2u);

  auto finished = store_->FinishEmails({{"e-ana", "SENT", clock_.Now(), ""},
                                        {"e-old", "GENERATED", std::nullopt, "451 try later"},
                                        {"e-unknown", "SENT", clock_.Now(), ""}});
  ASSERT_TRUE(finished.ok()) << finished.status().ToString();
  ASSERT_EQ(finished->size(), 3u);
  EXPECT_TRUE((*finished)[0].ok());
  EXPECT_TRUE((*finished)[1].ok());
  EXPECT_TRUE((*finished)[2].IsNotFound());
  EXPECT_EQ(store_->GetEmail("e-ana")->status, "SENT");
  EXPECT_EQ(store_->GetEmail("e-ana")->sent_at, clock_.Now());
  EXPECT_EQ(store_->GetEmail("e-old")->error, "451 try later");
  // Finishing ended the leases: the unsent one is the next delivery's to take.
  EXPECT_EQ(store_->ReserveEmail(draft("e-old", bo->user_id), "t0", cooldown, lease)->outcome, O::kExisting);
  EXPECT_TRUE(store_->ReserveEmails({}, cooldown, lease)->empty());
  EXPECT_TRUE(store_->FinishEmails({})->empty());
}

TEST_P(StoreContractTest, BatchedReadsReturnWhatExists) {
  auto ana = store_->CreateUser(NewUser("Ana@Example.com"));
  auto bo = store_->CreateUser(NewUser("bo@example.com"));
  ASSERT_TRUE(ana.ok() && bo.ok());
  auto users = store_->GetUsers({bo->user_id, "no-such-user", ana->user_id});
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  std::set<std::string> names;
  for (const User& u : *users) names.insert(u.email);
  EXPECT_EQ(names, (std::set<std::string>{"Ana@Example.com", "bo@example.com"}));
  EXPECT_TRUE(store_->GetUsers({})->empty());

  Email e;
  e.email_id = "e-1";
  e.user_id = ana->user_id;
  e.subject = "Hi";
  e.generated_at = clock_.Now();
  ASSERT_TRUE(store_->ReserveEmail(e, "t1", 0, 1000).ok());
  auto emails = store_->GetEmails({"e-1", "e-none"});
  ASSERT_TRUE(emails.ok());
  ASSERT_EQ(emails->size(), 1u);
  EXPECT_EQ((*emails)[0].subject, "Hi");
  EXPECT_EQ((*emails)[0].user_id, ana->user_id);

  ASSERT_TRUE(store_->Suppress("ANA@example.com", "unsubscribed").ok());
  auto suppressed = store_->SuppressedAmong({"Ana@Example.com", "bo@example.com", "x@example.com"});
  ASSERT_TRUE(suppressed.ok());
  EXPECT_EQ(*suppressed, std::vector<std::string>{"Ana@Example.com"}) << "compared without case, returned as given";
  EXPECT_TRUE(store_->SuppressedAmong({})->empty());
}

TEST_P(StoreContractTest, ScanUsersVisitsEveryUserOnce) {
  std::set<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    auto u = store_->CreateUser(NewUser("scan" + std::to_string(i) + "@example.com"));
    ASSERT_TRUE(u.ok());
    ids.insert(u->user_id);
  }
  std::vector<std::string> seen;
  std::string after;
  for (;;) {
    auto page = store_->ScanUsers(after, 3);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    EXPECT_LE(page->size(), 3u);
    for (const User& u : *page) seen.push_back(u.user_id);
    after = page->back().user_id;
  }
  EXPECT_EQ(seen.size(), ids.size()) << "a user seen twice";
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), ids);
}

// ---- journeys (issue 16) ----

TEST_P(StoreContractTest, MessagesKeepEveryVersionAndRefuseAStaleEdit) {
  EXPECT_TRUE(store_->ListMessages()->empty()) << "a fresh store has only the built-in messages";
  EXPECT_TRUE(store_->GetMessage("winback-1", std::nullopt).status().IsNotFound());
  MessageVersion m{.name = "winback-1",
                   .content = {"Hi {{firstName}}", "Text {{shopUrl}}", "<a href=\"{{shopUrl}}\">x</a>", ""},
                   .note = "first edit",
                   .created_by = "marketing"};
  auto one = store_->SaveMessage(m, 0);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->version, 1);
  EXPECT_EQ(one->created_at, clock_.Now());
  m.content.subject = "Hello {{firstName}}";
  m.content.instructions = "Be brief.";
  m.note = "shorter";
  clock_.Advance(1000);
  auto two = store_->SaveMessage(m, 1);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(two->version, 2);
  auto stale = store_->SaveMessage(m, 1);  // edited from version 1 while 2 was saved
  EXPECT_EQ(stale.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(stale.status().field(), "baseVersion");
  EXPECT_EQ(store_->SaveMessage(m, std::nullopt)->version, 3) << "without a base, a save always lands";
  MessageVersion other{.name = "spring", .content = {"S", "T {{shopUrl}}", "H", ""}, .created_by = "k"};
  ASSERT_TRUE(store_->SaveMessage(other, 0).ok());

  auto latest = store_->GetMessage("winback-1", std::nullopt);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 3);
  EXPECT_EQ(latest->content.subject, "Hello {{firstName}}");
  EXPECT_EQ(latest->content.instructions, "Be brief.");
  auto first = store_->GetMessage("winback-1", 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->content.subject, "Hi {{firstName}}");
  EXPECT_EQ(first->note, "first edit");
  EXPECT_EQ(first->created_by, "marketing");
  EXPECT_TRUE(store_->GetMessage("winback-1", 9).status().IsNotFound());
  auto all = store_->ListMessages();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(((*all)[0].name + ":" + std::to_string((*all)[0].version)), "spring:1");
  EXPECT_EQ(((*all)[1].name + ":" + std::to_string((*all)[1].version)), "winback-1:3");
  auto history = store_->MessageHistory("winback-1", 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].version, 3);
  EXPECT_EQ((*history)[2].note, "first edit");
  EXPECT_EQ(store_->MessageHistory("winback-1", 2)->size(), 2u);
  EXPECT_TRUE(AllChanges().empty()) << "a message is no client change";
}

TEST_P(StoreContractTest, OneExperimentRunsAtATimeAndItsTotalsComeFromItsEmails) {
  Experiment e{.experiment_id = "exp-1",
               .name = "Shorter subject",
               .message = "winback-1",
               .variants = {{"winback-1", 1}, {"winback-1-short", 3}},
               .allocation = "bandit",
               .weights = {0.5, 0.5},
               .planned_at = clock_.Now(),
               .created_at = clock_.Now(),
               .created_by = "marketing"};
  EXPECT_FALSE(*store_->RunningExperiment()) << "none runs in a fresh store";
  ASSERT_TRUE(store_->CreateExperiment(e).ok());
  Experiment second = e;
  second.experiment_id = "exp-2";
  EXPECT_EQ(store_->CreateExperiment(second).code(), Code::kAlreadyExists) << "one runs at a time";
  auto running = store_->RunningExperiment();
  ASSERT_TRUE(running.ok() && *running);
  EXPECT_EQ((*running)->experiment_id, "exp-1");
  EXPECT_EQ((*running)->variants[1].message, "winback-1-short");
  EXPECT_DOUBLE_EQ((*running)->variants[1].weight, 3);
  EXPECT_EQ((*running)->weights, (std::vector<double>{0.5, 0.5}));
  EXPECT_EQ((*running)->created_by, "marketing");

  // A re-plan lands over the plan it read, once: a second process's stale one does not.
  const Millis first_plan = e.planned_at;
  clock_.Advance(300'000);
  EXPECT_TRUE(*store_->ReplanExperiment("exp-1", first_plan, {clock_.Now(), {0.3, 0.7}, "bandit re-plan"}));
  EXPECT_FALSE(*store_->ReplanExperiment("exp-1", first_plan, {clock_.Now(), {0.9, 0.1}, "bandit re-plan"}));
  auto got = store_->GetExperiment("exp-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->weights, (std::vector<double>{0.3, 0.7}));
  EXPECT_EQ(got->planned_at, clock_.Now());
  auto allocations = store_->ExperimentAllocations("exp-1");
  ASSERT_TRUE(allocations.ok());
  ASSERT_EQ(allocations->size(), 2u);
  EXPECT_EQ((*allocations)[0].reason, "start");
  EXPECT_EQ((*allocations)[1].weights, (std::vector<double>{0.3, 0.7}));

  // Totals: delivered emails only, by variant; clicks, conversions, revenue and its squares.
  std::vector<std::string> users;
  for (int i = 0; i < 4; ++i)
    users.push_back(store_->CreateUser(NewUser("x" + std::to_string(i) + "@example.com"))->user_id);
  auto email = [&](int i, int variant, const std::string& status) {
    Email draft;
    draft.email_id = "e-x" + std::to_string(i);
    draft.user_id = users[static_cast<size_t>(i)];
    draft.generated_at = clock_.Now();
    draft.experiment_id = "exp-1";
    draft.variant = variant;
    ASSERT_TRUE(store_->ReserveEmail(draft, "t-x" + std::to_string(i), 0, 60'000).ok());
    ASSERT_TRUE(store_->FinishEmail(draft.email_id, status, clock_.Now(), status == "FAILED" ? "550" : "").ok());
  };
  email(0, 0, "SENT");
  email(1, 1, "SENT");
  email(2, 1, "SENT");
  email(3, 1, "FAILED");
  {  // a later step's email to a client already counted: one recipient still
    Email again;
    again.email_id = "e-x1-step2";
    again.user_id = users[1];
    again.generated_at = clock_.Now();
    again.experiment_id = "exp-1";
    again.variant = 1;
    ASSERT_TRUE(store_->ReserveEmail(again, "t-x1-step2", 0, 60'000).ok());
    ASSERT_TRUE(store_->FinishEmail(again.email_id, "SENT", clock_.Now(), "").ok());
  }
  EXPECT_EQ(store_->GetEmail("e-x1")->experiment_id, "exp-1");
  EXPECT_EQ(store_->GetEmail("e-x1")->variant, 1);
  ASSERT_TRUE(store_->RecordEmailEvent("e-x1", "click", "https://shop.example.com/").ok());
  clock_.Advance(1000);
  for (auto [user, value] : {std::pair{1, 30.0}, std::pair{2, 40.0}}) {
    Order o;
    o.user_id = users[static_cast<size_t>(user)];
    o.order_date = clock_.Now();
    o.total_value = value;
    ASSERT_TRUE(store_->CreateOrder(o).ok());
  }
  auto totals = store_->ExperimentTotals("exp-1", 3);
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  ASSERT_EQ(totals->size(), 3u);
  EXPECT_EQ((*totals)[0].recipients, 1);
  EXPECT_EQ((*totals)[0].conversions, 0);
  EXPECT_EQ((*totals)[1].recipients, 2) << "the failed email reached no one; a client emailed twice counts once";
  EXPECT_EQ((*totals)[1].clicks, 1);
  EXPECT_EQ((*totals)[1].conversions, 2);
  EXPECT_DOUBLE_EQ((*totals)[1].revenue_sum, 70);
  EXPECT_DOUBLE_EQ((*totals)[1].revenue_sum_squares, 30 * 30 + 40 * 40);
  EXPECT_EQ((*totals)[2].recipients, 0);

  ASSERT_TRUE(store_->StopExperiment("exp-1").ok());
  EXPECT_EQ(store_->StopExperiment("exp-1").code(), Code::kFailedPrecondition);
  EXPECT_TRUE(store_->StopExperiment("nope").IsNotFound());
  EXPECT_FALSE(*store_->RunningExperiment());
  EXPECT_FALSE(*store_->ReplanExperiment("exp-1", clock_.Now(), {clock_.Now(), {1, 0}, "late"}))
      << "a stopped experiment keeps its last plan";
  ASSERT_TRUE(store_->MarkPromoted("exp-1", 1).ok());
  EXPECT_EQ(store_->GetExperiment("exp-1")->promoted_variant, 1);
  EXPECT_TRUE(store_->GetExperiment("nope").status().IsNotFound());
  clock_.Advance(1000);
  second.created_at = clock_.Now();
  ASSERT_TRUE(store_->CreateExperiment(second).ok()) << "another may start once it stopped";
  auto all = store_->ListExperiments();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].experiment_id, "exp-2") << "newest first";
  EXPECT_TRUE((*all)[1].stopped_at.has_value());
}

TEST_P(StoreContractTest, JourneysAreVersionedNewestFirstWithTheDefaultAsVersionOne) {
  auto first = store_->GetJourney();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->created_by, "default");
  ASSERT_EQ(first->definition.steps.size(), 3u);
  EXPECT_EQ(first->definition.steps[1].delay_days, 10);
  EXPECT_EQ(first->definition.steps[2].message, "winback-3");
  EXPECT_EQ(first->definition.rest_days, 90);

  JourneyDefinition two{{{0, "winback-1"}, {21, "winback-3"}}, 30};
  auto saved = store_->SaveJourney(two, "ops-key");
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->version, 2);
  EXPECT_EQ(saved->created_at, clock_.Now());
  auto latest = store_->GetJourney();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->created_by, "ops-key");
  ASSERT_EQ(latest->definition.steps.size(), 2u);
  EXPECT_EQ(latest->definition.steps[1].delay_days, 21);
  EXPECT_EQ(latest->definition.rest_days, 30);
  EXPECT_EQ(store_->GetJourney(1)->definition.steps.size(), 3u) << "an older version stays readable";
  EXPECT_TRUE(store_->GetJourney(99).status().IsNotFound());
  auto versions = store_->ListJourneys(10);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[1].version, 1);
  EXPECT_EQ(store_->ListJourneys(1)->size(), 1u);
  EXPECT_TRUE(AllChanges().empty()) << "a journey is no client change";
}

TEST_P(StoreContractTest, EpisodesStartAdvanceWithTheirEmailEndAndFallDue) {
  auto ana = store_->CreateUser(NewUser("ana@example.com"));
  auto bo = store_->CreateUser(NewUser("bo@example.com"));
  ASSERT_TRUE(ana.ok() && bo.ok());
  const Millis now = clock_.Now();
  Episode ep;
  ep.episode_id = EpisodeIdFor(ana->user_id, 1);
  ep.user_id = ana->user_id;
  ep.journey_version = 1;
  ep.started_at = now;
  ep.steps = 3;
  ep.next_due_at = now;
  ASSERT_TRUE(store_->StartEpisodes({ep}).ok());
  // Starting it again (another worker) leaves it as it is.
  Episode again = ep;
  again.next_due_at = now + 5;
  ASSERT_TRUE(store_->StartEpisodes({again}).ok());
  auto latest = store_->LatestEpisodes({ana->user_id, bo->user_id, "nobody"});
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ((*latest)[0].episode_id, ep.episode_id);
  EXPECT_EQ((*latest)[0].next_due_at, now);
  EXPECT_EQ((*latest)[0].step, 0);
  EXPECT_TRUE((*latest)[0].open());

  // Due now: the scan finds it; not before its time.
  EXPECT_EQ(store_->DueEpisodes(now - 1, 0, "", 10)->size(), 0u);
  auto due = store_->DueEpisodes(now, 0, "", 10);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].user_id, ana->user_id);
  EXPECT_EQ((*due)[0].step, 0);
  EXPECT_EQ(store_->DueEpisodes(now, (*due)[0].next_due_at, (*due)[0].episode_id, 10)->size(), 0u) << "paged";

  // Step 1's email moves the episode in its transaction.
  Email e;
  e.email_id = StepEmailId(ep.episode_id, 1);
  e.user_id = ana->user_id;
  e.subject = "Step 1";
  e.generated_at = now;
  e.episode_id = ep.episode_id;
  e.step = 1;
  Episode after = ep;
  after.step = 1;
  after.next_due_at = now + 10 * kMillisPerDay;
  auto reserved = store_->ReserveEmails({{e, "t1", after}}, 7 * kMillisPerDay, 60'000);
  ASSERT_TRUE(reserved.ok()) << reserved.status().ToString();
  EXPECT_EQ((*reserved)[0]->outcome, EmailReservation::Outcome::kReserved);
  auto stored = store_->GetEmail(e.email_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->episode_id, ep.episode_id);
  EXPECT_EQ(stored->step, 1);
  EXPECT_EQ(store_->LatestEpisodes({ana->user_id})->at(0).step, 1);
  EXPECT_EQ(store_->LatestEpisodes({ana->user_id})->at(0).next_due_at, now + 10 * kMillisPerDay);
  EXPECT_TRUE(store_->DueEpisodes(now, 0, "", 10)->empty());
  // A stale writer cannot take it back a step.
  Episode stale = ep;
  stale.step = 0;
  Email e0 = e;
  e0.email_id = "older";
  ASSERT_TRUE(store_->ReserveEmails({{e0, "t0", stale}}, 0, 60'000).ok());
  EXPECT_EQ(store_->LatestEpisodes({ana->user_id})->at(0).step, 1);

  // Deferred (the sending controls turned the client away): due later, never earlier.
  ASSERT_TRUE(store_->DeferEpisodes({{ep.episode_id, "", now + 11 * kMillisPerDay}}).ok());
  ASSERT_TRUE(store_->DeferEpisodes({{ep.episode_id, "", now + 1}}).ok());
  EXPECT_EQ(store_->LatestEpisodes({ana->user_id})->at(0).next_due_at, now + 11 * kMillisPerDay);
  EXPECT_EQ(store_->DueEpisodes(now + 11 * kMillisPerDay, 0, "", 10)->size(), 1u);

  // Ended: no longer due, and the end stays the first one.
  ASSERT_TRUE(store_->EndEpisodes({{ep.episode_id, kEndConverted, now + 2}}).ok());
  ASSERT_TRUE(store_->EndEpisodes({{ep.episode_id, kEndBounced, now + 3}}).ok());
  auto ended = store_->LatestEpisodes({ana->user_id});
  ASSERT_EQ(ended->size(), 1u);
  EXPECT_EQ((*ended)[0].end_reason, kEndConverted);
  EXPECT_EQ((*ended)[0].ended_at, now + 2);
  EXPECT_FALSE((*ended)[0].next_due_at.has_value());
  EXPECT_TRUE(store_->DueEpisodes(now + 100 * kMillisPerDay, 0, "", 10)->empty());

  // A second episode is the latest.
  Episode second = ep;
  second.episode_id = EpisodeIdFor(ana->user_id, 2);
  second.number = 2;
  second.started_at = now + 100;
  ASSERT_TRUE(store_->StartEpisodes({second}).ok());
  EXPECT_EQ(store_->LatestEpisodes({ana->user_id})->at(0).episode_id, second.episode_id);

  // Deleting the client ends their open episode as "deleted".
  ASSERT_TRUE(store_->DeleteUser(ana->user_id).ok());
  auto gone = store_->LatestEpisodes({ana->user_id});
  ASSERT_EQ(gone->size(), 1u);
  EXPECT_EQ(gone->at(0).end_reason, kEndDeleted);
  EXPECT_TRUE(store_->DueEpisodes(now + 100 * kMillisPerDay, 0, "", 10)->empty());
}

TEST_P(StoreContractTest, SuppressionsAmongGiveTheirReasonsWithoutCase) {
  ASSERT_TRUE(store_->Suppress("Ana@Example.com", "bounced").ok());
  ASSERT_TRUE(store_->Suppress("bo@example.com", "complained").ok());
  auto found = store_->SuppressionsAmong({"ana@example.com", "cy@example.com"});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].reason, "bounced");
  EXPECT_TRUE(store_->SuppressionsAmong({})->empty());
}

// The seed's "Create Order" (PUT with the figures after an order) records that order,
// which converts the latest email as a posted one would (issue 15).
TEST_P(StoreContractTest, AnUpdateThatImpliesAnOrderRecordsItAndItConverts) {
  User in = NewUser("seed@example.com");
  in.order_count = 2;
  in.average_order_value = 25;
  in.last_order_date = kStart - 40 * kMillisPerDay;
  auto u = store_->CreateUser(in);
  ASSERT_TRUE(u.ok());
  Email e;
  e.email_id = "implied-1";
  e.user_id = u->user_id;
  e.subject = "Come back";
  e.generated_at = clock_.Now();
  ASSERT_TRUE(store_->ReserveEmails({{e, "t-implied"}}, 0, 60'000).ok());
  ASSERT_TRUE(store_->FinishEmail(e.email_id, "SENT", clock_.Now(), "").ok());
  clock_.Advance(3'600'000);

  UserPatch patch{.name = "Seed Shopper",
                  .last_order_date = std::optional<Millis>(clock_.Now()),
                  .order_count = 3,
                  .average_order_value = 30};
  auto updated = store_->UpdateUser(u->user_id, patch);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->name, "Seed Shopper");
  EXPECT_EQ(updated->order_count, 3);
  EXPECT_EQ(updated->total_spent_cents, 9000);
  EXPECT_DOUBLE_EQ(updated->average_order_value, 30);
  EXPECT_EQ(updated->last_order_date, clock_.Now());
  auto orders = store_->ListOrders(u->user_id, 10, "");
  ASSERT_EQ(orders->items.size(), 1u);
  EXPECT_TRUE(orders->items[0].implied);
  EXPECT_DOUBLE_EQ(orders->items[0].total_value, 40);
  EXPECT_TRUE(orders->items[0].items.empty());
  auto email = store_->GetEmail(e.email_id);
  ASSERT_TRUE(email->converted_at.has_value()) << "the implied order converts the email";
  EXPECT_DOUBLE_EQ(*email->conversion_revenue, 40);

  // Figures no order explains: refused, nothing written.
  const int64_t seq = *store_->LatestChangeSeq();
  auto refused = store_->UpdateUser(u->user_id, UserPatch{.name = "X", .order_count = 2});
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(refused.status().field(), "orderCount");
  EXPECT_EQ(store_->GetUser(u->user_id)->name, "Seed Shopper");
  EXPECT_EQ(store_->ListOrders(u->user_id, 10, "")->items.size(), 1u);
  EXPECT_EQ(*store_->LatestChangeSeq(), seq);
}

TEST_P(StoreContractTest, EffectivenessCountsDeliveredAndConvertedByStep) {
  auto ana = store_->CreateUser(NewUser("ana@example.com"));
  auto bo = store_->CreateUser(NewUser("bo@example.com"));
  ASSERT_TRUE(ana.ok() && bo.ok());
  auto reserve = [&](const std::string& id, const std::string& user_id, int step) {
    Email e;
    e.email_id = id;
    e.user_id = user_id;
    e.subject = id;
    e.generated_at = clock_.Now();
    e.episode_id = "ep-" + user_id;
    e.step = step;
    auto r = store_->ReserveEmails({{e, "t-" + id}}, 0, 60'000);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(store_->FinishEmail(id, "SENT", clock_.Now(), "").ok());
  };
  reserve("a1", ana->user_id, 1);
  reserve("b1", bo->user_id, 1);
  clock_.Advance(kMillisPerDay);
  reserve("a2", ana->user_id, 2);
  clock_.Advance(3'600'000);
  Order o;
  o.user_id = ana->user_id;
  o.order_date = clock_.Now();
  o.total_value = 40;
  ASSERT_TRUE(store_->CreateOrder(o).ok());  // converts the latest email: step 2
  auto f = store_->Effectiveness(30);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->by_step.size(), 2u);
  EXPECT_EQ(f->by_step[0].step, 1);
  EXPECT_EQ(f->by_step[0].sent, 2);
  EXPECT_EQ(f->by_step[0].converted, 0);
  EXPECT_EQ(f->by_step[1].step, 2);
  EXPECT_EQ(f->by_step[1].sent, 1);
  EXPECT_EQ(f->by_step[1].converted, 1);
}

// ---- sending controls (issue 16): settings, the send budget, clients' time zones -------

TEST_P(StoreContractTest, SettingsAreStoredByNameAndSeedingKeepsWhatIsSet) {
  ASSERT_TRUE(store_->GetSettings()->empty());
  ASSERT_TRUE(store_->PutSettings({{"senderName", "\"Ada\""}, {"dailyCap", "500"}}, "ada", false).ok());
  clock_.Advance(1000);
  // Seeding: an absent setting is stored, a present one kept (value, time and author).
  ASSERT_TRUE(
      store_->PutSettings({{"senderName", "\"Env\""}, {"publicUrl", "\"https://r.example\""}}, "env", true).ok());
  std::map<std::string, SettingRow> rows;
  auto stored = store_->GetSettings();
  ASSERT_TRUE(stored.ok());
  for (const SettingRow& r : *stored) rows[r.key] = r;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows["senderName"].value, "\"Ada\"");
  EXPECT_EQ(rows["senderName"].updated_by, "ada");
  EXPECT_EQ(rows["senderName"].updated_at, kStart);
  EXPECT_EQ(rows["publicUrl"].updated_by, "env");
  EXPECT_EQ(rows["publicUrl"].updated_at, kStart + 1000);
  // A plain put replaces.
  ASSERT_TRUE(store_->PutSettings({{"dailyCap", "null"}}, "grace", false).ok());
  stored = store_->GetSettings();
  ASSERT_TRUE(stored.ok());
  for (const SettingRow& r : *stored) rows[r.key] = r;
  EXPECT_EQ(rows["dailyCap"].value, "null");
  EXPECT_EQ(rows["dailyCap"].updated_by, "grace");
  EXPECT_TRUE(AllChanges().empty());  // settings are not the clients' change stream
}

TEST_P(StoreContractTest, TheSendBudgetAdmitsUpToEveryCapAndCountsEachPeriod) {
  const Millis now = clock_.Now();
  std::vector<SendPeriod> periods{{"day:2026-06-01", now, 5}, {"hour:100", now, 3}};
  auto first = store_->TakeSendBudget(periods, 4, now - kMillisPerDay);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->granted, 3);  // the hour's rate
  EXPECT_EQ(first->sent, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(store_->TakeSendBudget(periods, 4, now - kMillisPerDay)->granted, 0);
  periods[1] = {"hour:101", now + 3'600'000, 3};
  auto next_hour = store_->TakeSendBudget(periods, 4, now - kMillisPerDay);
  EXPECT_EQ(next_hour->granted, 2);  // the day's cap
  EXPECT_EQ(next_hour->sent, (std::vector<int64_t>{5, 2}));
  EXPECT_EQ(*store_->SendCounts({"day:2026-06-01", "hour:100", "hour:101", "hour:999"}),
            (std::vector<int64_t>{5, 3, 2, 0}));
  // Uncapped periods count what is admitted.
  auto open = store_->TakeSendBudget({{"day:2026-06-02", now, std::nullopt}}, 7, now - kMillisPerDay);
  EXPECT_EQ(open->granted, 7);
  // Periods that started before the prune bound are deleted.
  ASSERT_TRUE(store_->TakeSendBudget({{"day:2026-06-03", now + 10, std::nullopt}}, 1, now + 1).ok());
  EXPECT_EQ(*store_->SendCounts({"day:2026-06-01", "day:2026-06-02", "day:2026-06-03"}),
            (std::vector<int64_t>{0, 0, 1}));
}

TEST_P(StoreContractTest, ConcurrentTakesNeverExceedACap) {
  const Millis now = clock_.Now();
  const std::vector<SendPeriod> periods{{"day:x", now, 40}, {"hour:x", now, std::nullopt}};
  std::atomic<int64_t> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto r = store_->TakeSendBudget(periods, 3, now - kMillisPerDay);
        if (r.ok()) granted += r->granted;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 40);  // 60 asked
  EXPECT_EQ(*store_->SendCounts({"day:x", "hour:x"}), (std::vector<int64_t>{40, 40}));
}

TEST_P(StoreContractTest, AClientsTimeZoneIsStoredAndCleared) {
  User in = NewUser("tz@example.com");
  in.time_zone = "America/New_York";
  auto created = store_->CreateUser(in);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(store_->GetUser(created->user_id)->time_zone, "America/New_York");
  EXPECT_EQ(store_->ScanUsers("", 10)->at(0).time_zone, "America/New_York");
  UserPatch patch;
  patch.time_zone = "Europe/Berlin";
  EXPECT_EQ(store_->UpdateUser(created->user_id, patch)->time_zone, "Europe/Berlin");
  EXPECT_EQ(store_->ListUsers(UserQuery{})->items.at(0).time_zone, "Europe/Berlin");
  patch.time_zone = "";
  ASSERT_TRUE(store_->UpdateUser(created->user_id, patch).ok());
  EXPECT_EQ(store_->GetUsers({created->user_id})->at(0).time_zone, "");
  auto changes = AllChanges();
  ASSERT_EQ(changes.size(), 3u);  // a time zone is the client's own field: recorded
  EXPECT_EQ(changes[1].new_image->time_zone, "Europe/Berlin");
}

// ---- Issue 16: client state and lists ---------------------------------------------------

TEST_P(StoreContractTest, FactsOfAPageTellEachClientsBadges) {
  auto ana = store_->CreateUser(NewUser("Ana@Example.com", "Ana"));
  auto bo = store_->CreateUser(NewUser("bo@example.com", "Bo"));
  auto cy = store_->CreateUser(NewUser("cy@example.com", "Cy"));
  ASSERT_TRUE(ana.ok() && bo.ok() && cy.ok());
  ASSERT_TRUE(store_->Suppress("ana@example.com", "bounced").ok());  // another case than the client's
  ASSERT_TRUE(store_->RecordHoldout(bo->user_id, "t-hold", 20, "score", kMillisPerDay).ok());
  Email draft;
  draft.email_id = "e-bo-1";
  draft.user_id = bo->user_id;
  draft.generated_at = clock_.Now();
  ASSERT_TRUE(store_->ReserveEmail(draft, "t-1", 0, 60'000).ok());
  ASSERT_TRUE(store_->FinishEmail("e-bo-1", "FAILED", std::nullopt, "550 5.1.1 no such user").ok());

  auto facts = store_->FactsOf({*ana, *bo, *cy});
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  ASSERT_TRUE(facts->count(ana->user_id));
  ASSERT_TRUE(facts->at(ana->user_id).suppression);
  EXPECT_EQ(facts->at(ana->user_id).suppression->reason, "bounced");
  EXPECT_EQ(facts->at(ana->user_id).suppression->created_at, clock_.Now());
  EXPECT_FALSE(facts->at(ana->user_id).failed);
  ASSERT_TRUE(facts->count(bo->user_id));
  EXPECT_EQ(facts->at(bo->user_id).held_out_at, clock_.Now());
  ASSERT_TRUE(facts->at(bo->user_id).failed);
  EXPECT_EQ(facts->at(bo->user_id).failed->first, "550 5.1.1 no such user");
  EXPECT_FALSE(facts->at(bo->user_id).suppression);
  EXPECT_FALSE(facts->count(cy->user_id)) << "nothing to tell about Cy";
  EXPECT_TRUE(store_->FactsOf({})->empty());

  // Only the latest email counts: a later one that went out clears the failure.
  clock_.Advance(1000);
  draft.email_id = "e-bo-2";
  draft.generated_at = clock_.Now();
  ASSERT_TRUE(store_->ReserveEmail(draft, "t-2", 0, 60'000).ok());
  ASSERT_TRUE(store_->FinishEmail("e-bo-2", "SENT", clock_.Now(), "").ok());
  EXPECT_FALSE(store_->FactsOf({*bo})->at(bo->user_id).failed);
}

TEST_P(StoreContractTest, HistoryHoldsOrdersEmailsEventsHoldoutsAndTheSuppression) {
  auto u = store_->CreateUser(NewUser("hist@example.com", "Hist"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(store_->History("nobody", 10).status().code(), Code::kNotFound);
  ASSERT_TRUE(store_->RecordHoldout(u->user_id, "t-0", 25, "score", kMillisPerDay).ok());
  clock_.Advance(kMillisPerDay * 2);
  Email draft;
  draft.email_id = "e-h";
  draft.user_id = u->user_id;
  draft.subject = "We miss you";
  draft.engagement_score_at_time = 30;
  draft.step = 2;
  draft.generated_at = clock_.Now();
  ASSERT_TRUE(store_->ReserveEmail(draft, "t-h", 0, 60'000).ok());
  ASSERT_TRUE(store_->FinishEmail("e-h", "SENT", clock_.Now(), "").ok());
  clock_.Advance(1000);
  ASSERT_TRUE(store_->RecordEmailEvent("e-h", "open", "").ok());
  clock_.Advance(1000);
  ASSERT_TRUE(store_->RecordEmailEvent("e-h", "click", "https://shop.example.com/a").ok());
  clock_.Advance(1000);
  Order o;
  o.user_id = u->user_id;
  o.order_date = clock_.Now();
  o.total_value = 80;
  ASSERT_TRUE(store_->CreateOrder(o).ok());
  ASSERT_TRUE(store_->Suppress("HIST@example.com", "unsubscribed").ok());

  auto h = store_->History(u->user_id, 100);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_EQ(h->orders.size(), 1u);
  EXPECT_EQ(h->orders[0].total_value, 80);
  ASSERT_EQ(h->emails.size(), 1u);
  EXPECT_EQ(h->emails[0].subject, "We miss you");
  EXPECT_EQ(h->emails[0].score_at_time, 30);
  EXPECT_EQ(h->emails[0].step, 2);
  EXPECT_EQ(h->emails[0].status, "CLICKED");
  EXPECT_TRUE(h->emails[0].converted_at) << "the order converted it";
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_EQ(h->events[0].type, "click") << "newest first";
  EXPECT_EQ(h->events[0].url, "https://shop.example.com/a");
  ASSERT_EQ(h->holdouts.size(), 1u);
  EXPECT_EQ(h->holdouts[0].score, 25);
  ASSERT_TRUE(h->suppression);
  EXPECT_EQ(h->suppression->reason, "unsubscribed");
  EXPECT_EQ(store_->History(u->user_id, 1)->events.size(), 1u) << "bounded by the limit";
}

TEST_P(StoreContractTest, EmailFiltersAndTheirCountAgree) {
  auto ana = store_->CreateUser(NewUser("ana@example.com", "Ana Smith"));
  auto bo = store_->CreateUser(NewUser("bo@shop.test", "Bo Jones"));
  ASSERT_TRUE(ana.ok() && bo.ok());
  const Millis day0 = clock_.Now();
  int n = 0;
  auto email = [&](const User& u, const std::string& subject, const std::string& status) {
    Email draft;
    draft.step = n % 2 + 1;  // e0 and e2 are step 1, e1 and e3 step 2
    draft.email_id = "e" + std::to_string(n++);
    draft.user_id = u.user_id;
    draft.subject = subject;
    draft.generated_at = clock_.Now();
    ASSERT_TRUE(store_->ReserveEmail(draft, "t" + draft.email_id, 0, 60'000).ok());
    ASSERT_TRUE(store_->FinishEmail(draft.email_id, status, clock_.Now(), status == "FAILED" ? "550" : "").ok());
    clock_.Advance(kMillisPerDay);
  };
  email(*ana, "Spring sale", "SENT");
  email(*bo, "Spring sale", "FAILED");
  email(*ana, "100% off_today", "SENT");
  email(*bo, "New arrivals", "SENT");

  auto both = [&](EmailQuery q) {
    auto count = store_->CountEmails(q);
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    q.limit = 500;
    auto page = store_->ListEmails(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(static_cast<int64_t>(page->items.size()), *count);
    std::vector<std::string> ids;
    for (const Email& e : page->items) ids.push_back(e.email_id);
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(both({}), (V{"e3", "e2", "e1", "e0"}));
  EXPECT_EQ(both({.status = "FAILED"}), (V{"e1"}));
  EXPECT_EQ(both({.status = "SENT"}), (V{"e3", "e2", "e0"}));
  EXPECT_EQ(both({.from = day0 + kMillisPerDay, .to = day0 + 3 * kMillisPerDay}), (V{"e2", "e1"}));
  EXPECT_EQ(both({.search = "spring"}), (V{"e1", "e0"})) << "the subject, without case";
  EXPECT_EQ(both({.search = "JONES"}), (V{"e3", "e1"})) << "the client's name";
  EXPECT_EQ(both({.search = "shop.test"}), (V{"e3", "e1"})) << "the client's address";
  EXPECT_EQ(both({.search = "100%"}), (V{"e2"})) << "a wildcard is a plain character";
  EXPECT_EQ(both({.search = "_"}), (V{"e2"}));
  EXPECT_EQ(both({.search = "' OR 1=1 --"}), V{});
  EXPECT_EQ(both({.step = 2}), (V{"e3", "e1"}));
  EXPECT_EQ(both({.status = "SENT", .step = 2}), (V{"e3"}));
  EXPECT_EQ(both({.user_id = ana->user_id, .search = "spring"}), (V{"e0"}));
  EXPECT_EQ(both({.status = "SENT", .from = day0 + kMillisPerDay, .search = "a"}), (V{"e3", "e2"}));

  // A filtered list pages through its matches once each.
  EmailQuery q{.limit = 1, .status = "SENT"};
  V seen;
  for (int i = 0; i < 5; ++i) {
    auto page = store_->ListEmails(q);
    ASSERT_TRUE(page.ok());
    for (const Email& e : page->items) seen.push_back(e.email_id);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, (V{"e3", "e2", "e0"}));
}

TEST_P(StoreContractTest, UsersFilterByState) {
  User never = NewUser("never@example.com", "Never");
  User lapsed = NewUser("lapsed@example.com", "Lapsed");
  lapsed.order_count = 3;
  lapsed.average_order_value = 20;
  lapsed.last_order_date = clock_.Now() - 400 * kMillisPerDay;
  User loyal = NewUser("loyal@example.com", "Loyal");
  loyal.order_count = 9;
  loyal.average_order_value = 90;
  loyal.last_order_date = clock_.Now() - kMillisPerDay;
  ASSERT_TRUE(store_->Import({never, lapsed, loyal}, {}).ok());
  auto all = store_->ListUsers(UserQuery{});
  ASSERT_TRUE(all.ok());
  std::map<std::string, std::string> id_of;
  std::map<std::string, double> score_of;
  for (const User& u : all->items) {
    id_of[u.name] = u.user_id;
    score_of[u.name] = u.engagement_score;
  }
  ASSERT_LT(score_of["Lapsed"], score_of["Loyal"]);
  const double at_risk_bound = score_of["Lapsed"] + 0.01;  // Lapsed is at risk, Loyal is not
  ASSERT_TRUE(store_->Suppress("LOYAL@example.com", "manual").ok());
  ASSERT_TRUE(store_->RecordHoldout(id_of["Never"], "t", 10, "score", kMillisPerDay).ok());

  auto names = [&](UserQuery q) {
    std::vector<std::string> out;
    q.sort = UserSort::kName;
    q.descending = false;
    auto page = store_->ListUsers(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (page.ok())
      for (const User& u : page->items) out.push_back(u.name);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names({.state = "neverOrdered"}), V{"Never"});
  EXPECT_EQ(names({.score_below = at_risk_bound, .state = "lapsed"}), V{"Lapsed"});
  EXPECT_EQ(names({.state = "lapsed"}), (V{"Lapsed", "Loyal"})) << "without the score bound: every buyer";
  EXPECT_EQ(names({.state = "suppressed"}), V{"Loyal"}) << "compared without case";
  EXPECT_EQ(names({.state = "heldOut"}), V{"Never"});
  EXPECT_EQ(names({.search = "o", .state = "suppressed"}), V{"Loyal"});
  EXPECT_EQ(names({.search = "zzz", .state = "suppressed"}), V{});

  // Paging through a state: each match once.
  UserQuery q{.limit = 1, .state = "lapsed"};
  V seen;
  for (int i = 0; i < 4; ++i) {
    auto page = store_->ListUsers(q);
    ASSERT_TRUE(page.ok());
    for (const User& u : page->items) seen.push_back(u.name);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen.size(), 2u);
}

TEST_P(StoreContractTest, SuppressionsPageSearchAndCount) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Suppress("s" + std::to_string(i) + (i % 2 ? "@odd.test" : "@even.test"), "manual").ok());
    clock_.Advance(1000);
  }
  ASSERT_TRUE(store_->Suppress("100%_real@odd.test", "complained").ok());
  EXPECT_EQ(*store_->CountSuppressions(""), 6);
  EXPECT_EQ(*store_->CountSuppressions("odd.test"), 3);
  EXPECT_EQ(*store_->CountSuppressions("%"), 1) << "a wildcard is a plain character";
  EXPECT_EQ(*store_->CountSuppressions("' OR 1=1 --"), 0);

  SuppressionQuery q{.limit = 2};
  std::vector<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    auto page = store_->ListSuppressions(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const Suppression& s : page->items) seen.push_back(s.email);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"100%_real@odd.test", "s4@even.test", "s3@odd.test", "s2@even.test",
                                            "s1@odd.test", "s0@even.test"}))
      << "newest first, each once";
  auto odd = store_->ListSuppressions({.search = "ODD"});
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->items.size(), 3u);
  EXPECT_EQ(store_->ListSuppressions({.cursor = "garbage"}).status().field(), "cursor");

  auto one = store_->GetSuppression("S3@ODD.test");
  ASSERT_TRUE(one.ok() && *one);
  EXPECT_EQ((*one)->email, "s3@odd.test");
  EXPECT_EQ((*one)->reason, "manual");
  EXPECT_FALSE(*store_->GetSuppression("nobody@odd.test"));
}

// ---- imports (issue 10) ----------------------------------------------------------------

// Batches for Store::ImportRows, and what it told.
class VectorFeed final : public ImportFeed {
 public:
  explicit VectorFeed(std::vector<ImportBatch> batches) : batches_(std::move(batches)) {}
  Result<std::optional<ImportBatch>> Next() override {
    if (next_ == batches_.size()) return std::optional<ImportBatch>();
    return std::optional<ImportBatch>(batches_[next_++]);
  }
  void Written(const ImportBatch&, const ImportBatchResult& r) override {
    for (ImportOutcome o : r.outcomes) outcomes.push_back(o);
    for (const RowError& e : r.rejects) rejects.push_back(e);
    clients_created += r.clients_created;
  }
  void Refreshed(int64_t n) override { refreshed = n; }

  std::vector<ImportOutcome> outcomes;
  std::vector<RowError> rejects;
  int64_t clients_created = 0, refreshed = 0;

 private:
  std::vector<ImportBatch> batches_;
  size_t next_ = 0;
};

ClientRow Client(int64_t line, std::string external_id, std::string email, std::string name = "") {
  ClientRow r;
  r.line = line;
  r.external_id = std::move(external_id);
  r.email = std::move(email);
  r.name = std::move(name);
  return r;
}

OrderRow ImportedOrder(int64_t line, std::string external_id, std::string client_external_id, Millis date,
                       int64_t cents) {
  OrderRow r;
  r.line = line;
  r.external_id = std::move(external_id);
  r.client_external_id = std::move(client_external_id);
  r.order_date = date;
  r.total_cents = cents;
  return r;
}

TEST_P(StoreContractTest, ImportClientsMatchByExternalIdThenEmailAndRecordNoChange) {
  using O = ImportOutcome;
  auto existing = store_->CreateUser(NewUser("Known@Example.com", "Known"));
  ASSERT_TRUE(existing.ok());
  const int64_t changes_before = static_cast<int64_t>(AllChanges().size());
  ImportBatch batch;
  batch.clients = {Client(2, "A", "a@example.com", "Ada"), Client(3, "B", ""), Client(4, "K", "known@example.com")};
  VectorFeed feed({batch});
  ImportWriteOptions options;
  options.stop_on_reject = false;
  auto at_risk = store_->ImportRows(feed, options);
  ASSERT_TRUE(at_risk.ok()) << at_risk.status().ToString();
  EXPECT_EQ(feed.outcomes, (std::vector<O>{O::kImported, O::kImported, O::kUpdated}));
  EXPECT_EQ(static_cast<int64_t>(AllChanges().size()), changes_before);  // an import emails no one
  auto b = store_->GetUserByExternalId("B");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(IsPlaceholderAddress(b->email)) << b->email;
  EXPECT_EQ(b->name, "Client B");
  auto k = store_->GetUserByExternalId("K");  // matched by address, given the shop's id
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->user_id, existing->user_id);
  EXPECT_EQ(k->name, "Known");  // no name in the file: kept
  EXPECT_TRUE(store_->GetUserByExternalId("nobody").status().IsNotFound());
  ExpectCountersMatchClients(*store_);

  // Again: nothing changes. Then a new name, and an address another client has.
  VectorFeed again({batch});
  ASSERT_TRUE(store_->ImportRows(again, options).ok());
  EXPECT_EQ(again.outcomes, (std::vector<O>{O::kUnchanged, O::kUnchanged, O::kUnchanged}));
  ImportBatch later;
  later.clients = {Client(2, "A", "a@example.com", "Ada Lovelace"), Client(3, "B", "a@example.com"),
                   Client(4, "Z", "known@example.com")};
  VectorFeed third({later});
  ASSERT_TRUE(store_->ImportRows(third, options).ok());
  EXPECT_EQ(third.outcomes, (std::vector<O>{O::kUpdated, O::kRejected, O::kRejected}));
  ASSERT_EQ(third.rejects.size(), 2u);
  EXPECT_EQ(third.rejects[0].line, 3);
  EXPECT_EQ(third.rejects[0].field, "email");
  EXPECT_EQ(store_->GetUserByExternalId("A")->name, "Ada Lovelace");

  // Stopping at a refused row writes nothing of its batch.
  VectorFeed strict({later});
  auto refused = store_->ImportRows(strict, ImportWriteOptions{});
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("line 3"), std::string::npos) << refused.status().message();
}

TEST_P(StoreContractTest, ImportedOrdersGiveExactDerivedFieldsWhateverTheirOrder) {
  using O = ImportOutcome;
  const Millis d = kMillisPerDay;
  ImportBatch first, second;
  // Out of date order, across two batches; the client is created by its first order.
  first.orders = {ImportedOrder(2, "o3", "X", kStart - 10 * d, 1001),
                  ImportedOrder(3, "o1", "X", kStart - 300 * d, 1000)};
  second.orders = {ImportedOrder(4, "o2", "X", kStart - 100 * d, 1000)};
  VectorFeed feed({first, second});
  auto at_risk = store_->ImportRows(feed, ImportWriteOptions{});
  ASSERT_TRUE(at_risk.ok()) << at_risk.status().ToString();
  EXPECT_EQ(feed.outcomes, (std::vector<O>{O::kImported, O::kImported, O::kImported}));
  EXPECT_EQ(feed.clients_created, 1);
  EXPECT_EQ(feed.refreshed, 1);
  auto x = store_->GetUserByExternalId("X");
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->order_count, 3);
  EXPECT_EQ(x->total_spent_cents, 3001);
  EXPECT_DOUBLE_EQ(x->average_order_value, 10.00);  // 30.01 / 3, to the cent
  EXPECT_EQ(x->first_order_date, kStart - 300 * d);
  EXPECT_EQ(x->last_order_date, kStart - 10 * d);
  EXPECT_TRUE(AllChanges().empty());
  EXPECT_EQ(*at_risk, IsAtRisk(ScoreRules{}, x->engagement_score) ? 1 : 0);

  // The same orders again: unchanged. A newer export: one order corrected, one new.
  VectorFeed again({first, second});
  ASSERT_TRUE(store_->ImportRows(again, ImportWriteOptions{}).ok());
  EXPECT_EQ(again.outcomes, (std::vector<O>{O::kUnchanged, O::kUnchanged, O::kUnchanged}));
  EXPECT_EQ(again.refreshed, 0);
  ImportBatch newer;
  newer.orders = {ImportedOrder(2, "o3", "X", kStart - 10 * d, 2001), ImportedOrder(5, "o4", "X", kStart - d, 500)};
  VectorFeed third({newer});
  ASSERT_TRUE(store_->ImportRows(third, ImportWriteOptions{}).ok());
  EXPECT_EQ(third.outcomes, (std::vector<O>{O::kUpdated, O::kImported}));
  x = store_->GetUserByExternalId("X");
  EXPECT_EQ(x->order_count, 4);
  EXPECT_EQ(x->total_spent_cents, 4501);
  EXPECT_DOUBLE_EQ(x->average_order_value, 11.25);  // 45.01 / 4 = 11.2525
  EXPECT_EQ(x->last_order_date, kStart - d);
  EXPECT_EQ(store_->ListOrders(x->user_id, 10, "")->items.size(), 4u);
}

// A client the import creates starts with the file's figures for its key (ImportBatch::
// totals) and is not written twice; named later by another key (its address), it is
// refreshed from its orders instead. Either way the figures are exact.
TEST_P(StoreContractTest, ImportedClientsStartWithTheFilesFiguresAndStayExact) {
  const Millis d = kMillisPerDay;
  OrderRow a1 = ImportedOrder(2, "t1", "T", kStart - 5 * d, 1000),
           a2 = ImportedOrder(3, "t2", "T", kStart - 50 * d, 250);
  OrderRow m1 = ImportedOrder(4, "m1", "M", kStart - 9 * d, 700);
  m1.client_email = "m@example.com";
  OrderRow m2 = ImportedOrder(5, "m2", "", kStart - 2 * d, 300);  // the same client by address only
  m2.client_email = "m@example.com";
  std::unordered_map<std::string, ClientTotals> totals;
  for (const OrderRow* r : {&a1, &a2, &m1, &m2}) totals[ClientKeyOf(*r)].Add(r->order_date, r->total_cents);
  ImportBatch first, second;
  first.orders = {a1, m1};
  second.orders = {a2, m2};
  first.totals = second.totals = &totals;
  VectorFeed feed({first, second});
  ASSERT_TRUE(store_->ImportRows(feed, ImportWriteOptions{}).ok());
  auto t = store_->GetUserByExternalId("T");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->order_count, 2);
  EXPECT_EQ(t->total_spent_cents, 1250);
  EXPECT_EQ(t->first_order_date, kStart - 50 * d);
  EXPECT_EQ(t->last_order_date, kStart - 5 * d);
  auto m = store_->GetUserByExternalId("M");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->order_count, 2);  // m1 by its shop id, m2 by its address
  EXPECT_EQ(m->total_spent_cents, 1000);
  EXPECT_EQ(m->last_order_date, kStart - 2 * d);
  EXPECT_EQ(store_->ListOrders(m->user_id, 10, "")->items.size(), 2u);

  // A row refused (its address is another client's) does not count in the figures of
  // the client a later row of the same shop id creates.
  ASSERT_TRUE(store_->CreateUser(NewUser("taken@example.com")).ok());
  OrderRow r1 = ImportedOrder(6, "r1", "R", kStart - 3 * d, 4000), r2 = ImportedOrder(7, "r2", "R", kStart - d, 100);
  r1.client_email = "taken@example.com";
  std::unordered_map<std::string, ClientTotals> r_totals;
  for (const OrderRow* r : {&r1, &r2}) r_totals[ClientKeyOf(*r)].Add(r->order_date, r->total_cents);
  ImportBatch refused;
  refused.orders = {r1, r2};
  refused.totals = &r_totals;
  VectorFeed skip({refused});
  ImportWriteOptions options;
  options.stop_on_reject = false;
  ASSERT_TRUE(store_->ImportRows(skip, options).ok());
  EXPECT_EQ(skip.outcomes, (std::vector<ImportOutcome>{ImportOutcome::kRejected, ImportOutcome::kImported}));
  auto r = store_->GetUserByExternalId("R");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->order_count, 1);
  EXPECT_EQ(r->total_spent_cents, 100);
  ExpectCountersMatchClients(*store_);
}

TEST_P(StoreContractTest, ImportDryRunWritesNothing) {
  ImportBatch batch;
  batch.orders = {ImportedOrder(2, "o1", "X", kStart - kMillisPerDay, 1000),
                  ImportedOrder(3, "o2", "Y", kStart - 400 * kMillisPerDay, 1000)};
  VectorFeed feed({batch});
  ImportWriteOptions options;
  options.dry_run = true;
  options.at_risk_below = 101;  // everyone
  auto at_risk = store_->ImportRows(feed, options);
  ASSERT_TRUE(at_risk.ok()) << at_risk.status().ToString();
  EXPECT_EQ(*at_risk, 2);  // as a real run would count them
  EXPECT_EQ(feed.clients_created, 2);
  EXPECT_EQ(*store_->CountUsers(), 0);
  EXPECT_TRUE(store_->ScanOrders("", 10)->empty());
}

TEST_P(StoreContractTest, ImportOrdersNameTheirClientsEachWay) {
  auto byid = store_->CreateUser(NewUser("byid@example.com"));
  auto bymail = store_->CreateUser(NewUser("ByMail@example.com"));
  ImportBatch batch;
  OrderRow a = ImportedOrder(2, "a", "", kStart, 100), b = a, c = a, d = a;
  a.user_id = byid->user_id;
  b.external_id = "b";
  b.client_email = "bymail@EXAMPLE.com";
  c.external_id = "c";
  c.user_id = "no-such-user";
  c.line = 4;
  d.external_id = "d";
  d.client_email = "new@example.com";
  d.client_name = "New Client";
  batch.orders = {a, b, c, d};
  VectorFeed feed({batch});
  ImportWriteOptions options;
  options.stop_on_reject = false;
  ASSERT_TRUE(store_->ImportRows(feed, options).ok());
  using O = ImportOutcome;
  EXPECT_EQ(feed.outcomes, (std::vector<O>{O::kImported, O::kImported, O::kRejected, O::kImported}));
  ASSERT_EQ(feed.rejects.size(), 1u);
  EXPECT_EQ(feed.rejects[0].field, "userId");
  EXPECT_EQ(feed.rejects[0].line, 4);
  EXPECT_EQ(store_->GetUser(bymail->user_id)->order_count, 1);
  EXPECT_EQ(store_->GetUser(byid->user_id)->order_count, 1);
  auto page = store_->ListUsers(UserQuery{.search = "new@example.com"});
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "New Client");
  EXPECT_EQ(page->items[0].order_count, 1);
}

// Issue 17: a shop's cancellation or refund arrives as a newer version of the order: the
// client's figures follow, and the email it converted counts its new value or converts
// no more.
TEST_P(StoreContractTest, ACancelledOrRefundedOrderLeavesTheFiguresAndItsConversionExact) {
  const Millis d = kMillisPerDay;
  ImportBatch first;
  first.orders = {ImportedOrder(1, "sh-1", "C", kStart - 30 * d, 4000)};
  VectorFeed feed({first});
  ASSERT_TRUE(store_->ImportRows(feed, ImportWriteOptions{}).ok());
  auto c = store_->GetUserByExternalId("C");
  ASSERT_TRUE(c.ok());
  Email e;
  e.email_id = "won-back";
  e.user_id = c->user_id;
  e.subject = "Come back";
  e.generated_at = clock_.Now();
  ASSERT_TRUE(store_->ReserveEmails({{e, "t-won"}}, 0, 60'000).ok());
  ASSERT_TRUE(store_->FinishEmail(e.email_id, "SENT", clock_.Now(), "").ok());
  clock_.Advance(3'600'000);
  ImportBatch second;
  second.orders = {ImportedOrder(1, "sh-2", "C", clock_.Now(), 2500)};
  VectorFeed feed2({second});
  ASSERT_TRUE(store_->ImportRows(feed2, ImportWriteOptions{}).ok());
  EXPECT_DOUBLE_EQ(*store_->GetEmail(e.email_id)->conversion_revenue, 25);
  EXPECT_EQ(store_->GetUserByExternalId("C")->total_spent_cents, 6500);

  // Refunded in part: 10.00 of 25.00 kept.
  second.orders[0].total_cents = 1000;
  VectorFeed refund({second});
  ASSERT_TRUE(store_->ImportRows(refund, ImportWriteOptions{}).ok());
  EXPECT_DOUBLE_EQ(*store_->GetEmail(e.email_id)->conversion_revenue, 10);
  c = store_->GetUserByExternalId("C");
  EXPECT_EQ((std::pair{c->order_count, c->total_spent_cents}), (std::pair{int64_t{2}, int64_t{5000}}));

  // Cancelled: it counts for nothing, and the email converted nothing after all.
  second.orders[0].status = kOrderCancelled;
  VectorFeed cancel({second});
  ASSERT_TRUE(store_->ImportRows(cancel, ImportWriteOptions{}).ok());
  auto email = store_->GetEmail(e.email_id);
  EXPECT_FALSE(email->converted_at.has_value());
  EXPECT_FALSE(email->conversion_revenue.has_value());
  c = store_->GetUserByExternalId("C");
  EXPECT_EQ((std::pair{c->order_count, c->total_spent_cents}), (std::pair{int64_t{1}, int64_t{4000}}));
  EXPECT_EQ(c->last_order_date, kStart - 30 * d);
  EXPECT_EQ(store_->GetOrderByExternalId("sh-2")->status, kOrderCancelled);
  EXPECT_EQ(store_->GetOrderByExternalId("nope").status().code(), Code::kNotFound);

  // An order that arrives already cancelled (updated before created) counts for nothing.
  ImportBatch late;
  late.orders = {ImportedOrder(1, "sh-3", "C", clock_.Now(), 9900)};
  late.orders[0].status = kOrderCancelled;
  VectorFeed late_feed({late});
  ASSERT_TRUE(store_->ImportRows(late_feed, ImportWriteOptions{}).ok());
  EXPECT_EQ(store_->GetUserByExternalId("C")->order_count, 1);
}

TEST_P(StoreContractTest, ShopSyncsRunOneAtATimeUnderALeaseAndKeepTheirCursors) {
  EXPECT_TRUE(store_->ListShopSyncs()->empty());
  auto begun = store_->BeginShopSync("shopify", "cli", 60'000);
  ASSERT_TRUE(begun.ok()) << begun.status().ToString();
  ASSERT_TRUE(*begun);
  EXPECT_EQ(((*begun)->status), "running");
  EXPECT_EQ((*begun)->trigger, "cli");
  EXPECT_EQ((*begun)->started_at, clock_.Now());
  EXPECT_EQ((*begun)->orders_cursor, "");
  EXPECT_FALSE(*store_->BeginShopSync("shopify", "api", 60'000)) << "leased: another run must wait";
  EXPECT_TRUE(*store_->BeginShopSync("woocommerce", "api", 60'000)) << "another platform is another run";

  ShopSyncState s = **begun;
  s.orders_cursor = "2026-03-01T10:00:00.000Z";
  s.progress = {.pages = 3, .fetched = 600, .imported = 590, .updated = 5, .unchanged = 5, .rejected = 0};
  s.status = "succeeded";
  s.finished_at = s.last_success_at = clock_.Now() + 5;
  s.lease_until.reset();
  ASSERT_TRUE(store_->SaveShopSync(s).ok());
  auto all = store_->ListShopSyncs();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].source, "shopify");
  EXPECT_EQ((*all)[0].progress.fetched, 600);
  EXPECT_EQ((*all)[0].last_success_at, clock_.Now() + 5);

  // A new run restarts the progress, keeps the cursors and the last success.
  clock_.Advance(1000);
  auto next = store_->BeginShopSync("shopify", "schedule", 60'000);
  ASSERT_TRUE(next.ok() && *next);
  EXPECT_EQ((*next)->orders_cursor, "2026-03-01T10:00:00.000Z");
  EXPECT_EQ((*next)->progress.fetched, 0);
  EXPECT_EQ((*next)->last_success_at, s.last_success_at);
  EXPECT_FALSE((*next)->finished_at);
  // Its process dies: once the lease runs out, another may begin.
  clock_.Advance(60'001);
  EXPECT_TRUE(*store_->BeginShopSync("shopify", "api", 60'000));
}

TEST_P(StoreContractTest, HookDeliveriesAreRecordedOnceClaimedUnderALeaseAndFinished) {
  HookDelivery d{.hook_id = "h1",
                 .source = "shopify",
                 .delivery_id = "evt-1",
                 .topic = "orders/create",
                 .body = R"({"id":1})",
                 .received_at = clock_.Now()};
  ASSERT_TRUE(*store_->RecordHookDelivery(d));
  HookDelivery again = d;
  again.hook_id = "h1-again";
  EXPECT_FALSE(*store_->RecordHookDelivery(again)) << "the platform's second delivery is not recorded";
  HookDelivery other = d;
  other.hook_id = "h2";
  other.source = "woocommerce";  // the same id from another platform is another delivery
  clock_.Advance(1);
  other.received_at = clock_.Now();
  ASSERT_TRUE(*store_->RecordHookDelivery(other));

  auto claimed = store_->ClaimHookDeliveries(60'000, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].hook_id, "h1");  // oldest first
  EXPECT_EQ((*claimed)[0].body, R"({"id":1})");
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_TRUE(store_->ClaimHookDeliveries(60'000, 10)->empty()) << "leased: no one else gets them";

  ASSERT_TRUE(store_->FinishHookDelivery("h1", "applied", "").ok());
  ASSERT_TRUE(store_->FinishHookDelivery("h2", "pending", "store away").ok());
  EXPECT_TRUE(store_->ClaimHookDeliveries(60'000, 10)->empty()) << "pending again, but still leased";
  clock_.Advance(60'001);
  claimed = store_->ClaimHookDeliveries(60'000, 10);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].hook_id, "h2");
  EXPECT_EQ((*claimed)[0].attempts, 2);
  ASSERT_TRUE(store_->FinishHookDelivery("h2", "failed", "bad body").ok());

  auto list = store_->ListHookDeliveries("", 10);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].hook_id, "h2");  // newest first
  EXPECT_EQ((*list)[0].status, "failed");
  EXPECT_EQ((*list)[0].error, "bad body");
  EXPECT_TRUE((*list)[0].body.empty());
  EXPECT_EQ((*list)[1].status, "applied");
  EXPECT_TRUE((*list)[1].applied_at.has_value());
  EXPECT_EQ(store_->ListHookDeliveries("shopify", 10)->size(), 1u);
}

TEST_P(StoreContractTest, OrderAverageIsDerivedFromTheExactTotal) {
  auto u = store_->CreateUser(NewUser("drift@example.com"));
  int64_t cents = 0;
  for (int i = 1; i <= 60; ++i) {
    Order o;
    o.user_id = u->user_id;
    o.order_date = kStart;
    o.total_value = 10 + i * 0.37;  // 10.37, 10.74, …: re-rounding each average drifts
    cents += std::llround(o.total_value * 100);
    ASSERT_TRUE(store_->CreateOrder(o).ok());
  }
  auto after = store_->GetUser(u->user_id);
  EXPECT_EQ(after->total_spent_cents, cents);
  EXPECT_DOUBLE_EQ(after->average_order_value, AverageOrderValue(cents, 60));
}

TEST_P(StoreContractTest, ImportJobsAndOrderScan) {
  ImportJob job{"job-1", "running", R"({"kind":"clients"})", "ops", kStart, std::nullopt};
  ASSERT_TRUE(store_->SaveImportJob(job).ok());
  job.status = "done";
  job.finished_at = kStart + 5;
  ASSERT_TRUE(store_->SaveImportJob(job).ok());
  ASSERT_TRUE(store_->SaveImportJob({"job-2", "failed", "{}", "", kStart + 10, kStart + 11}).ok());
  auto got = store_->GetImportJob("job-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, "done");
  EXPECT_EQ(got->finished_at, kStart + 5);
  EXPECT_EQ(got->created_by, "ops");
  EXPECT_TRUE(store_->GetImportJob("nope").status().IsNotFound());
  auto list = store_->ListImportJobs(10);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].import_id, "job-2");  // newest first

  auto u = store_->CreateUser(NewUser("scan@example.com"));
  for (int i = 0; i < 5; ++i) {
    Order o;
    o.user_id = u->user_id;
    o.order_date = kStart;
    o.total_value = i;
    ASSERT_TRUE(store_->CreateOrder(o).ok());
  }
  auto p1 = store_->ScanOrders("", 3);
  ASSERT_EQ(p1->size(), 3u);
  auto p2 = store_->ScanOrders(p1->back().order_id, 3);
  ASSERT_EQ(p2->size(), 2u);
  EXPECT_LT(p1->back().order_id, p2->front().order_id);
}

// ---- churn and value models (issue 11) ------------------------------------------------

TEST_P(StoreContractTest, ScanClientOrdersGivesEachClientWithAnOrderUpToTheDayOnceWithItsOrders) {
  const Millis day = kMillisPerDay;
  std::map<std::string, std::string> id_of;  // name -> user id
  for (const std::string name : {"a", "b", "c", "d"}) {
    User u = NewUser(name + "@example.com", name);
    u.user_id = "user-" + name;
    auto created = store_->CreateUser(u);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    id_of[name] = created->user_id;
  }
  auto order = [&](const std::string& name, Millis at, double value, const std::string& status = "CREATED") {
    Order o;
    o.user_id = id_of[name];
    o.order_date = at;
    o.total_value = value;
    o.status = status;
    auto r = store_->CreateOrder(o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  };
  const Millis until = kStart - 10 * day;
  order("a", kStart - 30 * day, 10);
  order("a", kStart - 20 * day, 25.5);
  order("a", kStart - 15 * day, 99, "CANCELLED");  // left out
  order("a", kStart - 5 * day, 7);                 // after `until`: still given (the holdout)
  order("b", kStart - 2 * day, 5);                 // only after `until`: b is not listed
  order("d", kStart - 12 * day, 3, "refunded");    // refunded alone: d is not listed either
  order("c", kStart - 11 * day, 40);

  std::vector<ClientOrders> seen;
  std::string after;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store_->ScanClientOrders(after, until, 1);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    ASSERT_EQ(page->size(), 1u);
    seen.push_back(page->front());
    after = page->back().user_id;
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].user_id, id_of["a"]);
  EXPECT_EQ(seen[1].user_id, id_of["c"]);
  ASSERT_EQ(seen[0].orders.size(), 3u);
  EXPECT_EQ(seen[0].orders[0], (std::pair<Millis, double>{kStart - 30 * day, 10}));
  EXPECT_EQ(seen[0].orders[1], (std::pair<Millis, double>{kStart - 20 * day, 25.5}));
  EXPECT_EQ(seen[0].orders[2], (std::pair<Millis, double>{kStart - 5 * day, 7}));
  ASSERT_EQ(seen[1].orders.size(), 1u);
  EXPECT_DOUBLE_EQ(seen[1].orders[0].second, 40);
  auto whole = store_->ScanClientOrders("", until, 100);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->size(), 2u);
  auto later = store_->ScanClientOrders("", kStart, 100);  // b and its order now count
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 3u);
}

TEST_P(StoreContractTest, ModelFitsAndPredictionsAreStoredReplacedAndGoWithTheirClient) {
  auto none = store_->LatestModelFit();
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  ModelFitRecord first{.fit_id = "fit-1",
                       .model = "bgnbd",
                       .unit = "weeks",
                       .until = kStart - kMillisPerDay,
                       .params = R"({"purchase":{"r":0.24}})",
                       .log_likelihood = -9582.43,
                       .clients = 2357,
                       .iterations = 42,
                       .seconds = 0.25,
                       .converged = true,
                       .diagnostics = R"({"holdoutDays":273})",
                       .fitted_at = kStart};
  ModelFitRecord second = first;
  second.fit_id = "fit-2";
  second.model = "paretonbd";
  second.converged = false;
  second.fitted_at = kStart + 1000;
  ASSERT_TRUE(store_->SaveModelFit(first).ok());
  ASSERT_TRUE(store_->SaveModelFit(second).ok());
  EXPECT_EQ(store_->SaveModelFit(first).code(), Code::kAlreadyExists);
  auto latest = store_->LatestModelFit();
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->fit_id, "fit-2");
  EXPECT_EQ((*latest)->model, "paretonbd");
  EXPECT_EQ((*latest)->unit, "weeks");
  EXPECT_EQ((*latest)->until, kStart - kMillisPerDay);
  EXPECT_EQ((*latest)->params, R"({"purchase":{"r":0.24}})");
  EXPECT_DOUBLE_EQ((*latest)->log_likelihood, -9582.43);
  EXPECT_EQ((*latest)->clients, 2357);
  EXPECT_EQ((*latest)->iterations, 42);
  EXPECT_DOUBLE_EQ((*latest)->seconds, 0.25);
  EXPECT_FALSE((*latest)->converged);
  EXPECT_EQ((*latest)->diagnostics, R"({"holdoutDays":273})");
  EXPECT_EQ((*latest)->fitted_at, kStart + 1000);

  auto a = store_->CreateUser(NewUser("a@example.com"));
  auto b = store_->CreateUser(NewUser("b@example.com"));
  ASSERT_TRUE(a.ok() && b.ok());
  ClientPredictionRecord pa{.user_id = a->user_id,
                            .fit_id = "fit-1",
                            .p_alive = 0.8,
                            .churn_probability = 0.3,
                            .expected_orders = 1.25,
                            .next_order_at = kStart + 40 * kMillisPerDay,
                            .predicted_value = 120.5,
                            .computed_at = kStart};
  ClientPredictionRecord pb = pa;
  pb.user_id = b->user_id;
  pb.next_order_at = std::nullopt;
  pb.predicted_value = std::nullopt;
  ClientPredictionRecord ghost = pa;
  ghost.user_id = "no-such-client";
  ASSERT_TRUE(store_->SavePredictions({pa, pb, ghost}).ok());
  auto got = store_->PredictionsOf({a->user_id, b->user_id, "no-such-client"});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);  // the unknown client is skipped
  std::map<std::string, ClientPredictionRecord> by_id;
  for (const auto& p : *got) by_id[p.user_id] = p;
  EXPECT_EQ(by_id[a->user_id].fit_id, "fit-1");
  EXPECT_DOUBLE_EQ(by_id[a->user_id].p_alive, 0.8);
  EXPECT_DOUBLE_EQ(by_id[a->user_id].churn_probability, 0.3);
  EXPECT_DOUBLE_EQ(by_id[a->user_id].expected_orders, 1.25);
  EXPECT_EQ(by_id[a->user_id].next_order_at, kStart + 40 * kMillisPerDay);
  EXPECT_EQ(by_id[a->user_id].predicted_value, 120.5);
  EXPECT_EQ(by_id[b->user_id].next_order_at, std::nullopt);
  EXPECT_EQ(by_id[b->user_id].predicted_value, std::nullopt);

  // A refit replaces a's prediction; b had none from it, so DeletePredictionsNotOf drops b's.
  pa.fit_id = "fit-2";
  pa.churn_probability = 0.6;
  ASSERT_TRUE(store_->SavePredictions({pa}).ok());
  auto removed = store_->DeletePredictionsNotOf("fit-2");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  got = store_->PredictionsOf({a->user_id, b->user_id});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().fit_id, "fit-2");
  EXPECT_DOUBLE_EQ(got->front().churn_probability, 0.6);
  // Deleting the client deletes their prediction.
  ASSERT_TRUE(store_->DeleteUser(a->user_id).ok());
  got = store_->PredictionsOf({a->user_id});
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
  EXPECT_TRUE(store_->PredictionsOf({}).value().empty());
}

TEST_P(StoreContractTest, UsersListByChurnProbabilityPagesAndFilters) {
  std::vector<std::string> ids;
  const std::vector<double> churn = {0.9, 0.5, 0.2, 0.5};
  std::vector<ClientPredictionRecord> predictions;
  for (size_t i = 0; i < churn.size(); ++i) {
    auto u = store_->CreateUser(NewUser("c" + std::to_string(i) + "@example.com", "Client " + std::to_string(i)));
    ASSERT_TRUE(u.ok());
    ids.push_back(u->user_id);
    predictions.push_back({.user_id = u->user_id,
                           .fit_id = "f",
                           .p_alive = 1 - churn[i],
                           .churn_probability = churn[i],
                           .expected_orders = 1,
                           .computed_at = kStart});
  }
  auto unpredicted = store_->CreateUser(NewUser("none@example.com", "No Prediction"));
  ASSERT_TRUE(unpredicted.ok());
  ASSERT_TRUE(store_->SavePredictions(predictions).ok());

  auto names = [](const Page<User>& page) {
    std::vector<std::string> out;
    for (const User& u : page.items) out.push_back(u.email);
    return out;
  };
  UserQuery q;
  q.sort = UserSort::kChurnProbability;
  q.descending = true;
  q.limit = 2;
  std::vector<std::string> all;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = store_->ListUsers(q);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& e : names(*page)) all.push_back(e);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  // Highest churn first, equal churn by user id (descending), only clients with a prediction.
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0], "c0@example.com");
  EXPECT_EQ(all[3], "c2@example.com");
  EXPECT_EQ(std::set<std::string>(all.begin() + 1, all.begin() + 3),
            (std::set<std::string>{"c1@example.com", "c3@example.com"}));

  UserQuery at_least;
  at_least.sort = UserSort::kChurnProbability;
  at_least.descending = false;
  at_least.min_churn_probability = 0.5;
  auto page = store_->ListUsers(at_least);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items.back().email, "c0@example.com");  // ascending: the highest last
  at_least.search = "client 1";
  page = store_->ListUsers(at_least);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(names(*page), (std::vector<std::string>{"c1@example.com"}));

  UserQuery wrong = q;  // a cursor of another sort is refused
  wrong.sort = UserSort::kName;
  EXPECT_EQ(store_->ListUsers(wrong).status().code(), Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(Backend{"sqlite",
                                                   [](const Clock* clock, const std::string& scratch) {
                                                     auto s =
                                                         SqliteStore::Open(scratch + "/test.db", ScoreRules{}, clock);
                                                     EXPECT_TRUE(s.ok()) << s.status().ToString();
                                                     return s.ok() ? std::unique_ptr<Store>(std::move(s).value())
                                                                   : nullptr;
                                                   }}),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(SqliteStoreTest, MigrationsAreVersionedAndReopenIsIdempotent) {
  const std::string path = ::testing::TempDir() + "rkd-migrate-" + std::to_string(::getpid()) + ".db";
  std::filesystem::remove(path);
  SystemClock clock;
  {
    auto s = SqliteStore::Open(path, ScoreRules{}, &clock);
    ASSERT_TRUE(s.ok());
    EXPECT_GE((*s)->schema_version(), 1);
    User u;
    u.email = "keep@example.com";
    u.name = "Keep";
    ASSERT_TRUE((*s)->CreateUser(u).ok());
  }
  auto again = SqliteStore::Open(path, ScoreRules{}, &clock);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->CountUsers(), 1);
  std::filesystem::remove(path);
}

// ---- PostgreSQL: runs when RKD_TEST_POSTGRES_URL names a server (tests/with_postgres.sh
// starts a throwaway one for ctest); each test gets a schema of its own. -----------------

constexpr const char* kPgEnv = "RKD_TEST_POSTGRES_URL";

std::string PgSchemaFor(const std::string& scratch) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", std::hash<std::string>{}(scratch));
  return "rkd_test_" + std::string(buf);
}

// The server URL with the schema as the session's search_path.
std::string PgUrlFor(const std::string& schema) {
  std::string url = std::getenv(kPgEnv);
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

// Runs SQL on the server (its default schema), failing the test on an error.
void PgAdmin(const std::string& sql) {
  PGconn* c = PQconnectdb(std::getenv(kPgEnv));
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, ("SET client_min_messages = warning; " + sql).c_str());
  EXPECT_TRUE(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
}

std::unique_ptr<Store> OpenPgStore(const Clock* clock, const std::string& scratch) {
  const std::string schema = PgSchemaFor(scratch);
  PgAdmin("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  auto s = PgStore::Open(PgUrlFor(schema), ScoreRules{}, clock);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::unique_ptr<Store>(std::move(s).value()) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(Backend{"postgres", OpenPgStore, kPgEnv,
                                                   [](const std::string& scratch) {
                                                     PgAdmin("DROP SCHEMA IF EXISTS " + PgSchemaFor(scratch) +
                                                             " CASCADE");
                                                   }}),
                         [](const auto& test_info) { return test_info.param.name; });

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::getenv(kPgEnv)) GTEST_SKIP() << kPgEnv << " is not set";
    schema_ = PgSchemaFor(std::to_string(::getpid()) + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    PgAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
  }
  void TearDown() override {
    if (!schema_.empty()) PgAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  std::string schema_;
};

TEST_F(PostgresStoreTest, MigrationsAreVersionedAndReopenIsIdempotent) {
  SystemClock clock;
  {
    auto s = PgStore::Open(PgUrlFor(schema_), ScoreRules{}, &clock);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_GE((*s)->schema_version(), 1);
    User u;
    u.email = "keep@example.com";
    u.name = "Keep";
    ASSERT_TRUE((*s)->CreateUser(u).ok());
  }
  auto again = PgStore::Open(PgUrlFor(schema_), ScoreRules{}, &clock);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*(*again)->CountUsers(), 1);
}

TEST_F(PostgresStoreTest, UnreachableServerIsUnavailable) {
  SystemClock clock;
  auto s = PgStore::Open("postgres://nobody@127.0.0.1:1/none?connect_timeout=2", ScoreRules{}, &clock);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUnavailable);
}

// Connections the server drops (a restart) are replaced: the next calls succeed.
TEST_F(PostgresStoreTest, DroppedConnectionsAreReplaced) {
  ManualClock clock;
  auto opened = PgStore::Open(PgUrlFor(schema_), ScoreRules{}, &clock);
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  User u;
  u.email = "d@example.com";
  u.name = "D";
  auto created = store.CreateUser(u);
  ASSERT_TRUE(created.ok());
  PgAdmin(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
      "AND datname = current_database() AND backend_type = 'client backend'");
  EXPECT_TRUE(store.GetUser(created->user_id).ok());
  PgAdmin(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
      "AND datname = current_database() AND backend_type = 'client backend'");
  EXPECT_TRUE(store.UpdateUser(created->user_id, UserPatch{.name = "E"}).ok());
}

// The relay reads "seq > checkpoint". A transaction that drew seq N and commits late
// must not let a faster one's seq N+1 become visible first, or the relay would move past
// N and never publish it. Here a slow writer (a raw session holding the outbox lock, as
// every store write does from its seq draw to its commit) is open while the store writes
// another user: that write waits, nothing is visible, and after the slow commit both
// changes appear in seq order.
TEST_F(PostgresStoreTest, ALateCommitIsNeverSkippedByTheChangeStream) {
  ManualClock clock;
  auto opened = PgStore::Open(PgUrlFor(schema_), ScoreRules{}, &clock);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;

  PGconn* slow = PQconnectdb(PgUrlFor(schema_).c_str());
  ASSERT_EQ(PQstatus(slow), CONNECTION_OK);
  auto exec = [&](const char* sql) {
    PGresult* r = PQexec(slow, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    EXPECT_TRUE(ok) << PQresultErrorMessage(r);
    PQclear(r);
  };
  exec("BEGIN");
  exec("SELECT pg_advisory_xact_lock(7265600002)");
  exec(
      "INSERT INTO user_changes (user_id, op, new_image, changed_at) "
      "VALUES ('slow', 'INSERT', '{\"userId\":\"slow\",\"email\":\"slow@example.com\",\"name\":\"S\"}', 0)");

  auto fast = std::async(std::launch::async, [&] {
    User u;
    u.email = "fast@example.com";
    u.name = "Fast";
    return store.CreateUser(u).ok();
  });
  EXPECT_EQ(fast.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  EXPECT_TRUE(store.ReadChanges(0, 10)->empty());  // nothing visible past an open seq

  exec("COMMIT");
  EXPECT_TRUE(fast.get());
  auto changes = store.ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].user_id, "slow");
  EXPECT_LT((*changes)[0].seq, (*changes)[1].seq);
  PQfinish(slow);
}

// Two processes creating the same address at once both pass the email-owner check; the
// unique index on lower(email) lets one in and the other gets AlreadyExists on "email".
TEST_F(PostgresStoreTest, ConcurrentCreatesOfOneEmailLetExactlyOneIn) {
  ManualClock clock;
  auto opened = PgStore::Open(PgUrlFor(schema_), ScoreRules{}, &clock);
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  std::atomic<int> created{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      User u;
      u.email = i % 2 ? "Same@Example.com" : "same@example.com";
      u.name = "Same";
      auto r = store.CreateUser(u);
      if (r.ok())
        ++created;
      else if (r.status().code() == Code::kAlreadyExists && r.status().field() == "email")
        ++conflicts;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(conflicts, 5);
  EXPECT_EQ(store.ReadChanges(0, 10)->size(), 1u);
}

TEST_F(PostgresStoreTest, ConcurrentReservationsOfOneEmailStoreItOnce) {
  ManualClock clock;
  auto opened = PgStore::Open(PgUrlFor(schema_), ScoreRules{}, &clock);
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  User u;
  u.email = "r@example.com";
  u.name = "R";
  auto created = store.CreateUser(u);
  ASSERT_TRUE(created.ok());
  Email draft;
  draft.email_id = "e1";
  draft.user_id = created->user_id;
  draft.subject = "Hi";
  draft.generated_at = clock.Now();
  std::atomic<int> reserved{0}, claimed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      auto r = store.ReserveEmail(draft, "t1", 7 * kMillisPerDay, 60'000);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (r->outcome == EmailReservation::Outcome::kReserved) ++reserved;
      if (r->outcome == EmailReservation::Outcome::kClaimed) ++claimed;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(reserved, 1);
  EXPECT_EQ(claimed, 3);  // the first holds the send lease
}

// ---- Issue 11: targeting ----------------------------------------------------------------

// The rule that chose a client is stored with the episode, the email and the holdout
// record, and the effectiveness figures count each rule's groups apart.
TEST_P(StoreContractTest, TheTargetingRuleIsStoredAndSplitsTheLift) {
  auto ana = store_->CreateUser(NewUser("ana@example.com"));
  auto bo = store_->CreateUser(NewUser("bo@example.com"));
  auto cy = store_->CreateUser(NewUser("cy@example.com"));
  ASSERT_TRUE(ana.ok() && bo.ok() && cy.ok());
  Episode ep;
  ep.episode_id = EpisodeIdFor(ana->user_id, 1);
  ep.user_id = ana->user_id;
  ep.journey_version = 1;
  ep.started_at = clock_.Now();
  ep.steps = 3;
  ep.next_due_at = clock_.Now();
  ep.targeting_rule = "churn";
  ASSERT_TRUE(store_->StartEpisodes({ep}).ok());
  EXPECT_EQ(store_->LatestEpisodes({ana->user_id})->at(0).targeting_rule, "churn");
  for (const auto& [user, rule] : {std::pair{&*ana, "churn"}, std::pair{&*bo, "score+churn"}}) {
    Email draft;
    draft.email_id = "e-" + user->user_id;
    draft.user_id = user->user_id;
    draft.generated_at = clock_.Now();
    draft.targeting_rule = rule;
    ASSERT_TRUE(store_->ReserveEmail(draft, "t-" + user->user_id, 0, 60'000).ok());
    ASSERT_TRUE(store_->FinishEmail(draft.email_id, "SENT", clock_.Now(), "").ok());
    EXPECT_EQ(store_->GetEmail(draft.email_id)->targeting_rule, rule);
  }
  ASSERT_TRUE(store_->RecordHoldout(cy->user_id, "t-cy", 30, "churn", kMillisPerDay).ok());
  auto f = store_->Effectiveness(30);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->by_rule.size(), 2u);
  EXPECT_EQ(f->by_rule[0].rule, "churn");
  EXPECT_EQ(f->by_rule[0].emailed.clients, 1);
  EXPECT_EQ(f->by_rule[0].held_out.clients, 1);
  EXPECT_EQ(f->by_rule[1].rule, "score+churn");
  EXPECT_EQ(f->by_rule[1].emailed.clients, 1);
  EXPECT_EQ(f->by_rule[1].held_out.clients, 0);
  EXPECT_EQ(f->emailed.clients, 2);  // the whole stays as it was
  EXPECT_EQ(f->held_out.clients, 1);
}

// The sweep reads a page's predictions as a range of user ids, in the users' order.
TEST_P(StoreContractTest, PredictionsBetweenReadARangeOfUserIdsInOrder) {
  std::vector<std::string> ids;
  for (const char* address : {"p1@example.com", "p2@example.com", "p3@example.com", "p4@example.com"}) {
    auto u = store_->CreateUser(NewUser(address));
    ASSERT_TRUE(u.ok());
    ids.push_back(u->user_id);
  }
  std::sort(ids.begin(), ids.end());
  std::vector<ClientPredictionRecord> rows;
  for (size_t k : {0u, 1u, 3u})  // the third has none
    rows.push_back({.user_id = ids[k], .fit_id = "f", .churn_probability = 0.1 * static_cast<double>(k + 1)});
  ASSERT_TRUE(store_->SavePredictions(rows).ok());
  auto ids_of = [](const Result<std::vector<ClientPredictionRecord>>& r) {
    std::vector<std::string> out;
    for (const ClientPredictionRecord& p : *r) out.push_back(p.user_id);
    return out;
  };
  auto first = store_->PredictionsBetween("", ids[1]);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(ids_of(first), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_EQ(ids_of(store_->PredictionsBetween(ids[0], ids[3])), (std::vector<std::string>{ids[1], ids[3]}));
  EXPECT_TRUE(store_->PredictionsBetween(ids[1], ids[2])->empty());
  EXPECT_DOUBLE_EQ(store_->PredictionsBetween(ids[2], ids[3])->at(0).churn_probability, 0.4);
}

// Outgoing webhooks (issue 17): the store writes a delivery per subscribed endpoint in the
// change's own transaction (0017_webhooks.sql), claimed under a lease, finished, replayed.
TEST_P(StoreContractTest, WebhookDeliveriesAreWrittenWithTheChangeForSubscribedEndpointsOnly) {
  ASSERT_TRUE(store_->Suppress("before@example.com", "unsubscribed").ok());
  EXPECT_TRUE(store_->ListWebhookDeliveries("", "", 100)->empty()) << "no endpoint: nothing written";
  WebhookEndpoint all{.endpoint_id = "wh_all",
                      .url = "https://a.example/hook",
                      .secret = "whsec_a",
                      .events = {"client.unsubscribed", "email.bounced"},
                      .description = "both",
                      .created_at = clock_.Now()};
  WebhookEndpoint other{.endpoint_id = "wh_sent",
                        .url = "https://b.example/hook",
                        .secret = "whsec_b",
                        .events = {"email.sent"},
                        .created_at = clock_.Now() + 1};
  ASSERT_TRUE(store_->CreateWebhookEndpoint(all).ok());
  ASSERT_TRUE(store_->CreateWebhookEndpoint(other).ok());
  auto endpoints = store_->ListWebhookEndpoints();
  ASSERT_TRUE(endpoints.ok()) << endpoints.status().ToString();
  ASSERT_EQ(endpoints->size(), 2u);
  EXPECT_EQ((*endpoints)[0].events, all.events);
  EXPECT_EQ((*endpoints)[0].secret, "whsec_a");

  ASSERT_TRUE(store_->Suppress("gone@example.com", "unsubscribed").ok());
  ASSERT_TRUE(store_->Suppress("hand@example.com", "manual").ok());   // no event type for it
  ASSERT_TRUE(store_->Suppress("hand@example.com", "bounced").ok());  // a changed reason is one
  auto listed = store_->ListWebhookDeliveries("", "", 100);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  for (const WebhookDelivery& d : *listed) {
    EXPECT_EQ(d.endpoint_id, "wh_all");
    EXPECT_EQ(d.status, "pending");
    EXPECT_EQ(d.delivery_id.rfind("msg_", 0), 0u) << d.delivery_id;
    const auto payload = nlohmann::json::parse(d.payload);
    EXPECT_EQ(payload["email"], d.type == "client.unsubscribed" ? "gone@example.com" : "hand@example.com");
  }
  EXPECT_TRUE(store_->ListWebhookDeliveries("wh_sent", "", 100)->empty());

  auto claimed = store_->ClaimWebhookDeliveries(60'000, 10);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].url, "https://a.example/hook");
  EXPECT_EQ((*claimed)[0].secret, "whsec_a");
  EXPECT_EQ((*claimed)[0].attempts, 1);
  EXPECT_TRUE(store_->ClaimWebhookDeliveries(60'000, 10)->empty()) << "leased: no one else gets them";
  const std::string first = (*claimed)[0].delivery_id, second = (*claimed)[1].delivery_id;
  ASSERT_TRUE(store_
                  ->FinishWebhookDeliveries({{.delivery_id = first,
                                              .status = "delivered",
                                              .next_attempt_at = clock_.Now(),
                                              .http_status = 204,
                                              .delivered_at = clock_.Now()},
                                             {.delivery_id = second,
                                              .status = "pending",
                                              .next_attempt_at = clock_.Now() + 5'000,
                                              .http_status = 500,
                                              .error = "HTTP 500"}})
                  .ok());
  EXPECT_TRUE(store_->ClaimWebhookDeliveries(60'000, 10)->empty()) << "not due yet";
  clock_.Advance(5'000);
  claimed = store_->ClaimWebhookDeliveries(60'000, 10);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].delivery_id, second);
  EXPECT_EQ((*claimed)[0].attempts, 2);
  EXPECT_EQ((*claimed)[0].last_status, 500);
  EXPECT_EQ((*claimed)[0].last_error, "HTTP 500");
  ASSERT_TRUE(
      store_->FinishWebhookDeliveries({{.delivery_id = second, .status = "dead", .next_attempt_at = clock_.Now()}})
          .ok());
  EXPECT_EQ(store_->ListWebhookDeliveries("", "dead", 100)->size(), 1u);
  EXPECT_EQ(store_->ListWebhookDeliveries("", "delivered", 100)->size(), 1u);

  // A replay makes an ended delivery pending again, its attempts counted anew; a pending
  // one is not replayed.
  EXPECT_TRUE(*store_->ReplayWebhookDelivery(second));
  EXPECT_FALSE(*store_->ReplayWebhookDelivery(second));
  EXPECT_FALSE(*store_->ReplayWebhookDelivery("msg_none"));
  claimed = store_->ClaimWebhookDeliveries(60'000, 10);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].attempts, 1);

  // A deleted endpoint gets no new deliveries; those claimed name no URL; no replay.
  EXPECT_TRUE(*store_->DeleteWebhookEndpoint("wh_all"));
  EXPECT_FALSE(*store_->DeleteWebhookEndpoint("wh_all"));
  EXPECT_EQ(store_->ListWebhookEndpoints()->size(), 1u);
  ASSERT_TRUE(store_->Suppress("later@example.com", "unsubscribed").ok());
  EXPECT_EQ(store_->ListWebhookDeliveries("wh_all", "", 100)->size(), 2u);
  clock_.Advance(60'001);
  claimed = store_->ClaimWebhookDeliveries(60'000, 10);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].url, "");
  EXPECT_FALSE(*store_->ReplayWebhookDelivery(first));

  // Pruning deletes ended deliveries of events before its time, never a pending one.
  ASSERT_TRUE(store_
                  ->FinishWebhookDeliveries({{.delivery_id = (*claimed)[0].delivery_id,
                                              .status = "dead",
                                              .next_attempt_at = clock_.Now(),
                                              .error = "the endpoint was deleted"}})
                  .ok());
  ASSERT_TRUE(store_
                  ->CreateWebhookEndpoint({.endpoint_id = "wh_keep",
                                           .url = "https://c.example/hook",
                                           .secret = "whsec_c",
                                           .events = {"client.unsubscribed"},
                                           .created_at = clock_.Now()})
                  .ok());
  ASSERT_TRUE(store_->Suppress("kept@example.com", "unsubscribed").ok());  // pending, and never pruned
  EXPECT_EQ(*store_->PruneWebhookDeliveries(clock_.Now() - 60'001 - 5'000 - 1, 100), 0) << "none that old";
  const size_t before = store_->ListWebhookDeliveries("", "", 100)->size();
  EXPECT_EQ(*store_->PruneWebhookDeliveries(clock_.Now() + 1, 1), 1) << "the limit holds";
  EXPECT_EQ(*store_->PruneWebhookDeliveries(clock_.Now() + 1, 100), 1);
  const auto left = store_->ListWebhookDeliveries("", "", 100);
  ASSERT_EQ(left->size(), before - 2);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->at(0).status, "pending");
  EXPECT_EQ(left->at(0).endpoint_id, "wh_keep");
}

}  // namespace
}  // namespace rkd
