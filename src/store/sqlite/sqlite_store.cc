#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <cmath>

#include "base/ids.h"
#include "base/log.h"
#include "domain/json_codec.h"
#include "store/list_query.h"

namespace rkd {
namespace {

using nlohmann::json;

User ReadUser(const Stmt& s) {
  User u;
  u.user_id = s.Text(0);
  u.email = s.Text(1);
  u.name = s.Text(2);
  u.last_order_date = s.OptInt(3);
  u.order_count = s.Int(4);
  u.average_order_value = s.Real(5);
  auto cats = json::parse(s.Text(6), nullptr, false);
  if (cats.is_array())
    for (const auto& c : cats)
      if (c.is_string()) u.preferred_categories.push_back(c.get<std::string>());
  u.engagement_score = s.Real(7);
  u.last_email_date = s.OptInt(8);
  u.created_at = s.Int(9);
  u.updated_at = s.Int(10);
  return u;
}

Email ReadEmail(const Stmt& s) {
  Email e;
  e.email_id = s.Text(0);
  e.user_id = s.Text(1);
  e.subject = s.Text(2);
  e.content = s.Text(3);
  e.html = s.Text(4);
  e.generated_at = s.Int(5);
  e.engagement_score_at_time = s.Real(6);
  e.status = s.Text(7);
  e.writer = s.Text(8);
  e.sent_at = s.OptInt(9);
  e.error = s.Text(10);
  e.created_at = s.Int(11);
  e.prompt_tokens = static_cast<int>(s.Int(12));
  e.completion_tokens = static_cast<int>(s.Int(13));
  e.opened_at = s.OptInt(14);
  e.clicked_at = s.OptInt(15);
  e.converted_at = s.OptInt(16);
  if (!s.IsNull(17)) e.conversion_revenue = s.Real(17);
  return e;
}

Order ReadOrder(const Stmt& s) {
  Order o;
  o.order_id = s.Text(0);
  o.user_id = s.Text(1);
  o.order_date = s.Int(2);
  o.total_value = s.Real(3);
  auto items = OrderItemsFromJson(json::parse(s.Text(4), nullptr, false));
  if (items.ok()) o.items = std::move(items).value();
  o.status = s.Text(5);
  o.created_at = s.Int(6);
  if (!s.IsNull(7)) o.external_id = s.Text(7);
  return o;
}

// An order's externalId as a parameter: NULL when it has none, so such orders never collide.
std::optional<std::string> ExternalIdParam(const Order& o) {
  return o.external_id.empty() ? std::nullopt : std::optional<std::string>(o.external_id);
}

// Binds an order to "insert-order" (one column list, for CreateOrder and Import).
void BindOrder(Stmt& s, const Order& o) {
  json items = json::array();
  for (const auto& i : o.items) items.push_back(ToJson(i));
  s.Bind(1, o.order_id)
      .Bind(2, o.user_id)
      .Bind(3, o.order_date)
      .Bind(4, o.total_value)
      .Bind(5, items.dump())
      .Bind(6, o.status)
      .Bind(7, o.created_at)
      .Bind(8, ExternalIdParam(o));
}

// The sort key of `u` under `sort`, as the cursor carries it.
// Reads up to `limit` rows of a query that asked for limit + 1; the extra row, when
// there is one, means another page follows the last row kept.
template <typename T, typename ReadRow, typename KeyOf>
Status ReadPage(Stmt& s, int limit, ReadRow read_row, KeyOf key_of, Page<T>* page) {
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    page->items.push_back(read_row(s));
  }
  if (static_cast<int>(page->items.size()) > limit) {
    page->items.pop_back();
    const auto [k, id] = key_of(page->items.back());
    page->next_cursor = EncodeKeyCursor(k, id);
  }
  return Status::Ok();
}

}  // namespace

// ---- set-up --------------------------------------------------------------------------

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, const ScoreRules& rules,
                                                       const Clock* clock, StoreOptions options) {
  auto db = SqliteDatabase::Open(path, "sql/sqlite", clock);
  if (!db.ok()) return db.status();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db).value(), rules, clock, options));
  // list-users is a template: one statement per sort and direction, all checked now.
  const std::string& list_template = store->db_->Sql("list-users");
  auto reader = store->db_->TakeReader();
  if (!reader.ok()) return reader.status();
  for (UserSort sort : {UserSort::kCreatedAt, UserSort::kScore, UserSort::kLastOrderDate, UserSort::kName}) {
    for (bool desc : {false, true}) {
      std::string q = ReplaceAll(list_template, "{key}", SortColumn(sort));
      q = ReplaceAll(q, "{cmp}", desc ? "<" : ">");
      q = ReplaceAll(q, "{dir}", desc ? "DESC" : "ASC");
      auto p = (*reader)->Prepare(q);
      if (!p.ok()) return Status::Internal("list-users: " + p.status().message());
      store->list_users_sql_[{static_cast<int>(sort), desc}] = std::move(q);
    }
  }
  return store;
}

const std::string& SqliteStore::ListUsersSql(UserSort sort, bool descending) const {
  return list_users_sql_.at({static_cast<int>(sort), descending});
}

// ---- users ---------------------------------------------------------------------------

Result<User> SqliteStore::LoadUser(SqliteConn& conn, const std::string& user_id) {
  RKD_STMT(s, *db_, conn, "get-user");
  s.Bind(1, user_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("user " + user_id + " not found", "userId");
  return ReadUser(s);
}

Status SqliteStore::WriteUser(SqliteConn& conn, const User& u, const char* query) {
  RKD_STMT(s, *db_, conn, query);
  const std::string cats = json(u.preferred_categories).dump();
  if (std::string(query) == "insert-user") {
    s.Bind(1, u.user_id)
        .Bind(2, u.email)
        .Bind(3, u.name)
        .Bind(4, u.last_order_date)
        .Bind(5, u.order_count)
        .Bind(6, u.average_order_value)
        .Bind(7, cats)
        .Bind(8, u.engagement_score)
        .Bind(9, u.last_email_date)
        .Bind(10, u.created_at)
        .Bind(11, u.updated_at);
  } else {
    s.Bind(1, u.user_id)
        .Bind(2, u.email)
        .Bind(3, u.name)
        .Bind(4, u.last_order_date)
        .Bind(5, u.order_count)
        .Bind(6, u.average_order_value)
        .Bind(7, cats)
        .Bind(8, u.engagement_score)
        .Bind(9, u.last_email_date)
        .Bind(10, u.updated_at);
  }
  return s.Run();
}

Status SqliteStore::AppendChange(SqliteConn& conn, ChangeOp op, const User* old_image, const User* new_image) {
  RKD_STMT(s, *db_, conn, "insert-change");
  const std::string& id = new_image ? new_image->user_id : old_image->user_id;
  s.Bind(1, id).Bind(2, std::string(ChangeOpName(op)));
  s.Bind(3, old_image ? std::optional<std::string>(ToJson(*old_image).dump()) : std::nullopt);
  s.Bind(4, new_image ? std::optional<std::string>(ToJson(*new_image).dump()) : std::nullopt);
  s.Bind(5, clock_->Now());
  return s.Run();
}

Result<User> SqliteStore::CreateUser(User u) {
  if (u.user_id.empty()) u.user_id = NewUuid();
  u.created_at = u.updated_at = clock_->Now();
  u.engagement_score = ComputeScore(rules_, u, u.created_at);
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    {
      RKD_STMT(owner, *db_, c, "email-owner");
      owner.Bind(1, u.email);
      auto row = owner.Step();
      if (!row.ok()) return row.status();
      if (*row) return Status::AlreadyExists("a user with email " + u.email + " already exists", "email");
    }
    Status w = WriteUser(c, u, "insert-user");
    if (w.code() == Code::kAlreadyExists)
      return Status::AlreadyExists("user " + u.user_id + " already exists", "userId");
    RKD_RETURN_IF_ERROR(w);
    return AppendChange(c, ChangeOp::kInsert, nullptr, &u);
  });
  if (!st.ok()) return st;
  return u;
}

Result<User> SqliteStore::GetUser(const std::string& user_id) {
  RKD_READER(c, *db_);
  return LoadUser(c, user_id);
}

Result<User> SqliteStore::UpdateUser(const std::string& user_id, const UserPatch& patch) {
  User after;
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    auto before = LoadUser(c, user_id);
    if (!before.ok()) return before.status();
    after = *before;
    ApplyPatch(patch, &after);
    if (patch.email && *patch.email != before->email) {
      RKD_STMT(owner, *db_, c, "email-owner");
      owner.Bind(1, after.email);
      auto row = owner.Step();
      if (!row.ok()) return row.status();
      if (*row && owner.Text(0) != user_id)
        return Status::AlreadyExists("a user with email " + after.email + " already exists", "email");
    }
    after.updated_at = clock_->Now();
    after.engagement_score = ComputeScore(rules_, after, after.updated_at);
    RKD_RETURN_IF_ERROR(WriteUser(c, after, "update-user"));
    return AppendChange(c, ChangeOp::kModify, &*before, &after);
  });
  if (!st.ok()) return st;
  return after;
}

Status SqliteStore::DeleteUser(const std::string& user_id) {
  return db_->Write([&](SqliteConn& c) -> Status {
    auto before = LoadUser(c, user_id);
    if (!before.ok()) return before.status();
    for (const char* q : {"delete-user-orders", "delete-user-emails", "delete-user"}) {
      RKD_STMT(s, *db_, c, q);
      RKD_RETURN_IF_ERROR(s.Bind(1, user_id).Run());
    }
    return AppendChange(c, ChangeOp::kRemove, &*before, nullptr);
  });
}

Result<Page<User>> SqliteStore::ListUsers(const UserQuery& q) {
  const int limit = ClampLimit(q.limit);
  auto cursor = DecodeUserCursor(q);
  if (!cursor.ok()) return cursor.status();
  const json& after = *cursor;
  RKD_READER(c, *db_);
  auto p = c.Prepare(ListUsersSql(q.sort, q.descending));
  if (!p.ok()) return p.status();
  Stmt s(c.db(), *p);
  s.Bind(1, q.score_below);
  s.Bind(2, q.search.empty() ? std::nullopt : std::optional<std::string>(ContainsPattern(q.search)));
  if (!after.is_null()) {
    const json& k = after["k"];
    if (k.is_string())
      s.Bind(3, k.get<std::string>());
    else if (k.is_number_integer())
      s.Bind(3, k.get<int64_t>());
    else if (k.is_number())
      s.Bind(3, k.get<double>());
    else
      return Status::InvalidArgument("cursor is not valid", "cursor");
    s.Bind(4, after["i"].get<std::string>());
  }
  s.Bind(5, int64_t{limit + 1});
  Page<User> page;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    page.items.push_back(ReadUser(s));
  }
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    const User& last = page.items.back();
    page.next_cursor = EncodeUserCursor(last, q);
  }
  return page;
}

Result<int64_t> SqliteStore::CountUsers() {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "count-users");
  auto row = s.Step();
  if (!row.ok()) return row.status();
  return s.Int(0);
}

// ---- orders --------------------------------------------------------------------------

Result<OrderResult> SqliteStore::CreateOrder(Order o) {
  OrderResult out;
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    auto before = LoadUser(c, o.user_id);
    if (!before.ok()) return before.status();
    if (o.order_id.empty()) o.order_id = NewUuid();
    o.created_at = clock_->Now();
    {
      RKD_STMT(s, *db_, c, "insert-order");
      BindOrder(s, o);
      Status w = s.Run();
      if (w.code() == Code::kAlreadyExists)
        return Status::AlreadyExists("order " + o.order_id + " already exists", "orderId");
      RKD_RETURN_IF_ERROR(w);
    }
    if (sqlite3_changes(c.db()) == 0) {
      // The externalId is taken (the insert did nothing): a retry of that order, or a conflict.
      auto existing = LoadOrderByExternalId(c, o.external_id);
      if (!existing.ok()) return existing.status();
      if (!IsSameOrder(*existing, o))
        return Status::AlreadyExists("an order with externalId " + o.external_id + " already exists and differs",
                                     "externalId");
      out = {std::move(existing).value(), std::move(before).value(), true};
      return Status::Ok();
    }
    User u = *before;
    ApplyOrder(o, &u);
    u.updated_at = o.created_at;
    u.engagement_score = ComputeScore(rules_, u, u.updated_at);
    RKD_RETURN_IF_ERROR(WriteUser(c, u, "update-user"));
    RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kModify, &*before, &u));
    // Attribution: this order converts the latest email (or holdout record) of the
    // client within the window before it; each converts once.
    for (const char* q : {"attribute-email", "attribute-holdout"}) {
      RKD_STMT(s, *db_, c, q);
      RKD_RETURN_IF_ERROR(s.Bind(1, o.user_id)
                              .Bind(2, o.order_date)
                              .Bind(3, options_.attribution_window)
                              .Bind(4, o.order_id)
                              .Bind(5, o.total_value)
                              .Run());
    }
    out = {o, std::move(u), false};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<Order> SqliteStore::LoadOrderByExternalId(SqliteConn& conn, const std::string& external_id) {
  RKD_STMT(s, *db_, conn, "get-order-by-external-id");
  s.Bind(1, external_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("order with externalId " + external_id + " vanished inside its transaction");
  return ReadOrder(s);
}

Result<Page<Order>> SqliteStore::ListOrders(const std::string& user_id, int limit, const std::string& cursor) {
  limit = ClampLimit(limit);
  auto after = DecodeKeyCursor(cursor);
  if (!after.ok()) return after.status();
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "list-orders");
  s.Bind(1, user_id);
  if (*after) s.Bind(2, (*after)->first).Bind(3, (*after)->second);
  s.Bind(4, int64_t{limit + 1});
  Page<Order> page;
  RKD_RETURN_IF_ERROR(ReadPage(
      s, limit, ReadOrder,
      [](const Order& o) {
        return std::pair{o.order_date, o.order_id};
      },
      &page));
  return page;
}

// ---- emails --------------------------------------------------------------------------

Result<std::optional<Email>> SqliteStore::LoadEmail(SqliteConn& conn, const std::string& email_id) {
  RKD_STMT(s, *db_, conn, "get-email");
  s.Bind(1, email_id);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Email>();
  return std::optional<Email>(ReadEmail(s));
}

Result<Email> SqliteStore::GetEmail(const std::string& email_id) {
  RKD_READER(c, *db_);
  auto email = LoadEmail(c, email_id);
  if (!email.ok()) return email.status();
  if (!*email) return Status::NotFound("email " + email_id + " not found", "emailId");
  return **email;
}

Result<Page<Email>> SqliteStore::ListEmails(const EmailQuery& q) {
  const int limit = ClampLimit(q.limit);
  auto after = DecodeKeyCursor(q.cursor);
  if (!after.ok()) return after.status();
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "list-emails");
  s.Bind(1, q.user_id).Bind(2, q.status);
  if (*after) s.Bind(3, (*after)->first).Bind(4, (*after)->second);
  s.Bind(5, int64_t{limit + 1});
  Page<Email> page;
  RKD_RETURN_IF_ERROR(ReadPage(
      s, limit, ReadEmail,
      [](const Email& e) {
        return std::pair{e.created_at, e.email_id};
      },
      &page));
  return page;
}

// ---- bulk load -----------------------------------------------------------------------

Status SqliteStore::Import(std::vector<User> users, std::vector<Order> orders) {
  const Millis now = clock_->Now();
  return db_->Write([&](SqliteConn& c) -> Status {
    for (User& u : users) {
      if (u.user_id.empty()) u.user_id = NewUuid();
      if (u.created_at == 0) u.created_at = now;
      u.updated_at = now;
      u.engagement_score = ComputeScore(rules_, u, now);
      Status w = WriteUser(c, u, "insert-user");
      if (w.code() == Code::kAlreadyExists)
        return Status::AlreadyExists("user " + u.user_id + " or email " + u.email + " already exists", "email");
      RKD_RETURN_IF_ERROR(w);
      RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kInsert, nullptr, &u));
    }
    for (Order& o : orders) {
      if (o.order_id.empty()) o.order_id = NewUuid();
      if (o.created_at == 0) o.created_at = o.order_date;
      RKD_STMT(s, *db_, c, "insert-order");
      BindOrder(s, o);
      RKD_RETURN_IF_ERROR(s.Run());
      if (sqlite3_changes(c.db()) == 0)
        return Status::AlreadyExists("an order with externalId " + o.external_id + " already exists", "externalId");
    }
    return Status::Ok();
  });
}

// ---- change stream -------------------------------------------------------------------

Result<std::vector<UserChange>> SqliteStore::ReadChanges(int64_t after_seq, int limit) {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "read-changes");
  s.Bind(1, after_seq).Bind(2, int64_t{std::max(limit, 1)});
  std::vector<UserChange> out;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    UserChange ch;
    ch.seq = s.Int(0);
    ch.user_id = s.Text(1);
    const std::string op = s.Text(2);
    ch.op = op == "INSERT" ? ChangeOp::kInsert : op == "REMOVE" ? ChangeOp::kRemove : ChangeOp::kModify;
    for (auto [col, image] : {std::pair{3, &ch.old_image}, std::pair{4, &ch.new_image}}) {
      if (s.IsNull(col)) continue;
      auto u = UserFromJson(json::parse(s.Text(col), nullptr, false));
      if (!u.ok()) return u.status();
      *image = std::move(u).value();
    }
    ch.changed_at = s.Int(5);
    out.push_back(std::move(ch));
  }
  return out;
}

Result<int64_t> SqliteStore::GetCheckpoint(const std::string& name) {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "get-checkpoint");
  s.Bind(1, name);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  return *row ? s.Int(0) : int64_t{0};
}

Status SqliteStore::SetCheckpoint(const std::string& name, int64_t seq) {
  return db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "set-checkpoint");
    return s.Bind(1, name).Bind(2, seq).Bind(3, clock_->Now()).Run();
  });
}

Result<int64_t> SqliteStore::LatestChangeSeq() {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "latest-change-seq");
  auto row = s.Step();
  if (!row.ok()) return row.status();
  return s.Int(0);
}

// ---- pipeline ------------------------------------------------------------------------

Result<std::vector<ScoreRefresh>> SqliteStore::RefreshScores(const std::vector<std::string>& user_ids) {
  std::vector<ScoreRefresh> out;
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    out.clear();
    const Millis now = clock_->Now();
    for (const std::string& id : user_ids) {
      auto before = LoadUser(c, id);
      if (before.status().IsNotFound()) continue;
      if (!before.ok()) return before.status();
      ScoreRefresh r{*before, before->engagement_score};
      r.user.engagement_score = ComputeScore(rules_, r.user, now);
      if (r.user.engagement_score != r.old_score) {
        r.user.updated_at = now;
        RKD_RETURN_IF_ERROR(WriteUser(c, r.user, "update-user"));
        RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kModify, &*before, &r.user));
      }
      out.push_back(std::move(r));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<EmailReservation> SqliteStore::ReserveEmail(const Email& draft, const std::string& trigger_id, Millis cooldown,
                                                   Millis lease) {
  EmailReservation out;
  const Millis now = clock_->Now();
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    auto existing = LoadEmail(c, draft.email_id);
    if (!existing.ok()) return existing.status();
    if (*existing) {
      out = {EmailReservation::Outcome::kExisting, **existing};
      if (out.email.AwaitsSending()) {
        // The send lease, unless another delivery holds it.
        RKD_STMT(s, *db_, c, "claim-email");
        RKD_RETURN_IF_ERROR(s.Bind(1, draft.email_id).Bind(2, now + lease).Bind(3, now).Run());
        if (sqlite3_changes(c.db()) == 0) out.outcome = EmailReservation::Outcome::kClaimed;
      }
      return Status::Ok();
    }
    auto before = LoadUser(c, draft.user_id);
    if (!before.ok()) return before.status();
    if (before->last_email_date && draft.generated_at - *before->last_email_date < cooldown) {
      out.outcome = EmailReservation::Outcome::kCooldown;
      return Status::Ok();
    }
    Email e = draft;
    e.status = "GENERATED";
    e.created_at = clock_->Now();
    {
      RKD_STMT(s, *db_, c, "insert-email");
      s.Bind(1, e.email_id)
          .Bind(2, e.user_id)
          .Bind(3, e.subject)
          .Bind(4, e.content)
          .Bind(5, e.html)
          .Bind(6, e.generated_at)
          .Bind(7, e.engagement_score_at_time)
          .Bind(8, e.status)
          .Bind(9, e.writer)
          .Bind(10, e.sent_at)
          .Bind(11, e.error)
          .Bind(12, e.created_at)
          .Bind(13, trigger_id)
          .Bind(14, int64_t{e.prompt_tokens})
          .Bind(15, int64_t{e.completion_tokens})
          .Bind(16, now + lease);
      RKD_RETURN_IF_ERROR(s.Run());
    }
    User after = *before;
    after.last_email_date = e.generated_at;
    after.updated_at = e.created_at;
    after.engagement_score = ComputeScore(rules_, after, after.updated_at);
    RKD_RETURN_IF_ERROR(WriteUser(c, after, "update-user"));
    RKD_RETURN_IF_ERROR(AppendChange(c, ChangeOp::kModify, &*before, &after));
    out = {EmailReservation::Outcome::kReserved, std::move(e)};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status SqliteStore::FinishEmail(const std::string& email_id, const std::string& status, std::optional<Millis> sent_at,
                                const std::string& error) {
  return db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "finish-email");
    RKD_RETURN_IF_ERROR(s.Bind(1, email_id).Bind(2, status).Bind(3, sent_at).Bind(4, error).Run());
    if (sqlite3_changes(c.db()) == 0) return Status::NotFound("email " + email_id + " not found", "emailId");
    return Status::Ok();
  });
}

Result<bool> SqliteStore::IsSuppressed(const std::string& email) {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "is-suppressed");
  s.Bind(1, email);
  auto row = s.Step();
  if (!row.ok()) return row.status();
  return *row;
}

Status SqliteStore::Suppress(const std::string& email, const std::string& reason) {
  return db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "suppress");
    return s.Bind(1, email).Bind(2, reason).Bind(3, clock_->Now()).Run();
  });
}

Status SqliteStore::Unsuppress(const std::string& email) {
  return db_->Write([&](SqliteConn& c) -> Status {
    RKD_STMT(s, *db_, c, "unsuppress");
    RKD_RETURN_IF_ERROR(s.Bind(1, email).Run());
    if (sqlite3_changes(c.db()) == 0) return Status::NotFound(email + " is not on the suppression list", "email");
    return Status::Ok();
  });
}

Result<std::vector<Suppression>> SqliteStore::ListSuppressions(int limit) {
  RKD_READER(c, *db_);
  RKD_STMT(s, *db_, c, "list-suppressions");
  s.Bind(1, int64_t{std::clamp(limit, 1, 100000)});
  std::vector<Suppression> out;
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({s.Text(0), s.Text(1), s.Int(2)});
  }
  return out;
}

Result<StoreMetrics> SqliteStore::Metrics(double threshold) {
  RKD_READER(c, *db_);
  StoreMetrics m;
  const Millis now = clock_->Now();
  {
    RKD_STMT(s, *db_, c, "metrics-users");
    s.Bind(1, threshold);
    auto row = s.Step();
    if (!row.ok()) return row.status();
    m.users = s.Int(0);
    m.at_risk = s.Int(1);
    m.average_score = s.Real(2);
  }
  {
    RKD_STMT(s, *db_, c, "score-histogram");
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      m.score_histogram[std::clamp<int64_t>(s.Int(0), 0, 9)] += s.Int(1);
    }
  }
  for (auto [days, target] : {std::pair{7, &m.emails_last_7_days}, std::pair{30, &m.emails_last_30_days},
                              std::pair{1'000'000, &m.emails_total}}) {
    RKD_STMT(s, *db_, c, "emails-since");
    s.Bind(1, now - int64_t{days} * kMillisPerDay);
    auto row = s.Step();
    if (!row.ok()) return row.status();
    *target = s.Int(0);
  }
  {
    RKD_STMT(s, *db_, c, "emails-by-status");
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      m.emails_by_status.emplace_back(s.Text(0), s.Int(1));
    }
  }
  {
    RKD_STMT(s, *db_, c, "emails-per-day");
    s.Bind(1, (now / kMillisPerDay - 29) * kMillisPerDay);
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      m.emails_per_day.emplace_back(s.Int(0) * kMillisPerDay, s.Int(1));
    }
  }
  return m;
}

// ---- effectiveness -------------------------------------------------------------------

Status SqliteStore::RecordHoldout(const std::string& user_id, const std::string& trigger_id, double score,
                                  Millis cooldown) {
  return db_->Write([&](SqliteConn& c) -> Status {
    const Millis now = clock_->Now();
    {
      RKD_STMT(s, *db_, c, "latest-holdout");
      s.Bind(1, user_id);
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (*row && now - s.Int(0) < cooldown) return Status::Ok();  // held out recently: one record per cooldown
    }
    RKD_STMT(s, *db_, c, "insert-holdout");
    return s.Bind(1, user_id).Bind(2, trigger_id).Bind(3, score).Bind(4, now).Run();
  });
}

Result<Email> SqliteStore::RecordEmailEvent(const std::string& email_id, const std::string& type,
                                            const std::string& url) {
  Email out;
  Status st = db_->Write([&](SqliteConn& c) -> Status {
    auto email = LoadEmail(c, email_id);
    if (!email.ok()) return email.status();
    if (!*email) return Status::NotFound("email " + email_id + " not found", "emailId");
    const Millis now = clock_->Now();
    {
      RKD_STMT(s, *db_, c, "insert-email-event");
      RKD_RETURN_IF_ERROR(s.Bind(1, email_id).Bind(2, type).Bind(3, url).Bind(4, now).Run());
    }
    {
      RKD_STMT(s, *db_, c, type == "click" ? "mark-clicked" : "mark-opened");
      RKD_RETURN_IF_ERROR(s.Bind(1, email_id).Bind(2, now).Run());
    }
    auto after = LoadEmail(c, email_id);
    if (!after.ok()) return after.status();
    out = **after;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<EffectivenessFigures> SqliteStore::Effectiveness(int days) {
  RKD_READER(c, *db_);
  EffectivenessFigures f;
  const Millis now = clock_->Now();
  const Millis since = (now / kMillisPerDay - (days - 1)) * kMillisPerDay;
  {
    RKD_STMT(s, *db_, c, "effectiveness-funnel");
    s.Bind(1, since);
    auto row = s.Step();
    if (!row.ok()) return row.status();
    f.sent = s.Int(0);
    f.delivered = s.Int(1);
    f.failed = s.Int(2);
    f.opened = s.Int(3);
    f.clicked = s.Int(4);
    f.converted = s.Int(5);
    f.revenue = s.Real(6);
  }
  {
    RKD_STMT(s, *db_, c, "effectiveness-suppressions");
    s.Bind(1, since);
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const std::string reason = s.Text(0);
      if (reason == "unsubscribed") f.unsubscribes = s.Int(1);
      if (reason == "bounced") f.bounces = s.Int(1);
      if (reason == "complained") f.complaints = s.Int(1);
    }
  }
  for (auto [query, group] :
       {std::pair{"effectiveness-emailed", &f.emailed}, std::pair{"effectiveness-held-out", &f.held_out}}) {
    RKD_STMT(s, *db_, c, query);
    s.Bind(1, since);
    auto row = s.Step();
    if (!row.ok()) return row.status();
    *group = {s.Int(0), s.Int(1), s.Real(2)};
  }
  f.daily.resize(static_cast<size_t>(days));
  for (int d = 0; d < days; ++d) f.daily[d].day = since + d * kMillisPerDay;
  auto add = [&](const char* query, auto apply) -> Status {
    RKD_STMT(s, *db_, c, query);
    s.Bind(1, since);
    for (;;) {
      auto row = s.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const int64_t index = s.Int(0) - since / kMillisPerDay;
      if (index >= 0 && index < days) apply(f.daily[index], s);
    }
    return Status::Ok();
  };
  RKD_RETURN_IF_ERROR(add("effectiveness-daily-sent", [](DailyEffect& d, const Stmt& s) { d.sent = s.Int(1); }));
  RKD_RETURN_IF_ERROR(add("effectiveness-daily-opened", [](DailyEffect& d, const Stmt& s) { d.opened = s.Int(1); }));
  RKD_RETURN_IF_ERROR(add("effectiveness-daily-clicked", [](DailyEffect& d, const Stmt& s) { d.clicked = s.Int(1); }));
  RKD_RETURN_IF_ERROR(add("effectiveness-daily-converted", [](DailyEffect& d, const Stmt& s) {
    d.converted = s.Int(1);
    d.revenue = s.Real(2);
  }));
  return f;
}

}  // namespace rkd
