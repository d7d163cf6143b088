#include "base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace weefsel {

void InitLogging(std::string_view level) {
  static auto logger = [] {
    auto l = spdlog::stderr_color_mt("weefsel");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(l);
    return l;
  }();
  logger->set_level(spdlog::level::from_str(std::string(level)));
}

}  // namespace weefsel
