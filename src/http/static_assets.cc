#include "http/static_assets.h"

#include <cstdlib>
#include <filesystem>

#include "base/strings.h"

namespace weefsel::http {
namespace {

namespace fs = std::filesystem;

// A request path as a relative file path; false when it is unsafe (.., backslashes, NUL, ...).
bool RelativeFile(std::string_view path, std::string& out) {
  if (path.empty() || path[0] != '/') return false;
  out.clear();
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "." || seg == "..") return false;
    for (char c : seg)
      if (c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20) return false;
    if (!seg.empty()) {
      if (!out.empty()) out += '/';
      out += seg;
    }
    i = j + 1;
  }
  return true;
}

void SetCommonHeaders(Response& res) {
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Referrer-Policy", "same-origin");
}

void Send(const Request& req, Response& res, const std::string& body, std::string_view type) {
  res.status = 200;
  if (req.method == "HEAD") {
    res.SetHeader("Content-Length", std::to_string(body.size()));
    res.SetHeader("Content-Type", std::string(type));
    return;
  }
  res.SetContent(body, std::string(type));
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return "application/octet-stream";
  std::string_view ext = path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "wasm") return "application/wasm";
  return "application/octet-stream";
}

const std::string& WebRoot() {
  static const std::string root = [] {
    if (const char* env = std::getenv("WEEFSEL_WEB_DIR"); env && *env) return std::string(env);
#ifdef WEEFSEL_WEB_DIST
    std::error_code ec;
    if (fs::exists(fs::path(WEEFSEL_WEB_DIST) / "index.html", ec)) return std::string(WEEFSEL_WEB_DIST);
#endif
    return std::string();
  }();
  return root;
}

bool IsApiPath(std::string_view path) {
  return path == "/api" || StartsWith(path, "/api/") || path == "/healthz" || path == "/readyz" ||
         path == "/toegankelijkheid";
}

bool ServeStatic(const std::string& root, const Request& req, Response& res, FileSystem& files) {
  if (root.empty() || (req.method != "GET" && req.method != "HEAD") || IsApiPath(req.path)) return false;
  SetCommonHeaders(res);
  std::string rel;
  if (!RelativeFile(req.path, rel)) {
    res.status = 404;
    res.SetContent("not found\n", "text/plain; charset=utf-8");
    return true;
  }
  fs::path base(root);
  if (!rel.empty()) {
    const std::string file = (base / rel).string();
    if (files.KindOf(file) == FileSystem::Kind::kFile) {
      auto body = files.ReadFile(file);
      if (!body.ok()) {
        res.status = 500;
        res.SetContent("cannot read file\n", "text/plain; charset=utf-8");
        return true;
      }
      // Vite names every built asset with a content hash: cache it for a year.
      res.SetHeader("Cache-Control", StartsWith(rel, "assets/") ? "public, max-age=31536000, immutable" : "no-cache");
      Send(req, res, *body, ContentTypeFor(rel));
      return true;
    }
    // A missing file with an extension is a real 404, not a client-side route.
    std::string_view last = std::string_view(rel).substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos || StartsWith(rel, "assets/")) {
      res.status = 404;
      res.SetContent("not found\n", "text/plain; charset=utf-8");
      return true;
    }
  }
  auto index = files.ReadFile((base / "index.html").string());
  if (!index.ok()) {
    res.status = 404;
    res.SetContent("the web front end is not built (scripts/build-web)\n", "text/plain; charset=utf-8");
    return true;
  }
  res.SetHeader("Cache-Control", "no-cache");
  res.SetHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'");
  Send(req, res, *index, "text/html; charset=utf-8");
  return true;
}

}  // namespace weefsel::http
