// service/core/testing.h: what the slices' own tests share (tests only): a Context's parts over an
// in-memory SQLite store, fast options, a platform admin and a municipality to start from; and
// WithStore, a test's way into a Platform's store past the use cases (to check what is stored, or
// to plant what no use case writes). Platform has no such method: product code goes through the
// use cases (scripts/check-layers keeps this header out of everything but tests).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "service/core/context.h"
#include "service/platform.h"
#include "storage/store.h"

namespace weefsel::service::testing {

// A fresh private in-memory SQLite store (migrated); nullptr, and the test failed, when it cannot open.
inline std::unique_ptr<storage::Store> OpenMemoryStore() {
  auto store = storage::Store::Open(":memory:");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Options with the cheapest password hashing (tests that create accounts).
inline PlatformOptions FastOptions() {
  PlatformOptions o;
  o.password_cost = PasswordCost::Minimum();
  return o;
}

// A platform administrator who is no stored user.
inline Principal PlatformAdmin(UserId id = UserId(1 << 30)) {
  return Principal{id, "", "admin", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
}

// Utrecht, not yet stored.
inline domain::Municipality Utrecht() {
  return domain::Municipality{MunicipalityId(), "GM0344", "Utrecht", "Utrecht", 360000, 0, 0};
}

// A stored account with one role grant (named after its e-mail's local part), as a Principal:
// made by `root` through `accounts`, an Identity slice or a Platform. An empty Principal (and a
// failed expectation) when it cannot be made.
template <typename Accounts>
Principal MakeAccount(Accounts& accounts, const Principal& root, const std::string& email, domain::RoleGrant g) {
  domain::User u{UserId(), email, email.substr(0, email.find('@')), "", ""};
  auto made = accounts.CreateUser(root, u, "correct horse battery", {g});
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  if (!made.ok()) return {};
  auto p = accounts.PrincipalOf(made->id);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Principal{};
}

// A friend of Platform: runs `fn` with the platform's Store under its write lock.
struct PlatformStore {
  static Status With(Platform& platform, const std::function<Status(storage::Store&)>& fn) {
    Platform::WriteLock lock(platform);
    return fn(*platform.store_);
  }
  static core::Context& ContextOf(Platform& platform) { return platform; }
};

// The platform's unit of work, for a test that builds a slice of its own on it (a Votes with a
// predictable source of random bytes, say). Tests only.
inline core::Context& ContextOf(Platform& platform) { return PlatformStore::ContextOf(platform); }

// Runs `fn` with the platform's Store under its write lock (tests only).
inline Status WithStore(Platform& platform, const std::function<Status(storage::Store&)>& fn) {
  return PlatformStore::With(platform, fn);
}

}  // namespace weefsel::service::testing
