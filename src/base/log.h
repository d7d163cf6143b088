// base/log.h: logging through spdlog. One process-wide logger writing to stderr, so that stdout
// stays free for a command's output. Thread-safe (spdlog's _mt sinks).
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace weefsel {

// Sets up the process-wide logger; level is one of trace, debug, info, warn, error, off.
void InitLogging(std::string_view level = "warn");

}  // namespace weefsel
