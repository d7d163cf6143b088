#include "http/message.h"

#include <algorithm>

#include "base/strings.h"

namespace weefsel::http {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `s`; clears `ok` when a '%' is not followed by two hex digits.
std::string Decode(std::string_view s, bool plus_is_space, bool& ok) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      int h = i + 2 < s.size() ? Hex(s[i + 1]) : -1;
      int l = i + 2 < s.size() ? Hex(s[i + 2]) : -1;
      if (h < 0 || l < 0) {
        ok = false;
        out += c;
        continue;
      }
      out += static_cast<char>(h * 16 + l);
      i += 2;
      continue;
    }
    out += plus_is_space && c == '+' ? ' ' : c;
  }
  return out;
}

}  // namespace

bool CaseLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return Lower(x) < Lower(y); });
}

std::string Request::Header(std::string_view name, size_t i) const {
  auto [lo, hi] = headers.equal_range(std::string(name));
  for (; lo != hi; ++lo, --i)
    if (i == 0) return lo->second;
  return "";
}

size_t Request::HeaderCount(std::string_view name) const { return headers.count(std::string(name)); }

bool Request::HasParam(std::string_view name) const { return params.count(std::string(name)) > 0; }

std::string Request::Param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? "" : it->second;
}

std::string Request::Cookie(std::string_view name) const {
  for (size_t i = 0; i < HeaderCount("Cookie"); ++i) {
    for (const auto& part : Split(Header("Cookie", i), ';')) {
      std::string_view t = Trim(part);
      if (t.size() > name.size() && t.substr(0, name.size()) == name && t[name.size()] == '=')
        return std::string(t.substr(name.size() + 1));
    }
  }
  return "";
}

void Response::ReplaceHeader(const std::string& name, const std::string& value) {
  headers.erase(name);
  headers.emplace(name, value);
}

void Response::SetContent(std::string content, const std::string& content_type) {
  body = std::move(content);
  ReplaceHeader("Content-Type", content_type);
}

std::string Response::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? "" : it->second;
}

bool ParseTarget(std::string_view target, std::string& path, Params& params) {
  bool ok = true;
  size_t q = target.find('?');
  path = Decode(target.substr(0, q), false, ok);
  params.clear();
  if (q == std::string_view::npos) return ok;
  for (const auto& pair : Split(target.substr(q + 1), '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = Decode(pair.substr(0, eq), true, ok);
    std::string value = eq == std::string_view::npos ? "" : Decode(pair.substr(eq + 1), true, ok);
    params.emplace(std::move(key), std::move(value));
  }
  return ok;
}

std::string EncodeQueryParam(std::string_view value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace weefsel::http
