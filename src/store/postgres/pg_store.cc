#include "store/postgres/pg_store.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "base/ids.h"
#include "domain/json_codec.h"
#include "store/list_query.h"

namespace rkd {
namespace {

using nlohmann::json;

User ReadUser(const PgRows& r, int i) {
  User u;
  u.user_id = r.Text(i, 0);
  u.email = r.Text(i, 1);
  u.name = r.Text(i, 2);
  u.last_order_date = r.OptInt(i, 3);
  u.order_count = r.Int(i, 4);
  u.average_order_value = r.Real(i, 5);
  auto cats = json::parse(r.Text(i, 6), nullptr, false);
  if (cats.is_array())
    for (const auto& c : cats)
      if (c.is_string()) u.preferred_categories.push_back(c.get<std::string>());
  u.engagement_score = r.Real(i, 7);
  u.last_email_date = r.OptInt(i, 8);
  u.created_at = r.Int(i, 9);
  u.updated_at = r.Int(i, 10);
  return u;
}

Email ReadEmail(const PgRows& r, int i) {
  Email e;
  e.email_id = r.Text(i, 0);
  e.user_id = r.Text(i, 1);
  e.subject = r.Text(i, 2);
  e.content = r.Text(i, 3);
  e.html = r.Text(i, 4);
  e.generated_at = r.Int(i, 5);
  e.engagement_score_at_time = r.Real(i, 6);
  e.status = r.Text(i, 7);
  e.writer = r.Text(i, 8);
  e.sent_at = r.OptInt(i, 9);
  e.error = r.Text(i, 10);
  e.created_at = r.Int(i, 11);
  e.prompt_tokens = static_cast<int>(r.Int(i, 12));
  e.completion_tokens = static_cast<int>(r.Int(i, 13));
  e.opened_at = r.OptInt(i, 14);
  e.clicked_at = r.OptInt(i, 15);
  e.converted_at = r.OptInt(i, 16);
  if (!r.IsNull(i, 17)) e.conversion_revenue = r.Real(i, 17);
  return e;
}

Order ReadOrder(const PgRows& r, int i) {
  Order o;
  o.order_id = r.Text(i, 0);
  o.user_id = r.Text(i, 1);
  o.order_date = r.Int(i, 2);
  o.total_value = r.Real(i, 3);
  auto items = OrderItemsFromJson(json::parse(r.Text(i, 4), nullptr, false));
  if (items.ok()) o.items = std::move(items).value();
  o.status = r.Text(i, 5);
  o.created_at = r.Int(i, 6);
  if (!r.IsNull(i, 7)) o.external_id = r.Text(i, 7);
  return o;
}

// An order's externalId as a parameter: NULL when it has none, so such orders never collide.
std::optional<std::string> ExternalIdParam(const Order& o) {
  return o.external_id.empty() ? std::nullopt : std::optional<std::string>(o.external_id);
}

// An order's parameters for "insert-order" (one column list, for CreateOrder and Import).
PgParams OrderParams(const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) items.push_back(ToJson(i));
  return PgParams()
      .Add(o.order_id)
      .Add(o.user_id)
      .Add(o.order_date)
      .Add(o.total_value)
      .Add(items.dump())
      .Add(o.status)
      .Add(o.created_at)
      .Add(ExternalIdParam(o));
}

const char* SortType(UserSort s) {
  switch (s) {
    case UserSort::kScore:
      return "float8";
    case UserSort::kName:
      return "text";
    default:
      return "bigint";
  }
}

// The name of the prepared list-users variant for a sort and direction.
std::string ListUsersName(UserSort sort, bool desc) {
  return std::string("list-users/") + SortName(sort) + (desc ? "/desc" : "/asc");
}

// Runs a named query and hands its rows to the caller's variable, or returns the error.
#define RKD_PG(var, conn, name, params)           \
  auto var##_run = (conn).Run((name), (params));  \
  if (!var##_run.ok()) return var##_run.status(); \
  const PgRows& var = *var##_run;                 \
  (void)var

// Reads one keyset page with `query`, whose parameters are `p` (the query's own), then the
// cursor's key and id (nulls on the first page) and limit + 1: a row beyond `limit` means
// another page follows the last row kept (as SQLite's ReadPage).
template <typename T, typename ReadRow, typename KeyOf>
Result<Page<T>> ReadKeyPage(PgDatabase& db, const char* query, PgParams p, int limit, const std::string& cursor,
                            ReadRow read_row, KeyOf key_of) {
  limit = ClampLimit(limit);
  auto after = DecodeKeyCursor(cursor);
  if (!after.ok()) return after.status();
  if (*after)
    p.Add((*after)->first).Add((*after)->second);
  else
    p.Add(std::nullopt).Add(std::nullopt);
  p.Add(int64_t{limit + 1});
  Page<T> page;
  Status st = db.Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, query, p);
    for (int i = 0; i < r.size(); ++i) page.items.push_back(read_row(r, i));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    const auto [k, id] = key_of(page.items.back());
    page.next_cursor = EncodeKeyCursor(k, id);
  }
  return page;
}

}  // namespace

// ---- set-up --------------------------------------------------------------------------

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, const ScoreRules& rules, const Clock* clock,
                                               StoreOptions options, PgOptions pg) {
  // list-users is a template: one prepared statement per sort and direction.
  auto expand = [](std::map<std::string, std::string>& sql) -> Status {
    auto it = sql.find("list-users");
    if (it == sql.end()) return Status::Internal("no named query list-users");
    const std::string tmpl = it->second;
    sql.erase(it);
    for (UserSort sort : {UserSort::kCreatedAt, UserSort::kScore, UserSort::kLastOrderDate, UserSort::kName})
      for (bool desc : {false, true}) {
        std::string q = ReplaceAll(tmpl, "{key}", SortColumn(sort));
        q = ReplaceAll(q, "{type}", SortType(sort));
        q = ReplaceAll(q, "{cmp}", desc ? "<" : ">");
        q = ReplaceAll(q, "{dir}", desc ? "DESC" : "ASC");
        sql[ListUsersName(sort, desc)] = std::move(q);
      }
    return Status::Ok();
  };
  auto db = PgDatabase::Open(url, "sql/postgres", pg, expand);
  if (!db.ok()) return db.status();
  return std::unique_ptr<PgStore>(new PgStore(std::move(db).value(), rules, clock, options));
}

// ---- users ---------------------------------------------------------------------------

Result<User> PgStore::LoadUser(PgConn& conn, const std::string& user_id, bool lock) {
  RKD_PG(r, conn, lock ? "get-user-for-update" : "get-user", PgParams().Add(user_id));
  if (r.size() == 0) return Status::NotFound("user " + user_id + " not found", "userId");
  return ReadUser(r, 0);
}

Status PgStore::WriteUser(PgConn& conn, const User& u, bool insert) {
  PgParams p;
  p.Add(u.user_id)
      .Add(u.email)
      .Add(u.name)
      .Add(u.last_order_date)
      .Add(u.order_count)
      .Add(u.average_order_value)
      .Add(json(u.preferred_categories).dump())
      .Add(u.engagement_score)
      .Add(u.last_email_date);
  if (insert) p.Add(u.created_at);
  p.Add(u.updated_at);
  auto r = conn.Run(insert ? "insert-user" : "update-user", p);
  if (r.ok()) return Status::Ok();
  if (r.status().code() == Code::kAlreadyExists) {
    if (r.status().message().find("[constraint users_email_lower]") != std::string::npos)
      return Status::AlreadyExists("a user with email " + u.email + " already exists", "email");
    return Status::AlreadyExists("user " + u.user_id + " already exists", "userId");
  }
  return r.status();
}

// The transactional outbox. The change record is written in the user write's own
// transaction, so neither exists without the other. Ordering: an identity seq is drawn
// when the row is inserted but becomes visible only at commit, so without care a relay
// reading "seq > checkpoint" could see seq 11 (a fast transaction, committed) before
// seq 10 (a slower one, still open), move its checkpoint past 10 and never publish it.
// Every writer therefore takes one transaction-scoped advisory lock (outbox-lock) just
// before drawing its seq and keeps it until COMMIT/ROLLBACK: seqs are drawn and committed
// one transaction at a time, so when seq N is visible every seq below N is committed (or
// rolled back, leaving a harmless gap). The price is that the tail of each user write
// (change insert + commit) is serialized; the change insert is the last statement so the
// lock is held as briefly as possible. A higher-throughput alternative (not needed yet)
// is to store pg_current_xact_id() with each change and let the relay read only rows
// whose transaction is older than pg_snapshot_xmin(pg_current_snapshot()), with a
// (xid, seq) cursor.
Status PgStore::AppendChange(PgConn& conn, ChangeOp op, const User* old_image, const User* new_image) {
  auto locked = conn.Run("outbox-lock", PgParams());
  if (!locked.ok()) return locked.status();
  const std::string& id = new_image ? new_image->user_id : old_image->user_id;
  PgParams p;
  p.Add(id).Add(std::string(ChangeOpName(op)));
  p.Add(old_image ? std::optional<std::string>(ToJson(*old_image).dump()) : std::nullopt);
  p.Add(new_image ? std::optional<std::string>(ToJson(*new_image).dump()) : std::nullopt);
  p.Add(clock_->Now());
  auto r = conn.Run("insert-change", p);
  return r.ok() ? Status::Ok() : r.status();
}

Result<User> PgStore::CreateUser(User u) {
  if (u.user_id.empty()) u.user_id = NewUuid();
  u.created_at = u.updated_at = clock_->Now();
  u.engagement_score = ComputeScore(rules_, u, u.created_at);
  Status st = db_->Write([&](PgConn& c) -> Status {
    {
      RKD_PG(owner, c, "email-owner", PgParams().Add(u.email));
      if (owner.size() > 0) return Status::AlreadyExists("a user with email " + u.email + " already exists", "email");
    }
    RKD_RETURN_IF_ERROR(WriteUser(c, u, true));
    return AppendChange(c, ChangeOp::kInsert, nullptr, &u);
  });
  if (!st.ok()) return st;
  return u;
}

Result<User> PgStore::GetUser(const std::string& user_id) {
  Result<User> out = Status::Internal("unset");
  Status st = db_->Read([&](PgConn& c) -> Status {
    out = LoadUser(c, user_id, false);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<User> PgStore::UpdateUser(const std::string& user_id, const UserPatch& patch) {
  User after;
  Status st = db_->Write([&](PgConn& c) -> Status {
    auto before = LoadUser(c, user_id, true);
    if (!before.ok()) return before.status();
    after = *before;
    ApplyPatch(patch, &after);
    if (patch.email && *patch.email != before->email) {
      RKD_PG(owner, c, "email-owner", PgParams().Add(after.email));
      if (owner.size() > 0 && owner.Text(0, 0) != user_id)
        return Status::AlreadyExists("a user with email " + after.email + " already exists", "email");
    }
    after.updated_at = clock_->Now();
    after.engagement_score = ComputeScore(rules_, after, after.updated_at);
    RKD_RETURN_IF_ERROR(WriteUser(c, after, false));
    return AppendChange(c, ChangeOp::kModify, &*before, &after);
  });
  if (!st.ok()) return st;
  return after;
}

Status PgStore::DeleteUser(const std::string& user_id) {
  return db_->Write([&](PgConn& c) -> Status {
    auto before = LoadUser(c, user_id, true);
    if (!before.ok()) return before.status();
    for (const char* q : {"delete-user-orders", "delete-user-emails", "delete-user"}) {
      RKD_PG(r, c, q, PgParams().Add(user_id));
    }
    return AppendChange(c, ChangeOp::kRemove, &*before, nullptr);
  });
}

Result<Page<User>> PgStore::ListUsers(const UserQuery& q) {
  const int limit = ClampLimit(q.limit);
  auto cursor = DecodeUserCursor(q);
  if (!cursor.ok()) return cursor.status();
  const json& after = *cursor;
  PgParams p;
  p.Add(q.score_below);
  p.Add(q.search.empty() ? std::nullopt : std::optional<std::string>(ContainsPattern(q.search)));
  if (!after.is_null()) {
    const json& k = after["k"];
    if (k.is_string() && q.sort == UserSort::kName)
      p.Add(k.get<std::string>());
    else if (k.is_number_integer() && q.sort != UserSort::kName)
      p.Add(k.get<int64_t>());
    else if (k.is_number() && q.sort == UserSort::kScore)
      p.Add(k.get<double>());
    else
      return Status::InvalidArgument("cursor is not valid", "cursor");
    p.Add(after["i"].get<std::string>());
  } else {
    p.Add(std::nullopt).Add(std::nullopt);
  }
  p.Add(int64_t{limit + 1});
  Page<User> page;
  Status st = db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, ListUsersName(q.sort, q.descending), p);
    for (int i = 0; i < r.size(); ++i) page.items.push_back(ReadUser(r, i));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    const User& last = page.items.back();
    page.next_cursor = EncodeUserCursor(last, q);
  }
  return page;
}

Result<int64_t> PgStore::CountUsers() {
  int64_t n = 0;
  Status st = db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "count-users", PgParams());
    n = r.Int(0, 0);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

// ---- orders --------------------------------------------------------------------------

Result<OrderResult> PgStore::CreateOrder(Order o) {
  OrderResult out;
  const bool generated_id = o.order_id.empty();
  Status st = db_->Write([&](PgConn& c) -> Status {
    auto before = LoadUser(c, o.user_id, true);  // the row lock queues concurrent orders
    if (!before.ok()) return before.status();
    if (generated_id) o.order_id = NewUuid();
    o.created_at = clock_->Now();
    {
      auto w = c.Run("insert-order", OrderParams(o));
      if (w.status().code() == Code::kAlreadyExists)
        return Status::AlreadyExists("order " + o.order_id + " already exists", "orderId");
      if (!w.ok()) return w.status();
      if (w->Affected() == 0) {
        // The externalId is taken: a retry of that order, or a conflict. Nothing has been
        // written. ON CONFLICT waited for a concurrent inserter to commit, and the next
        // statement's fresh READ COMMITTED snapshot sees its row.
        auto existing = LoadOrderByExternalId(c, o.external_id);
        if (!existing.ok()) return existing.status();
        if (!IsSameOrder(*existing, o))
          return Status::AlreadyExists("an order with externalId " + o.external_id + " already exists and differs",
                                       "externalId");
        out = {std::move(existing).value(), std::move(before).value(), true};
        return Status::Ok();
      }
    }
    User u = *before;
    ApplyOrder(o, &u);
    u.updated_at = o.created_at;
    u.engagement_score = ComputeScore(rules_, u, u.updated_at);
    RKD_RETURN_IF_ERROR(WriteUser(c, u, false));
    // Attribution: this order converts the latest email (or holdout record) of the
    // client within the window before it; each converts once.
    for (const char* q : {"attribute-email", "attribute-holdout"}) {
      RKD_PG(r, c, q,
             PgParams()
                 .Add(o.user_id)
                 .Add(o.order_date)
                 .Add(options_.attribution_window)
                 .Add(o.order_id)
                 .Add(o.total_value));
    }
    RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kModify, &*before, &u));
    out = {o, std::move(u), false};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<Order> PgStore::LoadOrderByExternalId(PgConn& conn, const std::string& external_id) {
  RKD_PG(r, conn, "get-order-by-external-id", PgParams().Add(external_id));
  if (r.size() == 0)
    return Status::Internal("order with externalId " + external_id + " vanished inside its transaction");
  return ReadOrder(r, 0);
}

Result<Page<Order>> PgStore::ListOrders(const std::string& user_id, int limit, const std::string& cursor) {
  return ReadKeyPage<Order>(*db_, "list-orders", PgParams().Add(user_id), limit, cursor, ReadOrder, [](const Order& o) {
    return std::pair{o.order_date, o.order_id};
  });
}

// ---- emails --------------------------------------------------------------------------

Result<std::optional<Email>> PgStore::LoadEmail(PgConn& conn, const std::string& email_id) {
  RKD_PG(r, conn, "get-email", PgParams().Add(email_id));
  if (r.size() == 0) return std::optional<Email>();
  return std::optional<Email>(ReadEmail(r, 0));
}

Result<Email> PgStore::GetEmail(const std::string& email_id) {
  std::optional<Email> email;
  Status st = db_->Read([&](PgConn& c) -> Status {
    auto e = LoadEmail(c, email_id);
    if (!e.ok()) return e.status();
    email = std::move(e).value();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!email) return Status::NotFound("email " + email_id + " not found", "emailId");
  return *email;
}

Result<Page<Email>> PgStore::ListEmails(const EmailQuery& q) {
  return ReadKeyPage<Email>(*db_, "list-emails", PgParams().Add(q.user_id).Add(q.status), q.limit, q.cursor, ReadEmail,
                            [](const Email& e) {
                              return std::pair{e.created_at, e.email_id};
                            });
}

// ---- bulk load -----------------------------------------------------------------------

Status PgStore::Import(std::vector<User> users, std::vector<Order> orders) {
  const Millis now = clock_->Now();
  for (User& u : users) {
    if (u.user_id.empty()) u.user_id = NewUuid();
    if (u.created_at == 0) u.created_at = now;
    u.updated_at = now;
    u.engagement_score = ComputeScore(rules_, u, now);
  }
  for (Order& o : orders) {
    if (o.order_id.empty()) o.order_id = NewUuid();
    if (o.created_at == 0) o.created_at = o.order_date;
  }
  return db_->Write([&](PgConn& c) -> Status {
    for (const User& u : users) {
      Status w = WriteUser(c, u, true);
      if (w.code() == Code::kAlreadyExists)
        return Status::AlreadyExists("user " + u.user_id + " or email " + u.email + " already exists", "email");
      RKD_RETURN_IF_ERROR(w);
    }
    for (const Order& o : orders) {
      RKD_PG(r, c, "insert-order", OrderParams(o));
      if (r.Affected() == 0)
        return Status::AlreadyExists("an order with externalId " + o.external_id + " already exists", "externalId");
    }
    // Change records last: the outbox lock is held from the first of them to the commit.
    for (const User& u : users) RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kInsert, nullptr, &u));
    return Status::Ok();
  });
}

// ---- change stream -------------------------------------------------------------------

Result<std::vector<UserChange>> PgStore::ReadChanges(int64_t after_seq, int limit) {
  std::vector<UserChange> out;
  Status st = db_->Read([&](PgConn& c) -> Status {
    out.clear();
    RKD_PG(r, c, "read-changes", PgParams().Add(after_seq).Add(int64_t{std::max(limit, 1)}));
    for (int i = 0; i < r.size(); ++i) {
      UserChange ch;
      ch.seq = r.Int(i, 0);
      ch.user_id = r.Text(i, 1);
      const std::string op = r.Text(i, 2);
      ch.op = op == "INSERT" ? ChangeOp::kInsert : op == "REMOVE" ? ChangeOp::kRemove : ChangeOp::kModify;
      for (auto [col, image] : {std::pair{3, &ch.old_image}, std::pair{4, &ch.new_image}}) {
        if (r.IsNull(i, col)) continue;
        auto u = UserFromJson(json::parse(r.Text(i, col), nullptr, false));
        if (!u.ok()) return u.status();
        *image = std::move(u).value();
      }
      ch.changed_at = r.Int(i, 5);
      out.push_back(std::move(ch));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> PgStore::GetCheckpoint(const std::string& name) {
  int64_t seq = 0;
  Status st = db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "get-checkpoint", PgParams().Add(name));
    seq = r.size() ? r.Int(0, 0) : 0;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return seq;
}

Status PgStore::SetCheckpoint(const std::string& name, int64_t seq) {
  return db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "set-checkpoint", PgParams().Add(name).Add(seq).Add(clock_->Now()));
    return Status::Ok();
  });
}

Result<int64_t> PgStore::LatestChangeSeq() {
  int64_t seq = 0;
  Status st = db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "latest-change-seq", PgParams());
    seq = r.Int(0, 0);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return seq;
}

// ---- pipeline ------------------------------------------------------------------------

Result<std::vector<ScoreRefresh>> PgStore::RefreshScores(const std::vector<std::string>& user_ids) {
  std::vector<ScoreRefresh> out;
  // Users are locked in id order, all before the first change record, so two refreshes
  // (or a refresh and a single-user write) never wait on each other in a cycle.
  const std::set<std::string> ids(user_ids.begin(), user_ids.end());
  Status st = db_->Write([&](PgConn& c) -> Status {
    out.clear();
    std::map<std::string, User> locked;
    for (const std::string& id : ids) {
      auto before = LoadUser(c, id, true);
      if (before.status().IsNotFound()) continue;
      if (!before.ok()) return before.status();
      locked.emplace(id, std::move(before).value());
    }
    const Millis now = clock_->Now();
    std::vector<std::pair<User, User>> changed;
    for (const std::string& id : user_ids) {
      auto it = locked.find(id);
      if (it == locked.end()) continue;
      ScoreRefresh r{it->second, it->second.engagement_score};
      r.user.engagement_score = ComputeScore(rules_, r.user, now);
      if (r.user.engagement_score != r.old_score) {
        r.user.updated_at = now;
        RKD_RETURN_IF_ERROR(WriteUser(c, r.user, false));
        changed.emplace_back(it->second, r.user);
        it->second = r.user;  // a repeated id sees the refreshed row
      }
      out.push_back(std::move(r));
    }
    for (const auto& [before, after] : changed)
      RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kModify, &before, &after));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<EmailReservation> PgStore::ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                               Millis lease) {
  EmailReservation out;
  const Millis now = clock_->Now();
  Status st = db_->Write([&](PgConn& c) -> Status {
    out = {};
    // The user's row lock first: two deliveries of one trigger then queue here, and the
    // second finds the first's email.
    auto before = LoadUser(c, draft.user_id, true);
    auto existing = LoadEmail(c, draft.email_id);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      out = {EmailReservation::Outcome::kExisting, **existing};
      if (out.email.AwaitsSending()) {
        // The send lease, unless another delivery holds it.
        RKD_PG(r, c, "claim-email", PgParams().Add(draft.email_id).Add(now + lease).Add(now));
        if (r.Affected() == 0) out.outcome = EmailReservation::Outcome::kClaimed;
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
    e.created_at = clock_->Now();
    {
      RKD_PG(r, c, "insert-email",
             PgParams()
                 .Add(e.email_id)
                 .Add(e.user_id)
                 .Add(e.subject)
                 .Add(e.content)
                 .Add(e.html)
                 .Add(e.generated_at)
                 .Add(e.engagement_score_at_time)
                 .Add(e.status)
                 .Add(e.writer)
                 .Add(e.sent_at)
                 .Add(e.error)
                 .Add(e.created_at)
                 .Add(trigger_id)
                 .Add(int64_t{e.prompt_tokens})
                 .Add(int64_t{e.completion_tokens})
                 .Add(now + lease));
    }
    User after = *before;
    after.last_email_date = e.generated_at;
    after.updated_at = e.created_at;
    after.engagement_score = ComputeScore(rules_, after, after.updated_at);
    RKD_RETURN_IF_ERROR(WriteUser(c, after, false));
    RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kModify, &*before, &after));
    out = {EmailReservation::Outcome::kReserved, std::move(e)};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status PgStore::FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                            const std::string& error) {
  return db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "finish-email", PgParams().Add(email_id).Add(status).Add(sent_at).Add(error));
    if (r.Affected() == 0) return Status::NotFound("email " + email_id + " not found", "emailId");
    return Status::Ok();
  });
}

Result<bool> PgStore::IsSuppressed(const std::string& email) {
  bool found = false;
  Status st = db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "is-suppressed", PgParams().Add(email));
    found = r.size() > 0;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return found;
}

Status PgStore::Suppress(const std::string& email, const std::string& reason) {
  return db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "suppress", PgParams().Add(email).Add(reason).Add(clock_->Now()));
    return Status::Ok();
  });
}

Status PgStore::Unsuppress(const std::string& email) {
  return db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "unsuppress", PgParams().Add(email));
    if (r.Affected() == 0) return Status::NotFound(email + " is not on the suppression list", "email");
    return Status::Ok();
  });
}

Result<std::vector<Suppression>> PgStore::ListSuppressions(int limit) {
  std::vector<Suppression> out;
  Status st = db_->Read([&](PgConn& c) -> Status {
    RKD_PG(r, c, "list-suppressions", PgParams().Add(int64_t{std::clamp(limit, 1, 100000)}));
    for (int i = 0; i < r.size(); ++i) out.push_back({r.Text(i, 0), r.Text(i, 1), r.Int(i, 2)});
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<StoreMetrics> PgStore::Metrics(double threshold) {
  StoreMetrics m;
  const Millis now = clock_->Now();
  Status st = db_->Read([&](PgConn& c) -> Status {
    {
      RKD_PG(r, c, "metrics-users", PgParams().Add(threshold));
      m.users = r.Int(0, 0);
      m.at_risk = r.Int(0, 1);
      m.average_score = r.Real(0, 2);
    }
    {
      RKD_PG(r, c, "score-histogram", PgParams());
      for (int i = 0; i < r.size(); ++i) m.score_histogram[std::clamp<int64_t>(r.Int(i, 0), 0, 9)] += r.Int(i, 1);
    }
    for (auto [days, target] : {std::pair{7, &m.emails_last_7_days}, std::pair{30, &m.emails_last_30_days},
                                std::pair{1'000'000, &m.emails_total}}) {
      RKD_PG(r, c, "emails-since", PgParams().Add(now - int64_t{days} * kMillisPerDay));
      *target = r.Int(0, 0);
    }
    {
      RKD_PG(r, c, "emails-by-status", PgParams());
      for (int i = 0; i < r.size(); ++i) m.emails_by_status.emplace_back(r.Text(i, 0), r.Int(i, 1));
    }
    {
      RKD_PG(r, c, "emails-per-day", PgParams().Add((now / kMillisPerDay - 29) * kMillisPerDay));
      for (int i = 0; i < r.size(); ++i) m.emails_per_day.emplace_back(r.Int(i, 0) * kMillisPerDay, r.Int(i, 1));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return m;
}

// ---- effectiveness -------------------------------------------------------------------

Status PgStore::RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                              Millis cooldown) {
  return db_->Write([&](PgConn& c) -> Status {
    const Millis now = clock_->Now();
    // The user's row lock (when the user exists) makes the check-then-insert atomic.
    auto user = LoadUser(c, user_id, true);
    if (!user.ok() && !user.status().IsNotFound()) return user.status();
    {
      RKD_PG(r, c, "latest-holdout", PgParams().Add(user_id));
      if (r.size() > 0 && now - r.Int(0, 0) < cooldown) return Status::Ok();  // one record per cooldown
    }
    RKD_PG(r, c, "insert-holdout", PgParams().Add(user_id).Add(trigger_id).Add(score).Add(now));
    return Status::Ok();
  });
}

Result<Email> PgStore::RecordEmailEvent(const std::string& email_id, const std::string& type, const std::string& url) {
  Email out;
  Status st = db_->Write([&](PgConn& c) -> Status {
    auto email = LoadEmail(c, email_id);
    if (!email.ok()) return email.status();
    if (!*email) return Status::NotFound("email " + email_id + " not found", "emailId");
    const Millis now = clock_->Now();
    { RKD_PG(r, c, "insert-email-event", PgParams().Add(email_id).Add(type).Add(url).Add(now)); }
    { RKD_PG(r, c, type == "click" ? "mark-clicked" : "mark-opened", PgParams().Add(email_id).Add(now)); }
    auto after = LoadEmail(c, email_id);
    if (!after.ok()) return after.status();
    out = **after;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<EffectivenessFigures> PgStore::Effectiveness(int days) {
  EffectivenessFigures f;
  const Millis now = clock_->Now();
  const Millis since = (now / kMillisPerDay - (days - 1)) * kMillisPerDay;
  // One REPEATABLE READ snapshot would make the figures mutually consistent; SQLite's
  // reader gets the same from its one read transaction. Here a short write transaction
  // (it writes nothing) gives the same single snapshot.
  Status st = db_->Write([&](PgConn& c) -> Status {
    f = {};
    auto iso = c.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (!iso.ok()) return iso.status();
    {
      RKD_PG(r, c, "effectiveness-funnel", PgParams().Add(since));
      f.sent = r.Int(0, 0);
      f.delivered = r.Int(0, 1);
      f.failed = r.Int(0, 2);
      f.opened = r.Int(0, 3);
      f.clicked = r.Int(0, 4);
      f.converted = r.Int(0, 5);
      f.revenue = r.Real(0, 6);
    }
    {
      RKD_PG(r, c, "effectiveness-suppressions", PgParams().Add(since));
      for (int i = 0; i < r.size(); ++i) {
        const std::string reason = r.Text(i, 0);
        if (reason == "unsubscribed") f.unsubscribes = r.Int(i, 1);
        if (reason == "bounced") f.bounces = r.Int(i, 1);
        if (reason == "complained") f.complaints = r.Int(i, 1);
      }
    }
    for (auto [query, group] :
         {std::pair{"effectiveness-emailed", &f.emailed}, std::pair{"effectiveness-held-out", &f.held_out}}) {
      RKD_PG(r, c, query, PgParams().Add(since));
      *group = {r.Int(0, 0), r.Int(0, 1), r.Real(0, 2)};
    }
    f.daily.resize(static_cast<size_t>(days));
    for (int d = 0; d < days; ++d) f.daily[d].day = since + d * kMillisPerDay;
    auto add = [&](const char* query, auto apply) -> Status {
      RKD_PG(r, c, query, PgParams().Add(since));
      for (int i = 0; i < r.size(); ++i) {
        const int64_t index = r.Int(i, 0) - since / kMillisPerDay;
        if (index >= 0 && index < days) apply(f.daily[index], r, i);
      }
      return Status::Ok();
    };
    RKD_RETURN_IF_ERROR(
        add("effectiveness-daily-sent", [](DailyEffect& d, const PgRows& r, int i) { d.sent = r.Int(i, 1); }));
    RKD_RETURN_IF_ERROR(
        add("effectiveness-daily-opened", [](DailyEffect& d, const PgRows& r, int i) { d.opened = r.Int(i, 1); }));
    RKD_RETURN_IF_ERROR(
        add("effectiveness-daily-clicked", [](DailyEffect& d, const PgRows& r, int i) { d.clicked = r.Int(i, 1); }));
    RKD_RETURN_IF_ERROR(add("effectiveness-daily-converted", [](DailyEffect& d, const PgRows& r, int i) {
      d.converted = r.Int(i, 1);
      d.revenue = r.Real(i, 2);
    }));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return f;
}

}  // namespace rkd
