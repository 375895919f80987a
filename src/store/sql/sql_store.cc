#include "store/sql/sql_store.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "base/ids.h"
#include "domain/implied_order.h"
#include "store/list_query.h"
#include "store/sql/email_filters.h"
#include "store/sql/sql_helpers.h"
#include "store/sql/table_rows.h"
#include "store/sql/user_state_queries.h"

namespace rkd {
namespace {

using nlohmann::json;
using sql::AsciiLower;
using sql::IdArray;
using sql::RunInto;
using sql::RunOne;

// A page from rows read with limit + 1: the extra row, when there is one, means another
// page follows the last row kept.
template <typename T, typename KeyOf>
Page<T> TrimPage(std::vector<T> rows, int limit, KeyOf key_of) {
  Page<T> page{std::move(rows), {}};
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    const auto [k, id] = key_of(page.items.back());
    page.next_cursor = EncodeKeyCursor(k, id);
  }
  return page;
}

// A keyset page's last parameters: the cursor's (key, id), NULLs on the first page, then
// limit + 1 (see TrimPage).
void AddPageParams(const std::optional<std::pair<int64_t, std::string>>& after, int limit, SqlParams& p) {
  if (after)
    p.insert(p.end(), {after->first, after->second});
  else
    p.insert(p.end(), {std::nullopt, std::nullopt});
  p.emplace_back(int64_t{limit + 1});
}

// A unique violation on the users' email (its constraint is named for the column).
bool IsEmailTaken(const Status& st) {
  return st.code() == Code::kAlreadyExists && st.field().find("email") != std::string::npos;
}

// The users' list has two templates (sql/*/queries.sql): "list-users" reads a page's ids
// from the sort's index alone, "list-users-search" reads rows as it matches a search.
std::string ListUsersQuery(const std::string& name, UserSort sort, bool descending) {
  return name + "/" + SortName(sort) + (descending ? "/desc" : "/asc");
}

}  // namespace

Status SqlStore::ExpandListUsers(std::map<std::string, std::string>& queries, SortTypeOf type_of) {
  for (const std::string name : {"list-users", "list-users-search"}) {
    auto it = queries.find(name);
    if (it == queries.end()) return Status::Internal("no named query " + name);
    const std::string tmpl = it->second;
    queries.erase(it);
    for (UserSort sort : {UserSort::kCreatedAt, UserSort::kScore, UserSort::kLastOrderDate, UserSort::kName})
      for (bool desc : {false, true}) {
        std::string q = ReplaceAll(tmpl, "{key}", SortColumn(sort));
        q = ReplaceAll(q, "{type}", type_of ? type_of(sort) : "");
        q = ReplaceAll(q, "{cmp}", desc ? "<" : ">");
        q = ReplaceAll(q, "{dir}", desc ? "DESC" : "ASC");
        queries[ListUsersQuery(name, sort, desc)] = std::move(q);
      }
  }
  return ExpandUserStateQueries(queries, type_of);  // GET /api/users?state= (issue 16)
}

// ---- rows ----------------------------------------------------------------------------

Result<User> SqlStore::LoadUser(SqlTx& tx, const std::string& user_id, bool lock) {
  std::optional<User> user;
  auto r =
      tx.Run(lock ? "get-user-for-update" : "get-user", {user_id}, [&](const SqlRow& row) { user = ReadUser(row); });
  if (!r.ok()) return r.status();
  if (!user) return Status::NotFound("user " + user_id + " not found", "userId");
  return std::move(*user);
}

Result<std::optional<Email>> SqlStore::LoadEmail(SqlTx& tx, const std::string& email_id) {
  std::optional<Email> email;
  auto r = tx.Run("get-email", {email_id}, [&](const SqlRow& row) { email = ReadEmail(row); });
  if (!r.ok()) return r.status();
  return email;
}

Status SqlStore::InsertUser(SqlTx& tx, const User& u) {
  auto r = tx.Run("insert-user", InsertUserParams(u));
  if (r.ok()) return Status::Ok();
  if (IsEmailTaken(r.status()))
    return Status::AlreadyExists("a user with email " + u.email + " already exists", "email");
  if (r.status().code() == Code::kAlreadyExists)
    return Status::AlreadyExists("user " + u.user_id + " already exists", "userId");
  return r.status();
}

Status SqlStore::UpdateUserRow(SqlTx& tx, const User& u) {
  auto r = tx.Run("update-user", UpdateUserParams(u));
  if (IsEmailTaken(r.status()))
    return Status::AlreadyExists("a user with email " + u.email + " already exists", "email");
  return r.ok() ? Status::Ok() : r.status();
}

Status SqlStore::AppendChange(SqlTx& tx, ChangeOp op, const User* old_image, const User* new_image) {
  if (op == ChangeOp::kModify && !DiffersOutsidePipelineFields(*old_image, *new_image)) return Status::Ok();
  RKD_RETURN_IF_ERROR(tx.OrderChangeStream());
  auto r = tx.Run("insert-change", InsertChangeParams(op, old_image, new_image, clock_->Now()));
  return r.ok() ? Status::Ok() : r.status();
}

void SqlStore::Rescore(User& u, Millis now) const {
  u.updated_at = now;
  u.engagement_score = ComputeScore(rules_, u, now);
}

Status SqlStore::AttributeOrder(SqlTx& tx, const Order& o) {
  for (const char* q : {"attribute-email", "attribute-holdout"}) {
    auto r = tx.Run(q, {o.user_id, o.order_date, options_.attribution_window, o.order_id, o.total_value});
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

// ---- users ---------------------------------------------------------------------------

Result<User> SqlStore::CreateUser(User u) {
  if (u.user_id.empty()) u.user_id = NewUuid();
  FillOrderTotals(&u);
  u.created_at = clock_->Now();
  Rescore(u, u.created_at);
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    RKD_RETURN_IF_ERROR(InsertUser(tx, u));
    return AppendChange(tx, ChangeOp::kInsert, nullptr, &u);
  });
  if (!st.ok()) return st;
  return u;
}

Result<User> SqlStore::GetUser(const std::string& user_id) {
  Result<User> out = Status::Internal("unset");
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out = LoadUser(tx, user_id, false);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<User> SqlStore::UpdateUser(const std::string& user_id, const UserPatch& patch) {
  User after;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    auto before = LoadUser(tx, user_id, true);
    if (!before.ok()) return before.status();
    const Millis now = clock_->Now();
    // The order figures change only with an order: the one they imply (the seed's "Create
    // Order"), recorded and attributed here as CreateOrder would.
    UserPatch rest = patch;
    auto implied = TakeImpliedOrder(*before, &rest, now);
    if (!implied.ok()) return implied.status();
    after = *before;
    ApplyPatch(rest, &after);
    if (Order* o = implied->has_value() ? &**implied : nullptr) {
      o->order_id = NewUuid();
      o->created_at = now;
      auto inserted = tx.Run("insert-order", InsertOrderParams(*o));
      if (!inserted.ok()) return inserted.status();
      ApplyOrder(*o, &after);
      RKD_RETURN_IF_ERROR(AttributeOrder(tx, *o));
    }
    Rescore(after, now);
    RKD_RETURN_IF_ERROR(UpdateUserRow(tx, after));
    return AppendChange(tx, ChangeOp::kModify, &*before, &after);
  });
  if (!st.ok()) return st;
  return after;
}

Status SqlStore::DeleteUser(const std::string& user_id) {
  return db_->Write([&](SqlTx& tx) -> Status {
    auto before = LoadUser(tx, user_id, true);
    if (!before.ok()) return before.status();
    for (const char* q : {"delete-user-orders", "delete-user-emails", "delete-user"}) {
      auto r = tx.Run(q, {user_id});
      if (!r.ok()) return r.status();
    }
    // The client's open episode ends with them (and the due scan stops handing it over).
    RKD_RETURN_IF_ERROR(RunOne(tx, "end-user-episodes", {user_id, clock_->Now()}, nullptr));
    return AppendChange(tx, ChangeOp::kRemove, &*before, nullptr);
  });
}

Result<Page<User>> SqlStore::ListUsers(const UserQuery& q) {
  if (q.sort == UserSort::kChurnProbability || q.min_churn_probability) return ListUsersByChurn(q);  // issue 11
  const int limit = ClampLimit(q.limit);
  auto cursor = DecodeUserCursor(q);
  if (!cursor.ok()) return cursor.status();
  const json& after = *cursor;
  SqlParams p{q.score_below, q.search.empty() ? std::nullopt : std::optional<std::string>(ContainsPattern(q.search))};
  if (after.is_null()) {
    p.insert(p.end(), {std::nullopt, std::nullopt});
  } else {
    // The key's type follows the sort; a cursor whose key does not is not ours.
    const json& k = after["k"];
    if (k.is_string() && q.sort == UserSort::kName)
      p.emplace_back(k.get<std::string>());
    else if (k.is_number_integer() && q.sort != UserSort::kName)
      p.emplace_back(k.get<int64_t>());
    else if (k.is_number() && q.sort == UserSort::kScore)
      p.emplace_back(k.get<double>());
    else
      return Status::InvalidArgument("cursor is not valid", "cursor");
    p.emplace_back(after["i"].get<std::string>());
  }
  p.emplace_back(int64_t{limit + 1});
  p.emplace_back(q.state);  // ?6: a client state (issue 16): its own query (user_state_queries.h)
  const std::string query = !q.state.empty()   ? UserStateQueryName(q.state, q.sort, q.descending)
                            : q.search.empty() ? ListUsersQuery("list-users", q.sort, q.descending)
                                               : ListUsersQuery("list-users-search", q.sort, q.descending);
  std::vector<User> rows;
  Status st = db_->Read([&](SqlTx& tx) { return RunInto(tx, query, p, ReadUser, &rows); });
  if (!st.ok()) return st;
  Page<User> page{std::move(rows), {}};
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next_cursor = EncodeUserCursor(page.items.back(), q);
  }
  return page;
}

Result<int64_t> SqlStore::CountUsers() {
  int64_t n = 0;
  Status st =
      db_->Read([&](SqlTx& tx) { return RunOne(tx, "count-users", {}, [&](const SqlRow& r) { n = r.Int(0); }); });
  if (!st.ok()) return st;
  return n;
}

// ---- orders --------------------------------------------------------------------------

Result<OrderResult> SqlStore::CreateOrder(Order o) {
  OrderResult out;
  if (o.order_id.empty()) o.order_id = NewUuid();
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    auto before = LoadUser(tx, o.user_id, true);  // the row lock queues concurrent orders
    if (!before.ok()) return before.status();
    o.created_at = clock_->Now();
    auto inserted = tx.Run("insert-order", InsertOrderParams(o));
    if (inserted.status().code() == Code::kAlreadyExists)
      return Status::AlreadyExists("order " + o.order_id + " already exists", "orderId");
    if (!inserted.ok()) return inserted.status();
    if (*inserted == 0) {
      // The externalId is taken (the insert did nothing): a retry of that order, or a
      // conflict. A concurrent insert of it has committed (PostgreSQL's ON CONFLICT
      // waited for it), and this statement's snapshot sees its row.
      std::vector<Order> existing;
      RKD_RETURN_IF_ERROR(RunInto(tx, "get-order-by-external-id", {o.external_id}, ReadOrder, &existing));
      if (existing.empty())
        return Status::Internal("order with externalId " + o.external_id + " vanished inside its transaction");
      if (!IsSameOrder(existing[0], o))
        return Status::AlreadyExists("an order with externalId " + o.external_id + " already exists and differs",
                                     "externalId");
      out = {std::move(existing[0]), std::move(before).value(), true};
      return Status::Ok();
    }
    User u = *before;
    ApplyOrder(o, &u);
    Rescore(u, o.created_at);
    RKD_RETURN_IF_ERROR(UpdateUserRow(tx, u));
    RKD_RETURN_IF_ERROR(AttributeOrder(tx, o));
    RKD_RETURN_IF_ERROR(AppendChange(tx, ChangeOp::kModify, &*before, &u));
    out = {o, std::move(u), false};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<Page<Order>> SqlStore::ListOrders(const std::string& user_id, int limit, const std::string& cursor) {
  limit = ClampLimit(limit);
  auto after = DecodeKeyCursor(cursor);
  if (!after.ok()) return after.status();
  SqlParams p{user_id};
  AddPageParams(*after, limit, p);
  std::vector<Order> rows;
  Status st = db_->Read([&](SqlTx& tx) { return RunInto(tx, "list-orders", p, ReadOrder, &rows); });
  if (!st.ok()) return st;
  return TrimPage(std::move(rows), limit, [](const Order& o) { return std::pair{o.order_date, o.order_id}; });
}

// ---- emails --------------------------------------------------------------------------

Result<Email> SqlStore::GetEmail(const std::string& email_id) {
  std::optional<Email> email;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    auto e = LoadEmail(tx, email_id);
    if (!e.ok()) return e.status();
    email = std::move(e).value();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!email) return Status::NotFound("email " + email_id + " not found", "emailId");
  return std::move(*email);
}

Result<Page<Email>> SqlStore::ListEmails(const EmailQuery& q) {
  const int limit = ClampLimit(q.limit);
  auto after = DecodeKeyCursor(q.cursor);
  if (!after.ok()) return after.status();
  SqlParams p{q.user_id, q.status};
  AddPageParams(*after, limit, p);
  AddEmailFilterParams(q, p);
  std::vector<Email> rows;
  // One client's through its index; one status's through emails_by_status.
  const char* query = !q.user_id.empty()  ? "list-user-emails"
                      : !q.status.empty() ? "list-emails-status"
                                          : "list-emails";
  Status st = db_->Read([&](SqlTx& tx) { return RunInto(tx, query, p, ReadEmail, &rows); });
  if (!st.ok()) return st;
  return TrimPage(std::move(rows), limit, [](const Email& e) { return std::pair{e.created_at, e.email_id}; });
}

// ---- bulk load -----------------------------------------------------------------------

Status SqlStore::Import(std::vector<User> users, std::vector<Order> orders) {
  const Millis now = clock_->Now();
  for (User& u : users) {
    if (u.user_id.empty()) u.user_id = NewUuid();
    FillOrderTotals(&u);
    if (u.created_at == 0) u.created_at = now;
    Rescore(u, now);
  }
  for (Order& o : orders) {
    if (o.order_id.empty()) o.order_id = NewUuid();
    if (o.created_at == 0) o.created_at = o.order_date;
  }
  return db_->Write([&](SqlTx& tx) -> Status {
    RKD_RETURN_IF_ERROR(tx.PauseUserCounting());
    std::vector<std::string> ids;
    ids.reserve(users.size());
    for (const User& u : users) {
      ids.push_back(u.user_id);
      Status w = InsertUser(tx, u);
      if (w.code() == Code::kAlreadyExists)
        return Status::AlreadyExists("user " + u.user_id + " or email " + u.email + " already exists", "email");
      RKD_RETURN_IF_ERROR(w);
    }
    for (const Order& o : orders) {
      auto r = tx.Run("insert-order", InsertOrderParams(o));
      if (!r.ok()) return r.status();
      if (*r == 0)
        return Status::AlreadyExists("an order with externalId " + o.external_id + " already exists", "externalId");
    }
    RKD_RETURN_IF_ERROR(tx.CountInsertedUsers(ids));
    for (const User& u : users) RKD_RETURN_IF_ERROR(AppendChange(tx, ChangeOp::kInsert, nullptr, &u));
    return Status::Ok();
  });
}

// ---- change stream -------------------------------------------------------------------

Result<std::vector<UserChange>> SqlStore::ReadChanges(int64_t after_seq, int limit) {
  std::vector<UserChange> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.clear();
    Status bad;
    auto r = tx.Run("read-changes", {after_seq, int64_t{std::max(limit, 1)}}, [&](const SqlRow& row) {
      auto ch = ReadChange(row);
      if (ch.ok())
        out.push_back(std::move(ch).value());
      else if (bad.ok())
        bad = ch.status();
    });
    if (!r.ok()) return r.status();
    return bad;
  });
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> SqlStore::GetCheckpoint(const std::string& name) {
  int64_t seq = 0;
  Status st = db_->Read(
      [&](SqlTx& tx) { return RunOne(tx, "get-checkpoint", {name}, [&](const SqlRow& r) { seq = r.Int(0); }); });
  if (!st.ok()) return st;
  return seq;
}

Status SqlStore::SetCheckpoint(const std::string& name, int64_t seq) {
  return db_->WriteOne([&](SqlTx& tx) { return RunOne(tx, "set-checkpoint", {name, seq, clock_->Now()}, nullptr); });
}

Result<int64_t> SqlStore::LatestChangeSeq() {
  int64_t seq = 0;
  Status st = db_->Read(
      [&](SqlTx& tx) { return RunOne(tx, "latest-change-seq", {}, [&](const SqlRow& r) { seq = r.Int(0); }); });
  if (!st.ok()) return st;
  return seq;
}

Result<int64_t> SqlStore::PruneChanges(int64_t below_seq, Millis retention, int limit) {
  int64_t pruned = 0;
  const Millis older_than = clock_->Now() - retention;
  Status st = db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("prune-changes", {below_seq, older_than, int64_t{std::max(limit, 1)}});
    if (!r.ok()) return r.status();
    pruned = *r;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return pruned;
}

// ---- pipeline ------------------------------------------------------------------------

Result<std::vector<ScoreRefresh>> SqlStore::RefreshScores(const std::vector<std::string>& user_ids) {
  std::vector<ScoreRefresh> out;
  // Users are locked in id order, so two refreshes (or a refresh and a single-user write)
  // never wait on each other in a cycle. A score refresh records no change (store.h).
  const std::set<std::string> ids(user_ids.begin(), user_ids.end());
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    out.clear();
    std::map<std::string, User> locked;
    for (const std::string& id : ids) {
      auto before = LoadUser(tx, id, true);
      if (before.status().IsNotFound()) continue;
      if (!before.ok()) return before.status();
      locked.emplace(id, std::move(before).value());
    }
    const Millis now = clock_->Now();
    for (const std::string& id : user_ids) {
      auto it = locked.find(id);
      if (it == locked.end()) continue;
      ScoreRefresh r{it->second, it->second.engagement_score};
      r.user.engagement_score = ComputeScore(rules_, r.user, now);
      if (r.user.engagement_score != r.old_score) {
        r.user.updated_at = now;
        RKD_RETURN_IF_ERROR(UpdateUserRow(tx, r.user));
        it->second = r.user;  // a repeated id sees the refreshed row
      }
      out.push_back(std::move(r));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<EmailReservation> SqlStore::ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                                Millis lease) {
  EmailReservation out;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    out = {};
    const Millis now = clock_->Now();
    // The user's row lock first: two deliveries of one trigger then queue here, and the
    // second finds the first's email.
    auto before = LoadUser(tx, draft.user_id, true);
    auto existing = LoadEmail(tx, draft.email_id);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      out = {EmailReservation::Outcome::kExisting, **existing};
      if (out.email.AwaitsSending()) {
        // The send lease, unless another delivery holds it.
        auto claimed = tx.Run("claim-email", {draft.email_id, now + lease, now});
        if (!claimed.ok()) return claimed.status();
        if (*claimed == 0) out.outcome = EmailReservation::Outcome::kClaimed;
      }
      return Status::Ok();
    }
    if (!before.ok()) return before.status();
    if (before->last_email_date && draft.generated_at - *before->last_email_date < cooldown) {
      out.outcome = EmailReservation::Outcome::kCooldown;
      return Status::Ok();
    }
    Email e = draft;
    e.status = "GENERATED";
    e.created_at = now;
    auto inserted = tx.Run("insert-email", InsertEmailParams(e, trigger_id, now + lease));
    if (!inserted.ok()) return inserted.status();
    User after = *before;
    after.last_email_date = e.generated_at;
    Rescore(after, e.created_at);
    // Only the pipeline's own fields change: no change record (store.h).
    RKD_RETURN_IF_ERROR(UpdateUserRow(tx, after));
    out = {EmailReservation::Outcome::kReserved, std::move(e)};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status SqlStore::FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                             const std::string& error) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("finish-email", {email_id, status, sent_at, error});
    if (!r.ok()) return r.status();
    if (*r == 0) return Status::NotFound("email " + email_id + " not found", "emailId");
    return Status::Ok();
  });
}

// ---- the email processor's batch ----------------------------------------------------

Result<std::vector<Result<EmailReservation>>> SqlStore::ReserveEmails(const std::vector<EmailDraft>& drafts,
                                                                      Millis cooldown, Millis lease) {
  std::vector<Result<EmailReservation>> out;
  if (drafts.empty()) return out;
  std::vector<std::string> user_ids, email_ids;
  for (const EmailDraft& d : drafts) {
    user_ids.push_back(d.draft.user_id);
    email_ids.push_back(d.draft.email_id);
  }
  const std::string users_param = IdArray(user_ids), emails_param = IdArray(email_ids);
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    out.clear();
    RKD_RETURN_IF_ERROR(RunOne(tx, "lock-email-batches", {}, nullptr));  // one batch at a time
    const Millis now = clock_->Now();
    // The users' row locks first (in id order), as ReserveEmail takes its one.
    std::map<std::string, User> users;
    RKD_RETURN_IF_ERROR(RunOne(tx, "get-users-for-update", {users_param}, [&](const SqlRow& r) {
      User u = ReadUser(r);
      users.emplace(u.user_id, std::move(u));
    }));
    std::map<std::string, Email> emails;
    RKD_RETURN_IF_ERROR(RunOne(tx, "get-emails", {emails_param}, [&](const SqlRow& r) {
      Email e = ReadEmail(r);
      emails.emplace(e.email_id, std::move(e));
    }));
    for (const EmailDraft& d : drafts) {
      const Email& draft = d.draft;
      if (auto existing = emails.find(draft.email_id); existing != emails.end()) {
        EmailReservation res{EmailReservation::Outcome::kExisting, existing->second};
        if (res.email.AwaitsSending()) {
          auto claimed = tx.Run("claim-email", {draft.email_id, now + lease, now});
          if (!claimed.ok()) return claimed.status();
          if (*claimed == 0) res.outcome = EmailReservation::Outcome::kClaimed;
        }
        out.emplace_back(std::move(res));
        continue;
      }
      auto user = users.find(draft.user_id);
      if (user == users.end()) {
        out.emplace_back(Status::NotFound("user " + draft.user_id + " not found", "userId"));
        continue;
      }
      if (user->second.last_email_date && draft.generated_at - *user->second.last_email_date < cooldown) {
        out.emplace_back(EmailReservation{EmailReservation::Outcome::kCooldown, {}});
        continue;
      }
      Email e = draft;
      e.status = "GENERATED";
      e.created_at = now;
      auto inserted = tx.Run("insert-email", InsertEmailParams(e, d.trigger_id, now + lease));
      if (!inserted.ok()) return inserted.status();
      // The journey's episode moves with its step's email, in this transaction.
      if (d.episode) RKD_RETURN_IF_ERROR(RunOne(tx, "advance-episode", EpisodeParams(*d.episode), nullptr));
      User& after = user->second;  // a later draft for this user sees this reservation
      after.last_email_date = e.generated_at;
      Rescore(after, e.created_at);
      // Only the pipeline's own fields change: no change record (store.h).
      RKD_RETURN_IF_ERROR(UpdateUserRow(tx, after));
      emails.emplace(e.email_id, e);
      out.emplace_back(EmailReservation{EmailReservation::Outcome::kReserved, std::move(e)});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Status>> SqlStore::FinishEmails(const std::vector<EmailOutcome>& outcomes) {
  std::vector<Status> out;
  if (outcomes.empty()) return out;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    out.clear();
    RKD_RETURN_IF_ERROR(RunOne(tx, "lock-email-batches", {}, nullptr));  // one batch at a time
    for (const EmailOutcome& o : outcomes) {
      auto r = tx.Run("finish-email", {o.email_id, o.status, o.sent_at, o.error});
      if (!r.ok()) return r.status();
      out.push_back(*r == 0 ? Status::NotFound("email " + o.email_id + " not found", "emailId") : Status::Ok());
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<User>> SqlStore::GetUsers(const std::vector<std::string>& user_ids) {
  std::vector<User> out;
  if (user_ids.empty()) return out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(tx, "get-users", {IdArray(user_ids)}, ReadUser, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Email>> SqlStore::GetEmails(const std::vector<std::string>& email_ids) {
  std::vector<Email> out;
  if (email_ids.empty()) return out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(tx, "get-emails", {IdArray(email_ids)}, ReadEmail, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<std::string>> SqlStore::SuppressedAmong(const std::vector<std::string>& emails) {
  std::set<std::string> found;  // lower case
  if (emails.empty()) return std::vector<std::string>{};
  Status st = db_->Read([&](SqlTx& tx) {
    found.clear();
    return RunOne(tx, "suppressed-among", {IdArray(emails)}, [&](const SqlRow& r) { found.insert(r.Text(0)); });
  });
  if (!st.ok()) return st;
  std::vector<std::string> out;
  for (const std::string& e : emails)
    if (found.count(AsciiLower(e))) out.push_back(e);
  return out;
}

Result<std::vector<User>> SqlStore::ScanUsers(const std::string& after_user_id, int limit) {
  std::vector<User> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(tx, "scan-users", {after_user_id, int64_t{std::clamp(limit, 1, 10000)}}, ReadUser, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<bool> SqlStore::IsSuppressed(const std::string& email) {
  bool found = false;
  Status st =
      db_->Read([&](SqlTx& tx) { return RunOne(tx, "is-suppressed", {email}, [&](const SqlRow&) { found = true; }); });
  if (!st.ok()) return st;
  return found;
}

Status SqlStore::Suppress(const std::string& email, const std::string& reason) {
  return db_->WriteOne([&](SqlTx& tx) { return RunOne(tx, "suppress", {email, reason, clock_->Now()}, nullptr); });
}

Status SqlStore::Unsuppress(const std::string& email) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r = tx.Run("unsuppress", {email});
    if (!r.ok()) return r.status();
    if (*r == 0) return Status::NotFound(email + " is not on the suppression list", "email");
    return Status::Ok();
  });
}

Result<StoreMetrics> SqlStore::Metrics(double threshold) {
  StoreMetrics m;
  const Millis now = clock_->Now();
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    m = {};
    RKD_RETURN_IF_ERROR(RunOne(tx, "metrics-users", {threshold}, [&](const SqlRow& r) {
      m.users = r.Int(0);
      m.at_risk = r.Int(1);
      m.average_score = r.Real(2);
    }));
    RKD_RETURN_IF_ERROR(RunOne(tx, "score-histogram", {}, [&](const SqlRow& r) {
      m.score_histogram[std::clamp<int64_t>(r.Int(0), 0, 9)] += r.Int(1);
    }));
    // The last N days are today and the N − 1 days before it (UTC), as the daily chart.
    const int64_t today = now / kMillisPerDay;
    for (auto [days, target] : {std::pair{7, &m.emails_last_7_days}, std::pair{30, &m.emails_last_30_days},
                                std::pair{1'000'000, &m.emails_total}}) {
      RKD_RETURN_IF_ERROR(
          RunOne(tx, "emails-since", {today - (days - 1)}, [target = target](const SqlRow& r) { *target = r.Int(0); }));
    }
    RKD_RETURN_IF_ERROR(RunOne(tx, "emails-by-status", {},
                               [&](const SqlRow& r) { m.emails_by_status.emplace_back(r.Text(0), r.Int(1)); }));
    return RunOne(tx, "emails-per-day", {today - 29},
                  [&](const SqlRow& r) { m.emails_per_day.emplace_back(r.Int(0) * kMillisPerDay, r.Int(1)); });
  });
  if (!st.ok()) return st;
  return m;
}

Result<DeliveryFailures> SqlStore::RecentDeliveryFailures(Millis since) {
  DeliveryFailures f;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    f = {};
    RKD_RETURN_IF_ERROR(RunOne(tx, "count-delivery-failures", {since}, [&](const SqlRow& r) { f.count = r.Int(0); }));
    if (f.count == 0) return Status::Ok();
    return RunOne(tx, "last-delivery-failure", {since}, [&](const SqlRow& r) {
      f.email_id = r.Text(0);
      f.user_id = r.Text(1);
      f.error = r.Text(2);
      f.at = r.Int(3);
    });
  });
  if (!st.ok()) return st;
  return f;
}

// ---- settings and the send budget (sending controls) -----------------------------

Result<std::vector<SettingRow>> SqlStore::GetSettings() {
  std::vector<SettingRow> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(
        tx, "list-settings", {},
        [](const SqlRow& r) {
          return SettingRow{r.Text(0), r.Text(1), r.Int(2), r.Text(3)};
        },
        &out);
  });
  if (!st.ok()) return st;
  return out;
}

Status SqlStore::PutSettings(const std::vector<std::pair<std::string, std::string>>& values, const std::string& by,
                             bool only_if_absent) {
  if (values.empty()) return Status::Ok();
  return db_->Write([&](SqlTx& tx) -> Status {
    const Millis now = clock_->Now();
    for (const auto& [key, value] : values)
      RKD_RETURN_IF_ERROR(
          RunOne(tx, only_if_absent ? "put-setting-if-absent" : "put-setting", {key, value, now, by}, nullptr));
    return Status::Ok();
  });
}

Result<SendBudget> SqlStore::TakeSendBudget(const std::vector<SendPeriod>& periods, int64_t wanted,
                                            Millis prune_before) {
  SendBudget out;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    out = {};
    RKD_RETURN_IF_ERROR(RunOne(tx, "prune-send-periods", {prune_before}, nullptr));
    std::vector<int64_t> sent;
    int64_t granted = std::max<int64_t>(wanted, 0);
    for (const SendPeriod& p : periods) {
      RKD_RETURN_IF_ERROR(RunOne(tx, "open-send-period", {p.key, p.start}, nullptr));
      int64_t count = 0;  // the row is locked until the transaction ends (PostgreSQL: FOR UPDATE)
      RKD_RETURN_IF_ERROR(
          RunOne(tx, "get-send-period-for-update", {p.key}, [&](const SqlRow& r) { count = r.Int(0); }));
      if (p.cap) granted = std::min(granted, std::max<int64_t>(*p.cap - count, 0));
      sent.push_back(count);
    }
    for (size_t k = 0; k < periods.size(); ++k) {
      if (granted > 0) RKD_RETURN_IF_ERROR(RunOne(tx, "add-to-send-period", {periods[k].key, granted}, nullptr));
      sent[k] += granted;
    }
    out = {granted, std::move(sent)};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<int64_t>> SqlStore::SendCounts(const std::vector<std::string>& period_keys) {
  std::vector<int64_t> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.assign(period_keys.size(), 0);
    for (size_t k = 0; k < period_keys.size(); ++k)
      RKD_RETURN_IF_ERROR(RunOne(tx, "get-send-period", {period_keys[k]}, [&](const SqlRow& r) { out[k] = r.Int(0); }));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

// ---- effectiveness -------------------------------------------------------------------

Status SqlStore::RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                               const std::string& targeting_rule, Millis cooldown) {
  return db_->Write([&](SqlTx& tx) -> Status {
    const Millis now = clock_->Now();
    // The user's row lock (when the user exists) makes the check-then-insert atomic.
    auto user = LoadUser(tx, user_id, true);
    if (!user.ok() && !user.status().IsNotFound()) return user.status();
    bool recent = false;
    RKD_RETURN_IF_ERROR(
        RunOne(tx, "latest-holdout", {user_id}, [&](const SqlRow& r) { recent = now - r.Int(0) < cooldown; }));
    if (recent) return Status::Ok();  // held out recently: one record per cooldown
    return RunOne(tx, "insert-holdout", {user_id, trigger_id, score, now, targeting_rule}, nullptr);
  });
}

Result<Email> SqlStore::RecordEmailEvent(const std::string& email_id, const std::string& type, const std::string& url) {
  Email out;
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    auto email = LoadEmail(tx, email_id);
    if (!email.ok()) return email.status();
    if (!*email) return Status::NotFound("email " + email_id + " not found", "emailId");
    const Millis now = clock_->Now();
    RKD_RETURN_IF_ERROR(RunOne(tx, "insert-email-event", {email_id, type, url, now}, nullptr));
    RKD_RETURN_IF_ERROR(RunOne(tx, type == "click" ? "mark-clicked" : "mark-opened", {email_id, now}, nullptr));
    auto after = LoadEmail(tx, email_id);
    if (!after.ok()) return after.status();
    out = **after;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<EffectivenessFigures> SqlStore::Effectiveness(int days) {
  EffectivenessFigures f;
  const Millis now = clock_->Now();
  const Millis since = (now / kMillisPerDay - (days - 1)) * kMillisPerDay;
  // One snapshot: the funnel, the groups and the daily rows agree with each other.
  Status st = db_->ReadSnapshot([&](SqlTx& tx) -> Status {
    f = {};
    RKD_RETURN_IF_ERROR(RunOne(tx, "effectiveness-funnel", {since}, [&](const SqlRow& r) {
      f.sent = r.Int(0);
      f.delivered = r.Int(1);
      f.failed = r.Int(2);
      f.opened = r.Int(3);
      f.clicked = r.Int(4);
      f.converted = r.Int(5);
      f.revenue = r.Real(6);
    }));
    RKD_RETURN_IF_ERROR(RunOne(tx, "effectiveness-suppressions", {since}, [&](const SqlRow& r) {
      const std::string reason = r.Text(0);
      if (reason == "unsubscribed") f.unsubscribes = r.Int(1);
      if (reason == "bounced") f.bounces = r.Int(1);
      if (reason == "complained") f.complaints = r.Int(1);
    }));
    for (auto [query, group] :
         {std::pair{"effectiveness-emailed", &f.emailed}, std::pair{"effectiveness-held-out", &f.held_out}}) {
      RKD_RETURN_IF_ERROR(RunOne(tx, query, {since}, [group = group](const SqlRow& r) {
        *group = {r.Int(0), r.Int(1), r.Real(2)};
      }));
    }
    // The same groups per targeting rule (issue 11), in the rules' order.
    std::map<std::string, RuleLift> by_rule;
    for (auto [query, emailed] :
         {std::pair{"effectiveness-emailed-by-rule", true}, std::pair{"effectiveness-held-out-by-rule", false}}) {
      RKD_RETURN_IF_ERROR(RunOne(tx, query, {since}, [&by_rule, emailed = emailed](const SqlRow& r) {
        RuleLift& lift = by_rule[r.Text(0)];
        lift.rule = r.Text(0);
        (emailed ? lift.emailed : lift.held_out) = {r.Int(1), r.Int(2), r.Real(3)};
      }));
    }
    for (auto& [rule, lift] : by_rule) f.by_rule.push_back(std::move(lift));
    f.daily.resize(static_cast<size_t>(days));
    for (int d = 0; d < days; ++d) f.daily[d].day = since + d * kMillisPerDay;
    // Each daily query's rows are (day number, figures…); `apply` stores one row's.
    auto add = [&](const char* query, auto apply) {
      return RunOne(tx, query, {since}, [&](const SqlRow& r) {
        const int64_t index = r.Int(0) - since / kMillisPerDay;
        if (index >= 0 && index < days) apply(f.daily[static_cast<size_t>(index)], r);
      });
    };
    RKD_RETURN_IF_ERROR(add("effectiveness-daily-sent", [](DailyEffect& d, const SqlRow& r) { d.sent = r.Int(1); }));
    RKD_RETURN_IF_ERROR(
        add("effectiveness-daily-opened", [](DailyEffect& d, const SqlRow& r) { d.opened = r.Int(1); }));
    RKD_RETURN_IF_ERROR(
        add("effectiveness-daily-clicked", [](DailyEffect& d, const SqlRow& r) { d.clicked = r.Int(1); }));
    RKD_RETURN_IF_ERROR(RunOne(tx, "effectiveness-by-step", {since}, [&](const SqlRow& r) {
      f.by_step.push_back({static_cast<int>(r.Int(0)), r.Int(1), r.Int(2)});
    }));
    return add("effectiveness-daily-converted", [](DailyEffect& d, const SqlRow& r) {
      d.converted = r.Int(1);
      d.revenue = r.Real(2);
    });
  });
  if (!st.ok()) return st;
  return f;
}

// ---- journeys (issue 16) -------------------------------------------------------------

namespace {

Result<JourneyVersion> ReadJourney(const SqlRow& r) {
  auto definition = DecodeJourneyDefinition(r.Text(1));
  if (!definition.ok()) return definition.status();
  return JourneyVersion{r.Int(0), std::move(definition).value(), r.Int(2), r.Text(3)};
}

}  // namespace

Result<JourneyVersion> SqlStore::SaveJourney(const JourneyDefinition& definition, const std::string& created_by) {
  JourneyVersion out{0, definition, clock_->Now(), created_by};
  Status st = db_->Write([&](SqlTx& tx) -> Status {
    RKD_RETURN_IF_ERROR(RunOne(tx, "lock-journeys", {}, nullptr));  // one new version at a time
    return RunOne(tx, "insert-journey", {EncodeJourneyDefinition(definition), out.created_at, created_by},
                  [&](const SqlRow& r) { out.version = r.Int(0); });
  });
  if (!st.ok()) return st;
  return out;
}

Result<JourneyVersion> SqlStore::GetJourney(std::optional<int64_t> version) {
  std::optional<Result<JourneyVersion>> out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.reset();
    return version ? RunOne(tx, "get-journey", {*version}, [&](const SqlRow& r) { out = ReadJourney(r); })
                   : RunOne(tx, "get-latest-journey", {}, [&](const SqlRow& r) { out = ReadJourney(r); });
  });
  if (!st.ok()) return st;
  if (!out)
    return Status::NotFound("journey version " + (version ? std::to_string(*version) : "") + " not found", "version");
  return std::move(*out);
}

Result<std::vector<JourneyVersion>> SqlStore::ListJourneys(int limit) {
  std::vector<JourneyVersion> out;
  Status bad;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunOne(tx, "list-journeys", {int64_t{std::clamp(limit, 1, 1000)}}, [&](const SqlRow& r) {
      auto j = ReadJourney(r);
      if (j.ok())
        out.push_back(std::move(j).value());
      else
        bad = j.status();
    });
  });
  if (!st.ok()) return st;
  if (!bad.ok()) return bad;
  return out;
}

Result<std::vector<Episode>> SqlStore::LatestEpisodes(const std::vector<std::string>& user_ids) {
  std::vector<Episode> out;
  if (user_ids.empty()) return out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(tx, "latest-episodes", {IdArray(user_ids)}, ReadEpisode, &out);
  });
  if (!st.ok()) return st;
  return out;
}

Status SqlStore::StartEpisodes(const std::vector<Episode>& episodes) {
  if (episodes.empty()) return Status::Ok();
  return db_->Write([&](SqlTx& tx) -> Status {
    for (const Episode& e : episodes) RKD_RETURN_IF_ERROR(RunOne(tx, "insert-episode", EpisodeParams(e), nullptr));
    return Status::Ok();
  });
}

Status SqlStore::EndEpisodes(const std::vector<EpisodeEnd>& ends) {
  if (ends.empty()) return Status::Ok();
  return db_->Write([&](SqlTx& tx) -> Status {
    for (const EpisodeEnd& e : ends)
      RKD_RETURN_IF_ERROR(RunOne(tx, "end-episode", {e.episode_id, e.reason, e.at}, nullptr));
    return Status::Ok();
  });
}

Status SqlStore::DeferEpisodes(const std::vector<EpisodeEnd>& deferrals) {
  if (deferrals.empty()) return Status::Ok();
  return db_->Write([&](SqlTx& tx) -> Status {
    for (const EpisodeEnd& e : deferrals)
      RKD_RETURN_IF_ERROR(RunOne(tx, "defer-episode", {e.episode_id, e.at}, nullptr));
    return Status::Ok();
  });
}

Result<std::vector<DueEpisode>> SqlStore::DueEpisodes(Millis now, Millis after_due, const std::string& after_id,
                                                      int limit) {
  std::vector<DueEpisode> out;
  SqlParams p{now, after_id.empty() ? std::nullopt : std::optional<int64_t>(after_due),
              after_id.empty() ? std::nullopt : std::optional<std::string>(after_id),
              int64_t{std::clamp(limit, 1, 10000)}};
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(
        tx, "due-episodes", p,
        [](const SqlRow& r) {
          return DueEpisode{r.Text(0), r.Text(1), static_cast<int>(r.Int(2)), r.Int(3)};
        },
        &out);
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Suppression>> SqlStore::SuppressionsAmong(const std::vector<std::string>& emails) {
  std::vector<Suppression> out;
  if (emails.empty()) return out;
  Status st = db_->Read([&](SqlTx& tx) {
    out.clear();
    return RunInto(
        tx, "suppressions-among", {IdArray(emails)},
        [](const SqlRow& r) {
          return Suppression{r.Text(0), r.Text(1), r.Int(2)};
        },
        &out);
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace rkd
