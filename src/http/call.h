// http/call.h: one request as a route handler sees it (internal to http/: api.cc and the route
// files that add to Api's table, such as api_engines.cc).
//
// A Call is built by Api::Handle for each request and lives for that request only: path ids in
// order, the acting Principal, the session when the request came with a cookie, the decoded JSON
// body (routes with has_body) and the Api's options. Thread-safety: used by one thread.
#pragma once

#include "http/message.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "base/ids.h"
#include "http/api.h"
#include "http/json_codec.h"
#include "match/matcher.h"
#include "service/platform.h"

namespace weefsel::http {

struct Call {
  const Request& req;
  std::vector<int64_t> ids;  // path parameters in order
  service::Principal who;
  std::optional<service::Session> session;
  Json body;
  const ApiOptions& options;

  template <typename Tag>
  Id<Tag> Path(size_t i) const {
    return Id<Tag>(ids.at(i));
  }
};

}  // namespace weefsel::http
