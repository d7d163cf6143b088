#include "base/status.h"

namespace weefsel {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission denied";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kAlreadyExists:
      return "already exists";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kFailedPrecondition:
      return "failed precondition";
    case StatusCode::kResourceExhausted:
      return "resource exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status out(code_, std::string(context) + ": " + message_);
  out.reason_ = reason_;
  return out;
}

Status Status::NotFoundOf(std::string_view what, int64_t id) {
  std::string n = std::to_string(id);
  return NotFound(std::string(what) + " " + n + " does not exist")
      .WithReason("not_found", {{"what", std::string(what)}, {"id", n}});
}

Status Status::WithReason(std::string code, ReasonParams params) const {
  assert(!ok() && "an OK status carries no reason");
  Status out = *this;
  out.reason_ = std::make_shared<const Reason>(Reason{std::move(code), std::move(params)});
  return out;
}

const std::string& Status::reason() const {
  static const std::string kNone;
  return reason_ ? reason_->code : kNone;
}

const ReasonParams& Status::reason_params() const {
  static const ReasonParams kNone;
  return reason_ ? reason_->params : kNone;
}

}  // namespace weefsel
