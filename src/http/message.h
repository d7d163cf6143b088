// http/message.h: one HTTP request and its response as weefsel's handlers see them.
//
// Request and Response are plain values, independent of the HTTP library: the server's adapter
// (http/server.cc, the only file that includes Boost.Beast) fills a Request from the wire and
// writes a Response back; the Api, the route handlers and the static file server see only these.
// Header names compare case-insensitively; a header or query parameter may occur more than once.
// The path and the query values are percent-decoded ('+' in a query is a space); `target` keeps
// the request line's target as sent. Thread-safety: plain values (one request, one thread).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace weefsel::http {

struct CaseLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseLess>;
using Params = std::multimap<std::string, std::string>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/v1/actors?q=zorg%20thuis"
  std::string path;    // decoded: "/api/v1/actors"
  Params params;       // decoded query parameters, in order
  Headers headers;
  std::string body;
  std::string remote_addr;  // the peer's IP address

  // The i-th value of a header, or "".
  std::string Header(std::string_view name, size_t i = 0) const;
  size_t HeaderCount(std::string_view name) const;
  bool HasParam(std::string_view name) const;
  // The first value of a query parameter, or "".
  std::string Param(std::string_view name) const;
  // The value of a cookie from the Cookie header(s), or "".
  std::string Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // Adds a header (a second Set-Cookie is a second header).
  void SetHeader(const std::string& name, const std::string& value) { headers.emplace(name, value); }
  // Replaces every value of a header with one.
  void ReplaceHeader(const std::string& name, const std::string& value);
  // The body and its Content-Type.
  void SetContent(std::string content, const std::string& content_type);
  std::string Header(std::string_view name) const;
};

// Splits a request target into its decoded path and query parameters ('+' is a space in the
// query only). Returns false when a '%' is not followed by two hex digits (the server answers 400);
// path and params then hold the rest decoded, the malformed escape kept as it is. The decoded
// bytes may be anything (invalid UTF-8 included): the Api checks them.
[[nodiscard]] bool ParseTarget(std::string_view target, std::string& path, Params& params);
// Percent-encodes a query value (unreserved characters stay).
std::string EncodeQueryParam(std::string_view value);
// The standard reason phrase of a status ("Not Found"), or "Unknown".
const char* ReasonPhrase(int status);

}  // namespace weefsel::http
