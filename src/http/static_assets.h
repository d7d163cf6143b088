// http/static_assets.h: serves the built web front end (web/dist) next to the JSON API.
//
// The front end is a single-page application built at build time by scripts/build-web (Vite). The
// server answers GET/HEAD for every path outside the API (/api/..., /healthz, /readyz) from one
// directory: files with their content type; Vite's content-hashed files under /assets/ with a
// year-long immutable cache; everything else (index.html, robots.txt) with `no-cache` so a new
// build is picked up at once; and any other path without a file extension (a client-side route
// such as /uitdagingen/3) with index.html. Paths that try to leave the directory are refused.
//
// The directory is $WEEFSEL_WEB_DIR when set, else the web/dist of the source tree the binary was
// built from (WEEFSEL_WEB_DIST, set by CMake) when it holds an index.html; with neither, the
// server serves the API only and ServeStatic returns false.
//
// Files are read through a FileSystem (base/env.h): the disk, or in tests its in-memory twin.
// Thread-safety: all functions are safe to call from many threads at once (files are read per
// request; the root is resolved once, on first use, under a static initialiser).
#pragma once

#include <string>
#include <string_view>

#include "base/env.h"
#include "http/message.h"

namespace weefsel::http {

// The content type for a file name, by extension ("application/octet-stream" when unknown).
std::string_view ContentTypeFor(std::string_view path);

// The front-end directory this process serves ("" when there is none); resolved once.
const std::string& WebRoot();

// Serves `req` from the directory `root` of `files` when it is a GET/HEAD for the front end; returns
// false (leaving `res` untouched) for API paths, other methods, or when `root` is empty.
bool ServeStatic(const std::string& root, const Request& req, Response& res,
                 FileSystem& files = DiskFileSystem::Default());
// True for the paths the Api answers (/api/..., /healthz, /readyz, /toegankelijkheid), never a
// static file.
bool IsApiPath(std::string_view path);

// ServeStatic(WebRoot(), req, res): the hook the server calls before the API.
inline bool ServeStatic(const Request& req, Response& res) { return ServeStatic(WebRoot(), req, res); }

}  // namespace weefsel::http
