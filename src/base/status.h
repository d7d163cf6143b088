// base/status.h: expected failures as values.
//
// Status carries a code and a message; Result<T> carries a value or a non-OK Status. Every module
// returns these for failures that can happen in normal use (bad input, missing rows, a busy
// database); exceptions from libraries are turned into Status at the module's edge, and programmer
// errors are asserts. The codes map one to one onto HTTP statuses (see HttpStatusFor), in one place.
//
// A refusal may also carry a reason: a short stable code ("phase_move_not_allowed") with string
// parameters ({"from": "voting", "to": "draft"}) that the web UI words in the reader's language,
// as match reasons and round verdicts are worded (docs/api.md, "Refusal codes"). The message stays
// English, for API users and logs. A Status without a reason costs one null pointer more.
//
// Thread-safety: value types; distinct objects may be used from distinct threads freely.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace weefsel {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // 400: the caller sent something wrong (names the field)
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kConflict,            // 409: the state does not allow this (phase, version)
  kFailedPrecondition,  // 409
  kResourceExhausted,   // 429
  kUnavailable,         // 503
  kInternal,            // 500
};

std::string_view StatusCodeName(StatusCode code);
int HttpStatusFor(StatusCode code);

// A refusal's parameters, in order: {{"from", "voting"}, {"to", "draft"}}.
using ReasonParams = std::vector<std::pair<std::string, std::string>>;

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  // NotFound("challenge 7 does not exist") with the reason not_found {what: challenge, id: 7}.
  static Status NotFoundOf(std::string_view what, int64_t id);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: actors.csv line 3, column kind: unknown actor kind 'x'"
  std::string ToString() const;
  // Prefix the message with context: "while importing actors.csv: ...".
  Status WithContext(std::string_view context) const;

  // The same status with a stable reason code and its parameters (docs/api.md, "Refusal codes").
  Status WithReason(std::string code, ReasonParams params = {}) const;
  // The reason's code ("" when none was given) and its parameters.
  const std::string& reason() const;
  const ReasonParams& reason_params() const;

  friend bool operator==(const Status& a, const Status& b) { return a.code_ == b.code_ && a.message_ == b.message_; }

 private:
  struct Reason {
    std::string code;
    ReasonParams params;
  };
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::shared_ptr<const Reason> reason_;  // null: no reason given (shared: copies stay cheap)
};

// Result<T>: a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result from an OK Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace weefsel

// Return early with the status of an expression if it is not OK.
#define WEEFSEL_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::weefsel::Status weefsel_status_ = (expr);        \
    if (!weefsel_status_.ok()) return weefsel_status_; \
  } while (0)

#define WEEFSEL_CONCAT_INNER(a, b) a##b
#define WEEFSEL_CONCAT(a, b) WEEFSEL_CONCAT_INNER(a, b)
// WEEFSEL_ASSIGN_OR_RETURN(auto x, MaybeX()); returns the status when MaybeX() fails.
#define WEEFSEL_ASSIGN_OR_RETURN(lhs, expr) \
  WEEFSEL_ASSIGN_OR_RETURN_IMPL(WEEFSEL_CONCAT(weefsel_result_, __LINE__), lhs, expr)
#define WEEFSEL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
