// Store: where clients, orders, emails and the change stream live.
//
// Contract (checked by store/store_contract_test.cc against every implementation):
// - Every user write (create, update, order, delete, score, email record) appends one
//   record to the change stream in the same transaction, with a strictly increasing seq;
//   nothing can write a user without its change record.
// - Every user write recomputes engagementScore with the store's ScoreRules and Clock, so
//   a stored score is never stale for the data stored beside it.
// - Errors: NotFound for an unknown id, AlreadyExists (field "email") for a duplicate
//   email, InvalidArgument (field "cursor") for a cursor that is not ours, Unavailable
//   for a transient fault (busy database), Internal otherwise. A failed call writes
//   nothing.
// Implementations are thread-safe: one instance serves every thread of a process, and
// several processes may share one database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/email.h"
#include "domain/order.h"
#include "domain/user.h"
#include "domain/user_change.h"

namespace rkd {

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
};

enum class UserSort { kCreatedAt, kScore, kLastOrderDate, kName };

struct UserQuery {
  int limit = 50;
  std::string cursor;  // opaque, from a previous page with the same sort and filters
  UserSort sort = UserSort::kCreatedAt;
  bool descending = true;
  std::optional<double> score_below;  // "at risk": engagementScore < this
  std::string search;                 // case-insensitive substring of name or email
};

struct EmailQuery {
  int limit = 50;
  std::string cursor;
  std::string user_id;  // empty: every user
  std::string status;   // empty: every status
};

// A user and the order that changed it, as CreateOrder returns them.
struct OrderResult {
  Order order;
  User user;
};

class Store {
 public:
  virtual ~Store() = default;

  // Users. CreateUser fills createdAt, updatedAt and engagementScore (and userId when
  // empty) and returns the stored user.
  virtual Result<User> CreateUser(User user) = 0;
  virtual Result<User> GetUser(const std::string& user_id) = 0;
  virtual Result<User> UpdateUser(const std::string& user_id, const UserPatch& patch) = 0;
  // Removes the user with their orders and emails.
  virtual Status DeleteUser(const std::string& user_id) = 0;
  virtual Result<Page<User>> ListUsers(const UserQuery& query) = 0;
  virtual Result<int64_t> CountUsers() = 0;

  // Orders. Stores the order and, in the same transaction, moves the user's
  // lastOrderDate (to the later of the two), orderCount and averageOrderValue.
  virtual Result<OrderResult> CreateOrder(Order order) = 0;
  virtual Result<Page<Order>> ListOrders(const std::string& user_id, int limit, const std::string& cursor) = 0;

  // Emails, newest first.
  virtual Result<Email> GetEmail(const std::string& email_id) = 0;
  virtual Result<Page<Email>> ListEmails(const EmailQuery& query) = 0;

  // Bulk load (the `seed` command): users and their orders in one transaction, users'
  // derived fields taken as given, scores computed, one INSERT change per user.
  virtual Status Import(std::vector<User> users, std::vector<Order> orders) = 0;

  // Change stream: up to `limit` records with seq > after_seq, in seq order.
  virtual Result<std::vector<UserChange>> ReadChanges(int64_t after_seq, int limit) = 0;
  // Durable named positions in the change stream (0 when never set).
  virtual Result<int64_t> GetCheckpoint(const std::string& name) = 0;
  virtual Status SetCheckpoint(const std::string& name, int64_t seq) = 0;
};

}  // namespace rkd
