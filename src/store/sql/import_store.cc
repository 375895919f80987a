// The store core's imports (issue 10; Store::ImportRows in store.h): batches of clients
// or orders matched by the shop's ids, written without change records, and the derived
// fields of every client whose orders changed refreshed from those orders at the end.
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "base/ids.h"
#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"
#include "store/sql/table_rows.h"

namespace rkd {
namespace {

using nlohmann::json;

constexpr int kRefreshChunk = 2000;  // clients refreshed per transaction

// The address a client without one gets: under .invalid, never emailed (domain/user.h),
// unique by the shop's id (characters other than [A-Za-z0-9._-] hex-encoded).
std::string PlaceholderAddress(const std::string& external_id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string local = "client-";
  for (unsigned char c : external_id) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      local += static_cast<char>(c);
    } else {
      local += '%';
      local += kHex[c >> 4];
      local += kHex[c & 15];
    }
  }
  return local + "@" + kNoAddressDomain;
}

// A name for a client the file names no name for: the address's local part, or the
// shop's id for a placeholder address.
std::string DefaultName(const std::string& email, const std::string& external_id) {
  if (!email.empty() && !IsPlaceholderAddress(email)) return email.substr(0, email.find('@'));
  return "Client " + external_id;
}

// The users among `values` by `query` (a JSON-array read), keyed by `key_of`.
template <typename KeyOf>
Status LoadUsersBy(SqlTx& tx, const char* query, const std::vector<std::string>& values, KeyOf key_of,
                   std::unordered_map<std::string, User>* out) {
  if (values.empty()) return Status::Ok();
  auto r = tx.Run(query, {sql::IdArray(values)}, [&](const SqlRow& row) {
    User u = ReadUser(row);
    std::string key = key_of(u);
    out->emplace(std::move(key), std::move(u));
  });
  return r.ok() ? Status::Ok() : r.status();
}

// The same, the users' ids only.
template <typename KeyOf>
Status LoadUserIdsBy(SqlTx& tx, const char* query, const std::vector<std::string>& values, KeyOf key_of,
                     std::unordered_map<std::string, std::string>* out) {
  std::unordered_map<std::string, User> users;
  RKD_RETURN_IF_ERROR(LoadUsersBy(tx, query, values, key_of, &users));
  for (auto& [key, u] : users) out->emplace(key, std::move(u.user_id));
  return Status::Ok();
}

// A key → client id cache of the clients an import created: the batch being written
// adds to `staged`, which joins `made` once that batch is written (a transaction run
// again from its start must not find the clients its first run created).
struct MadeClients {
  std::unordered_map<std::string, std::string> made, staged;
  const std::string* Find(const std::string& key) const {
    if (auto it = staged.find(key); it != staged.end()) return &it->second;
    if (auto it = made.find(key); it != made.end()) return &it->second;
    return nullptr;
  }
  void Written() {
    made.merge(staged);
    staged.clear();
  }
};

bool SameOrder(const Order& stored, const Order& row) {
  return stored.user_id == row.user_id && stored.order_date == row.order_date &&
         std::llround(stored.total_value * 100) == std::llround(row.total_value * 100) && stored.status == row.status &&
         stored.items == row.items;
}

}  // namespace

// A class of its own for one import: the batch logic, over a transaction the caller
// opens (one per batch, or one for a whole dry run).
class SqlStore::ImportWriter {
 public:
  ImportWriter(SqlStore& store, bool stop_on_reject) : store_(store), stop_on_reject_(stop_on_reject) {}

  // The batch just given to WriteBatch was written (committed, or inside the dry run's
  // one transaction): its marks stand.
  void Written() {
    marked_.insert(just_marked_.begin(), just_marked_.end());
    just_marked_.clear();
    made_by_ext_.Written();
    made_by_email_.Written();
  }

  Status WriteBatch(SqlTx& tx, const ImportBatch& batch, ImportBatchResult* result) {
    *result = {};
    made_by_ext_.staged.clear();
    made_by_email_.staged.clear();
    if (!checked_start_) {
      RKD_RETURN_IF_ERROR(sql::RunOne(tx, "import-start", {}, [&](const SqlRow& r) {
        attributable_ = r.Int(0) != 0;
        fresh_store_ = r.Int(1) != 0;
      }));
      checked_start_ = true;
    }
    if (!batch.clients.empty()) return WriteClients(tx, batch.clients, result);
    return WriteOrders(tx, batch.orders, batch.totals, result);
  }

  // Refreshes up to kRefreshChunk pending clients; how many (0: none left).
  Result<int64_t> RefreshSome(SqlTx& tx) {
    std::vector<std::string> ids;
    auto r = tx.Run("import-pending", {int64_t{kRefreshChunk}}, [&](const SqlRow& row) { ids.push_back(row.Text(0)); });
    if (!r.ok()) return r.status();
    if (ids.empty()) return int64_t{0};
    // Clients this import created with their figures need nothing more.
    std::vector<std::string> stale;
    for (const std::string& id : ids)
      if (!created_.count(id)) stale.push_back(id);
    std::unordered_map<std::string, ClientTotals> totals;
    std::vector<User> users;
    if (!stale.empty()) {
      r = tx.Run("order-totals", {sql::IdArray(stale)}, [&](const SqlRow& row) {
        totals[row.Text(0)] = {row.Int(1), row.Int(2), row.Int(3), row.Int(4)};
      });
      if (!r.ok()) return r.status();
      r = tx.Run("get-users", {sql::IdArray(stale)}, [&](const SqlRow& row) { users.push_back(ReadUser(row)); });
      if (!r.ok()) return r.status();
    }
    const Millis now = store_.clock_->Now();
    std::vector<SqlParams> changed;
    for (User& u : users) {
      const ClientTotals t = totals.count(u.user_id) ? totals[u.user_id] : ClientTotals{};
      User after = u;
      after.order_count = t.count;
      after.total_spent_cents = t.cents;
      after.average_order_value = AverageOrderValue(t.cents, t.count);
      after.first_order_date = t.count ? std::optional<Millis>(t.first) : std::nullopt;
      after.last_order_date = t.count ? std::optional<Millis>(t.last) : std::nullopt;
      store_.Rescore(after, now);
      if (!DiffersOutsidePipelineFields(u, after) && after.engagement_score == u.engagement_score) continue;
      changed.push_back({after.user_id, after.order_count, after.total_spent_cents, after.average_order_value,
                         after.first_order_date, after.last_order_date, after.engagement_score, after.updated_at});
    }
    if (auto done = tx.RunBatch("refresh-imported-user", changed); !done.ok()) return done.status();
    r = tx.Run("clear-import-pending", {sql::IdArray(ids)});
    if (!r.ok()) return r.status();
    return static_cast<int64_t>(ids.size());
  }

 private:
  Status Reject(ImportBatchResult* result, int64_t line, const std::string& field, const std::string& reason) {
    if (stop_on_reject_)
      return Status::InvalidArgument("line " + std::to_string(line) + ", " + field + ": " + reason, field);
    result->outcomes.push_back(ImportOutcome::kRejected);
    result->rejects.push_back({line, field, reason});
    return Status::Ok();
  }

  Status WriteClients(SqlTx& tx, const std::vector<ClientRow>& rows, ImportBatchResult* result) {
    std::vector<std::string> ext_ids, emails;
    for (const ClientRow& row : rows) {
      if (!row.external_id.empty()) ext_ids.push_back(row.external_id);
      if (!row.email.empty()) emails.push_back(row.email);
    }
    std::unordered_map<std::string, User> by_ext, by_email;
    RKD_RETURN_IF_ERROR(LoadUsersBy(
        tx, "get-users-by-external-id", ext_ids, [](const User& u) { return u.external_id; }, &by_ext));
    RKD_RETURN_IF_ERROR(LoadUsersBy(
        tx, "get-users-by-email", emails, [](const User& u) { return sql::AsciiLower(u.email); }, &by_email));
    const Millis now = store_.clock_->Now();
    std::vector<std::string> inserted;
    for (const ClientRow& row : rows) {
      const User* found = nullptr;
      if (!row.external_id.empty())
        if (auto it = by_ext.find(row.external_id); it != by_ext.end()) found = &it->second;
      const User* same_address = nullptr;
      if (!row.email.empty())
        if (auto it = by_email.find(sql::AsciiLower(row.email)); it != by_email.end()) same_address = &it->second;
      if (!found && same_address) {
        if (!same_address->external_id.empty() && !row.external_id.empty()) {
          RKD_RETURN_IF_ERROR(Reject(result, row.line, "email",
                                     "the client with this address has externalId " + same_address->external_id));
          continue;
        }
        found = same_address;
      } else if (found && same_address && same_address->user_id != found->user_id) {
        RKD_RETURN_IF_ERROR(Reject(result, row.line, "email", "another client has the address " + row.email));
        continue;
      }
      User after = found ? *found : User{};
      if (!found) {
        after.user_id = NewOrderedUuid();
        after.created_at = row.created_at.value_or(now);
      } else if (row.created_at) {
        after.created_at = *row.created_at;
      }
      if (!row.external_id.empty()) after.external_id = row.external_id;
      if (!row.email.empty()) after.email = row.email;
      if (after.email.empty()) after.email = PlaceholderAddress(after.external_id);
      if (!row.name.empty()) after.name = row.name;
      if (after.name.empty()) after.name = DefaultName(after.email, after.external_id);
      if (row.preferred_categories) after.preferred_categories = *row.preferred_categories;
      if (!row.time_zone.empty()) after.time_zone = row.time_zone;
      if (found && !DiffersOutsidePipelineFields(*found, after)) {
        result->outcomes.push_back(ImportOutcome::kUnchanged);
        continue;
      }
      store_.Rescore(after, now);
      if (found) {
        RKD_RETURN_IF_ERROR(store_.UpdateUserRow(tx, after));
        result->outcomes.push_back(ImportOutcome::kUpdated);
      } else {
        // Counting pauses at the batch's first new client only: a batch of updates leaves
        // the schema (and every connection's prepared statements) alone.
        if (inserted.empty()) RKD_RETURN_IF_ERROR(tx.PauseUserCounting());
        RKD_RETURN_IF_ERROR(store_.InsertUser(tx, after));
        inserted.push_back(after.user_id);
        result->outcomes.push_back(ImportOutcome::kImported);
      }
      // A later row of the batch sees this one (a file names each client once, but the
      // address of one may be the one another row moves away from).
      if (found && sql::AsciiLower(found->email) != sql::AsciiLower(after.email))
        by_email.erase(sql::AsciiLower(found->email));
      if (!after.external_id.empty()) by_ext[after.external_id] = after;
      by_email[sql::AsciiLower(after.email)] = after;
    }
    return inserted.empty() ? Status::Ok() : tx.CountInsertedUsers(inserted);
  }

  // The client each order names, creating those the store lacks; "" for a row rejected.
  Status ResolveClients(SqlTx& tx, const std::vector<OrderRow>& rows,
                        const std::unordered_map<std::string, ClientTotals>* totals, std::vector<std::string>* user_ids,
                        ImportBatchResult* result) {
    std::vector<std::string> ids, ext_ids;
    for (const OrderRow& row : rows) {
      if (!row.user_id.empty()) {
        ids.push_back(row.user_id);
        continue;
      }
      if (!row.client_external_id.empty()) ext_ids.push_back(row.client_external_id);
    }
    // key → client id. The clients this import created are known without a read; into a
    // fresh store, no other client can be named (a writer beside the import that takes
    // an address or shop id meanwhile fails the batch's insert).
    std::unordered_map<std::string, std::string> by_id, by_ext, by_email;
    auto add_made = [](const MadeClients& made, const std::string& key, auto* index) {
      if (const std::string* id = made.Find(key)) index->emplace(key, *id);
    };
    std::vector<std::string> unknown;
    for (const std::string& ext : ext_ids) {
      add_made(made_by_ext_, ext, &by_ext);
      if (!fresh_store_ && !by_ext.count(ext)) unknown.push_back(ext);
    }
    RKD_RETURN_IF_ERROR(LoadUserIdsBy(
        tx, "get-users", ids, [](const User& u) { return u.user_id; }, &by_id));
    RKD_RETURN_IF_ERROR(LoadUserIdsBy(
        tx, "get-users-by-external-id", unknown, [](const User& u) { return u.external_id; }, &by_ext));
    // The addresses of rows whose client is not known by its shop id: it is found by its
    // address, or created, and a client created must not take another client's address.
    unknown.clear();
    for (const OrderRow& row : rows)
      if (row.user_id.empty() && !row.client_email.empty() &&
          (row.client_external_id.empty() || !by_ext.count(row.client_external_id))) {
        const std::string email = sql::AsciiLower(row.client_email);
        add_made(made_by_email_, email, &by_email);
        if (!fresh_store_ && !by_email.count(email)) unknown.push_back(row.client_email);
      }
    RKD_RETURN_IF_ERROR(LoadUserIdsBy(
        tx, "get-users-by-email", unknown, [](const User& u) { return sql::AsciiLower(u.email); }, &by_email));
    const Millis now = store_.clock_->Now();
    std::vector<SqlParams> new_users;
    std::vector<std::string> new_ids;
    for (const OrderRow& row : rows) {
      if (!row.user_id.empty()) {
        if (!by_id.count(row.user_id)) {
          RKD_RETURN_IF_ERROR(Reject(result, row.line, "userId", "no client has the id " + row.user_id));
          user_ids->emplace_back();
          continue;
        }
        user_ids->push_back(row.user_id);
        continue;
      }
      auto& index = row.client_external_id.empty() ? by_email : by_ext;
      const std::string key =
          row.client_external_id.empty() ? sql::AsciiLower(row.client_email) : row.client_external_id;
      if (auto it = index.find(key); it != index.end()) {
        // A client this import created with its key's figures, named here by another key
        // (its address, where it was created by its shop id): its figures are refreshed.
        if (auto t = created_.find(it->second); t != created_.end() && t->second != ClientKeyOf(row)) created_.erase(t);
        user_ids->push_back(it->second);
        continue;
      }
      if (!row.client_email.empty() && by_email.count(sql::AsciiLower(row.client_email))) {
        // A new shop id whose address another client has. The file's figures for its key
        // count this row: a client made later from another of its rows is refreshed.
        RKD_RETURN_IF_ERROR(Reject(result, row.line, "email",
                                   "another client has the address " + row.client_email + " under another externalId"));
        refused_keys_.insert(ClientKeyOf(row));
        user_ids->emplace_back();
        continue;
      }
      User u;
      u.user_id = NewOrderedUuid();
      u.external_id = row.client_external_id;
      u.email = row.client_email.empty() ? PlaceholderAddress(row.client_external_id) : row.client_email;
      u.name = row.client_name.empty() ? DefaultName(u.email, u.external_id) : row.client_name;
      u.created_at = now;
      if (totals && !refused_keys_.count(ClientKeyOf(row))) {
        if (auto t = totals->find(ClientKeyOf(row)); t != totals->end()) {
          u.order_count = t->second.count;
          u.total_spent_cents = t->second.cents;
          u.average_order_value = AverageOrderValue(t->second.cents, t->second.count);
          u.first_order_date = t->second.first;
          u.last_order_date = t->second.last;
          created_.emplace(u.user_id, t->first);
        }
      }
      store_.Rescore(u, now);
      new_users.push_back(InsertUserParams(u));
      new_ids.push_back(u.user_id);
      ++result->clients_created;
      user_ids->push_back(u.user_id);
      if (!row.client_email.empty()) {
        by_email.emplace(sql::AsciiLower(row.client_email), u.user_id);
        made_by_email_.staged.emplace(sql::AsciiLower(row.client_email), u.user_id);
      }
      if (!row.client_external_id.empty()) made_by_ext_.staged.emplace(row.client_external_id, u.user_id);
      index.emplace(key, u.user_id);
    }
    // One statement for the batch's new clients: a unique violation here means another
    // writer took an address or id meanwhile; the batch is then not written.
    if (new_users.empty()) return Status::Ok();
    RKD_RETURN_IF_ERROR(tx.PauseUserCounting());
    auto inserted = tx.RunBatch("insert-user", new_users);
    if (!inserted.ok()) return inserted.status();
    return tx.CountInsertedUsers(new_ids);
  }
  Status WriteOrders(SqlTx& tx, const std::vector<OrderRow>& rows,
                     const std::unordered_map<std::string, ClientTotals>* totals, ImportBatchResult* result) {
    std::vector<std::string> user_ids;
    user_ids.reserve(rows.size());
    ImportBatchResult resolve;
    RKD_RETURN_IF_ERROR(ResolveClients(tx, rows, totals, &user_ids, &resolve));
    result->clients_created = resolve.clients_created;
    std::vector<std::string> ext_ids;
    ext_ids.reserve(rows.size());
    for (const OrderRow& row : rows) ext_ids.push_back(row.external_id);
    // Into a fresh store, every order is the file's own, and the file names each once.
    std::unordered_map<std::string, Order> existing;
    Result<int64_t> r = int64_t{0};
    if (!fresh_store_)
      r = tx.Run("get-orders-by-external-ids", {sql::IdArray(ext_ids)}, [&](const SqlRow& row) {
        Order o = ReadOrder(row);
        std::string key = o.external_id;
        existing.emplace(std::move(key), std::move(o));
      });
    if (!r.ok()) return r.status();
    const Millis now = store_.clock_->Now();
    std::set<std::string> touched;
    std::vector<SqlParams> new_orders;
    std::vector<Order> attributed;
    just_marked_.clear();
    size_t next_reject = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      const OrderRow& row = rows[i];
      if (user_ids[i].empty()) {  // refused while resolving its client
        result->outcomes.push_back(ImportOutcome::kRejected);
        result->rejects.push_back(resolve.rejects[next_reject++]);
        continue;
      }
      Order o;
      o.user_id = user_ids[i];
      o.order_date = row.order_date;
      o.total_value = static_cast<double>(row.total_cents) / 100.0;
      o.items = row.items;
      o.status = row.status;
      o.external_id = row.external_id;
      if (auto it = existing.find(row.external_id); it != existing.end()) {
        if (SameOrder(it->second, o)) {
          result->outcomes.push_back(ImportOutcome::kUnchanged);
          continue;
        }
        const SqlParams p = InsertOrderParams(o);  // items as the store keeps them: p[4]
        r = tx.Run("update-imported-order", {o.external_id, o.user_id, o.order_date, o.total_value, p[4], o.status});
        if (!r.ok()) return r.status();
        // What it converted counts its new value (a refund), or converts no more.
        const int64_t cancelled = o.status == kOrderCancelled ? 1 : 0;
        for (const char* q : {"reattribute-email", "reattribute-holdout"}) {
          r = tx.Run(q, {it->second.user_id, it->second.order_id, cancelled, o.total_value});
          if (!r.ok()) return r.status();
        }
        touched.insert(it->second.user_id);
        touched.insert(o.user_id);
        result->outcomes.push_back(ImportOutcome::kUpdated);
        continue;
      }
      o.order_id = NewOrderedUuid();
      o.created_at = now;
      new_orders.push_back(InsertOrderParams(o));
      touched.insert(user_ids[i]);
      if (attributable_ && o.status != kOrderCancelled) attributed.push_back(std::move(o));
      result->outcomes.push_back(ImportOutcome::kImported);
    }
    // In client order: each client's orders land together in orders_by_user, which a
    // file in date order would otherwise touch at random.
    std::sort(new_orders.begin(), new_orders.end(), [](const SqlParams& a, const SqlParams& b) {
      return std::get<std::string>(a[1].get()) < std::get<std::string>(b[1].get());
    });
    auto inserted = tx.RunBatch("insert-order", new_orders);
    if (!inserted.ok()) return inserted.status();
    if (*inserted != static_cast<int64_t>(new_orders.size()))  // another writer took an externalId meanwhile
      return Status::Unavailable("orders of this batch were written by another import meanwhile; run it again");
    // Attribution, as CreateOrder does, once the store has emails or holdouts at all.
    for (const Order& o : attributed) RKD_RETURN_IF_ERROR(store_.AttributeOrder(tx, o));
    std::vector<SqlParams> marks;
    for (const std::string& id : touched)
      if (!marked_.count(id)) marks.push_back({id});  // else marked by an earlier batch, written
    if (auto marked = tx.RunBatch("mark-import-pending", marks); !marked.ok()) return marked.status();
    just_marked_ = std::move(touched);
    return Status::Ok();
  }

  SqlStore& store_;
  bool stop_on_reject_;  // Clients this import created with the file's figures for their key (ImportBatch::
  // totals), by user id → that key: their orders are marked like any (so an import that
  // stops refreshes them next time), and the refresh passes them by.
  std::unordered_map<std::string, std::string> created_;
  std::unordered_set<std::string> refused_keys_;  // keys with a row refused: their figures are not the store's
  // Clients marked in import_pending by a batch of this import that was written: a later
  // batch need not mark them again (a million orders name a few hundred thousand clients).
  std::unordered_set<std::string> marked_;
  std::set<std::string> just_marked_;        // by the batch being written, until it is
  MadeClients made_by_ext_, made_by_email_;  // the clients this import created, by shop id and address
  bool checked_start_ = false;
  bool attributable_ = true;
  bool fresh_store_ = false;  // no client and no order when the import began
};

Result<int64_t> SqlStore::ImportRows(ImportFeed& feed, const ImportWriteOptions& options) {
  ImportWriter writer(*this, options.stop_on_reject);
  int64_t at_risk = 0;
  auto count_at_risk = [&](SqlTx& tx) -> Status {
    auto r = tx.Run("metrics-users", {options.at_risk_below}, [&](const SqlRow& row) { at_risk = row.Int(1); });
    return r.ok() ? Status::Ok() : r.status();
  };
  auto refresh_all = [&](SqlTx& tx, int64_t* refreshed) -> Result<bool> {
    auto n = writer.RefreshSome(tx);
    if (!n.ok()) return n.status();
    *refreshed += *n;
    feed.Refreshed(*refreshed);
    return *n > 0;
  };

  if (options.dry_run) {
    // Everything in one transaction, rolled back: the figures a real run would give.
    bool ran = false, finished = false;
    Status st = db_->Write([&](SqlTx& tx) -> Status {
      if (ran) return Status::Internal("the dry run's transaction was retried");
      ran = true;
      for (;;) {
        auto batch = feed.Next();
        if (!batch.ok()) return batch.status();
        if (!*batch) break;
        ImportBatchResult result;
        RKD_RETURN_IF_ERROR(writer.WriteBatch(tx, **batch, &result));
        writer.Written();
        feed.Written(**batch, result);
      }
      int64_t refreshed = 0;
      for (;;) {
        auto more = refresh_all(tx, &refreshed);
        if (!more.ok()) return more.status();
        if (!*more) break;
      }
      RKD_RETURN_IF_ERROR(count_at_risk(tx));
      finished = true;
      return Status::FailedPrecondition("dry run: rolled back");
    });
    if (finished) return at_risk;
    return st;
  }

  for (;;) {
    auto batch = feed.Next();
    if (!batch.ok()) return batch.status();
    if (!*batch) break;
    ImportBatchResult result;
    RKD_RETURN_IF_ERROR(db_->Write([&](SqlTx& tx) { return writer.WriteBatch(tx, **batch, &result); }));
    writer.Written();
    feed.Written(**batch, result);
  }
  int64_t refreshed = 0;
  for (bool more = true; more;) {
    RKD_RETURN_IF_ERROR(db_->Write([&](SqlTx& tx) -> Status {
      const int64_t before = refreshed;
      auto m = refresh_all(tx, &refreshed);
      if (!m.ok()) {
        refreshed = before;
        return m.status();
      }
      more = *m;
      return Status::Ok();
    }));
  }
  RKD_RETURN_IF_ERROR(db_->Read(count_at_risk));
  return at_risk;
}

Result<User> SqlStore::GetUserByExternalId(const std::string& external_id) {
  std::optional<User> user;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    auto r = tx.Run("get-user-by-external-id", {external_id}, [&](const SqlRow& row) { user = ReadUser(row); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  if (!user) return Status::NotFound("no client has externalId " + external_id, "externalId");
  return std::move(*user);
}

namespace {
ImportJob ReadImportJob(const SqlRow& r) { return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.OptInt(5)}; }
}  // namespace

Status SqlStore::SaveImportJob(const ImportJob& job) {
  return db_->WriteOne([&](SqlTx& tx) -> Status {
    auto r =
        tx.Run("save-import", {job.import_id, job.status, job.detail, job.created_by, job.started_at, job.finished_at});
    return r.ok() ? Status::Ok() : r.status();
  });
}

Result<ImportJob> SqlStore::GetImportJob(const std::string& import_id) {
  std::optional<ImportJob> job;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    auto r = tx.Run("get-import", {import_id}, [&](const SqlRow& row) { job = ReadImportJob(row); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  if (!job) return Status::NotFound("import " + import_id + " not found", "importId");
  return std::move(*job);
}

Result<std::vector<ImportJob>> SqlStore::ListImportJobs(int limit) {
  std::vector<ImportJob> jobs;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    jobs.clear();
    auto r = tx.Run("list-imports", {int64_t{std::clamp(limit, 1, 500)}},
                    [&](const SqlRow& row) { jobs.push_back(ReadImportJob(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return jobs;
}

Result<std::vector<Order>> SqlStore::ScanOrders(const std::string& after_order_id, int limit) {
  std::vector<Order> orders;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    orders.clear();
    auto r = tx.Run("scan-orders", {after_order_id, int64_t{std::clamp(limit, 1, 10000)}},
                    [&](const SqlRow& row) { orders.push_back(ReadOrder(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return orders;
}

}  // namespace rkd
