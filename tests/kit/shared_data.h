// tests/kit/shared_data.h: finding the real data in ../shared/data from a test or a benchmark.
//
// The data are read in place, never copied: WEEFSEL_SHARED_DATA names the folder (the Makefile
// sets it; default ../shared/data relative to the source tree). A test that needs a file skips
// with a clear message when the folder is absent, except under CI (CI=true), where a missing
// folder is a failure. Header-only; thread-safe (reads the environment only).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace weefsel::testkit {

inline std::string SharedDataDir() {
  if (const char* env = std::getenv("WEEFSEL_SHARED_DATA"); env && *env) return env;
  return std::string(WEEFSEL_SOURCE_DIR) + "/../shared/data";
}

inline std::string SharedDataPath(const std::string& relative) { return SharedDataDir() + "/" + relative; }

inline bool UnderCi() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace weefsel::testkit

// Skips the test (or fails it under CI) when a shared data file is missing.
#define WEEFSEL_REQUIRE_SHARED_DATA(relative)                                                      \
  do {                                                                                             \
    std::string weefsel_p_ = ::weefsel::testkit::SharedDataPath(relative);                         \
    if (!std::filesystem::exists(weefsel_p_)) {                                                    \
      if (::weefsel::testkit::UnderCi()) FAIL() << "shared data missing under CI: " << weefsel_p_; \
      GTEST_SKIP() << "shared data not found: " << weefsel_p_ << " (set WEEFSEL_SHARED_DATA)";     \
    }                                                                                              \
  } while (0)
