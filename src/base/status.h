// Status and Result<T>: the one error channel across module boundaries.
//
// A Status is ok, or a code with a human message and, for client mistakes, the name of
// the offending field. The HTTP layer maps codes to statuses in one place
// (http/error_mapping). Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rkd {

enum class Code {
  kOk,
  kInvalidArgument,  // the caller sent something malformed or out of range
  kNotFound,         // the thing named does not exist
  kAlreadyExists,    // a unique constraint (e.g. a user's email) would be broken
  kFailedPrecondition,
  kUnauthenticated,
  kUnavailable,  // a retryable fault (database busy, server down)
  kInternal,     // a bug or an unexpected fault
};

// The stable, snake_case name a client sees in the JSON `code` field.
const char* CodeName(Code code);

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return Status(Code::kInvalidArgument, std::move(msg), std::move(field));
  }
  static Status NotFound(std::string msg, std::string field = {}) {
    return Status(Code::kNotFound, std::move(msg), std::move(field));
  }
  static Status AlreadyExists(std::string msg, std::string field = {}) {
    return Status(Code::kAlreadyExists, std::move(msg), std::move(field));
  }
  static Status FailedPrecondition(std::string msg, std::string field = {}) {
    return Status(Code::kFailedPrecondition, std::move(msg), std::move(field));
  }
  static Status Unauthenticated(std::string msg) { return Status(Code::kUnauthenticated, std::move(msg), {}); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg), {}); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg), {}); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  std::string ToString() const;

  // The same code and field with another message (more said about the same failure).
  Status WithMessage(std::string msg) const { return Status(code_, std::move(msg), field_); }

 private:
  Status(Code code, std::string msg, std::string field)
      : code_(code), message_(std::move(msg)), field_(std::move(field)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// Either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be ok
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace rkd

#define RKD_RETURN_IF_ERROR(expr) \
  do {                            \
    ::rkd::Status _st = (expr);   \
    if (!_st.ok()) return _st;    \
  } while (0)

// `lhs` (a declaration or an lvalue) = the value of the Result `expr`, or its Status
// returned from the enclosing function. Several statements: not the body of an unbraced if.
#define RKD_ASSIGN_OR_RETURN(lhs, expr) RKD_ASSIGN_OR_RETURN_IMPL(RKD_STATUS_CONCAT(rkd_result_, __LINE__), lhs, expr)
#define RKD_STATUS_CONCAT(a, b) RKD_STATUS_CONCAT_IMPL(a, b)
#define RKD_STATUS_CONCAT_IMPL(a, b) a##b
#define RKD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(*tmp)
