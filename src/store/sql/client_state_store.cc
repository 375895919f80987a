// The store's side of issue 16's client state and lists: a page of clients' badges
// (FactsOf), one client's history (History), the email list's total (CountEmails) and
// the suppression list's pages. Reads only; each is a few indexed queries whatever the
// number of clients.
#include <algorithm>
#include <limits>

#include "store/list_query.h"
#include "store/sql/email_filters.h"
#include "store/sql/sql_helpers.h"
#include "store/sql/sql_store.h"
#include "store/sql/table_rows.h"
#include "store/sql/user_state_queries.h"

namespace rkd {
namespace {

using nlohmann::json;

std::optional<std::string> PatternOrNull(const std::string& search) {
  if (search.empty()) return std::nullopt;
  return ContainsPattern(search);
}

Suppression ReadSuppression(const SqlRow& r) { return Suppression{r.Text(0), r.Text(1), r.Int(2)}; }

}  // namespace

std::string UserStateQueryName(const std::string& state, UserSort sort, bool descending) {
  return "list-users-state/" + state + "/" + SortName(sort) + (descending ? "/desc" : "/asc");
}

Status ExpandUserStateQueries(std::map<std::string, std::string>& queries, const char* (*type_of)(UserSort)) {
  auto it = queries.find("list-users-state");
  if (it == queries.end()) return Status::Internal("no named query list-users-state");
  const std::string tmpl = it->second;
  queries.erase(it);
  for (const std::string state : kUserStates) {
    auto fragment = queries.find("user-state/" + state);
    if (fragment == queries.end()) return Status::Internal("no named fragment user-state/" + state);
    std::string condition = fragment->second;
    while (!condition.empty() && (condition.back() == '\n' || condition.back() == ' ')) condition.pop_back();
    queries.erase(fragment);
    for (UserSort sort : {UserSort::kCreatedAt, UserSort::kScore, UserSort::kLastOrderDate, UserSort::kName})
      for (bool desc : {false, true}) {
        std::string q = ReplaceAll(tmpl, "{state}", condition);
        q = ReplaceAll(q, "{key}", SortColumn(sort));
        q = ReplaceAll(q, "{type}", type_of ? type_of(sort) : "");
        q = ReplaceAll(q, "{cmp}", desc ? "<" : ">");
        q = ReplaceAll(q, "{dir}", desc ? "DESC" : "ASC");
        queries[UserStateQueryName(state, sort, desc)] = std::move(q);
      }
  }
  return Status::Ok();
}

void AddEmailFilterParams(const EmailQuery& q, SqlParams& p) {
  // An open end is the widest bound, not NULL: a plain range lets the index seek it.
  p.emplace_back(q.from.value_or(std::numeric_limits<int64_t>::min()));
  p.emplace_back(q.to.value_or(std::numeric_limits<int64_t>::max()));
  p.emplace_back(PatternOrNull(q.search));
  p.emplace_back(q.step ? std::optional<int64_t>(*q.step) : std::nullopt);
}

Result<Page<Suppression>> SqlStore::ListSuppressions(const SuppressionQuery& q) {
  const int limit = ClampLimit(q.limit);
  auto after = DecodeKeyCursor(q.cursor);
  if (!after.ok()) return after.status();
  SqlParams p{PatternOrNull(q.search)};
  if (*after)
    p.insert(p.end(), {(*after)->first, (*after)->second});
  else
    p.insert(p.end(), {std::nullopt, std::nullopt});
  p.emplace_back(int64_t{limit + 1});
  std::vector<Suppression> rows;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    rows.clear();
    auto r = tx.Run("list-suppressions", p, [&](const SqlRow& row) { rows.push_back(ReadSuppression(row)); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  Page<Suppression> page{std::move(rows), {}};
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next_cursor = EncodeKeyCursor(page.items.back().created_at, page.items.back().email);
  }
  return page;
}

Result<int64_t> SqlStore::CountSuppressions(const std::string& search) {
  int64_t n = 0;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    auto r = tx.Run("count-suppressions", {PatternOrNull(search)}, [&](const SqlRow& row) { n = row.Int(0); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return n;
}

Result<std::optional<Suppression>> SqlStore::GetSuppression(const std::string& email) {
  std::optional<Suppression> out;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.reset();
    auto r = tx.Run("get-suppression", {email}, [&](const SqlRow& row) { out = ReadSuppression(row); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::map<std::string, ClientFacts>> SqlStore::FactsOf(const std::vector<User>& users) {
  std::map<std::string, ClientFacts> out;
  if (users.empty()) return out;
  std::vector<std::string> ids, emails;
  std::map<std::string, std::vector<std::string>> ids_by_email;  // lower-case address → user ids
  for (const User& u : users) {
    ids.push_back(u.user_id);
    emails.push_back(u.email);
    ids_by_email[sql::AsciiLower(u.email)].push_back(u.user_id);
  }
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    out.clear();
    auto r = tx.Run("suppressions-of", {sql::IdArray(emails)}, [&](const SqlRow& row) {
      Suppression s = ReadSuppression(row);
      for (const std::string& id : ids_by_email[sql::AsciiLower(s.email)]) out[id].suppression = s;
    });
    if (!r.ok()) return r.status();
    r = tx.Run("latest-holdouts-of", {sql::IdArray(ids)},
               [&](const SqlRow& row) { out[row.Text(0)].held_out_at = row.Int(1); });
    if (!r.ok()) return r.status();
    r = tx.Run("failed-latest-emails-of", {sql::IdArray(ids)}, [&](const SqlRow& row) {
      out[row.Text(0)].failed = std::pair{row.Text(1), row.Int(2)};
    });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return out;
}

Result<ClientHistory> SqlStore::History(const std::string& user_id, int limit) {
  const int64_t n = std::clamp(limit, 1, 500);
  ClientHistory h;
  Status st = db_->ReadSnapshot([&](SqlTx& tx) -> Status {
    h = {};
    auto user = LoadUser(tx, user_id, false);
    if (!user.ok()) return user.status();
    auto r = tx.Run("list-orders", {user_id, std::nullopt, std::nullopt, n},
                    [&](const SqlRow& row) { h.orders.push_back(ReadOrder(row)); });
    if (!r.ok()) return r.status();
    r = tx.Run("history-emails", {user_id, n}, [&](const SqlRow& row) {
      EmailSummary e;
      e.email_id = row.Text(0);
      e.subject = row.Text(1);
      e.status = row.Text(2);
      e.error = row.Text(3);
      e.created_at = row.Int(4);
      e.sent_at = row.OptInt(5);
      e.opened_at = row.OptInt(6);
      e.clicked_at = row.OptInt(7);
      e.converted_at = row.OptInt(8);
      e.conversion_revenue = row.OptReal(9);
      e.score_at_time = row.Real(10);
      e.step = row.OptInt(11);
      h.emails.push_back(std::move(e));
    });
    if (!r.ok()) return r.status();
    r = tx.Run("history-email-events", {user_id, n}, [&](const SqlRow& row) {
      h.events.push_back({row.Text(0), row.Text(1), row.Text(2), row.Int(3)});
    });
    if (!r.ok()) return r.status();
    r = tx.Run("history-holdouts", {user_id, n}, [&](const SqlRow& row) {
      h.holdouts.push_back({row.Int(0), row.Real(1)});
    });
    if (!r.ok()) return r.status();
    r = tx.Run("get-suppression", {user->email}, [&](const SqlRow& row) { h.suppression = ReadSuppression(row); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return h;
}

Result<int64_t> SqlStore::CountEmails(const EmailQuery& q) {
  SqlParams p{q.user_id, q.status};
  AddEmailFilterParams(q, p);
  // Without a client or a search, and with at most one of status and step, one index
  // answers alone (no email row is read).
  const char* query = "count-emails";
  if (q.user_id.empty() && q.search.empty()) {
    if (q.status.empty() && !q.step) query = "count-emails-in-range";
    if (!q.status.empty() && !q.step) query = "count-emails-status";
    if (q.status.empty() && q.step) query = "count-emails-step";
  }
  int64_t n = 0;
  Status st = db_->Read([&](SqlTx& tx) -> Status {
    auto r = tx.Run(query, p, [&](const SqlRow& row) { n = row.Int(0); });
    return r.ok() ? Status::Ok() : r.status();
  });
  if (!st.ok()) return st;
  return n;
}

}  // namespace rkd
