// service/introductions.h: "breng in contact": an officer introduces two organisations to each other.
//
// The fabric's weave (fabric/weave.h) suggests ties that would strengthen a municipality's fabric
// of collaboration; an introduction acts on one. An officer of the municipality introduces two
// actors (at least one of them at home there), with an optional note; the members of each actor
// get a notification naming the other (in the app, and in their daily mail digest: kind
// "introduction", linking to the other's page). The introduction is audited (entity
// "introduction", under the smaller actor id) in the transaction that writes the notifications, and
// the same pair cannot be introduced again within kIntroductionQuietDays (Conflict naming the date),
// so that nobody is sent the same introduction twice.
//
// Ownership: a slice of the Platform (service/core/context.h), which owns it; it holds no state.
// Thread-safety: as thread-safe as Platform (every call runs under the platform's store lock).
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

inline constexpr int kIntroductionQuietDays = 90;
inline constexpr size_t kMaxIntroductionNote = 1000;  // bytes

struct IntroducedParty {
  ActorId actor;
  std::string name;
  int64_t notified = 0;  // accounts of its members that were told (0: no member has an account)
};

struct Introduction {
  MunicipalityId municipality;
  std::string at;  // ISO 8601 UTC
  std::string note;
  IntroducedParty a, b;
};

class Introductions : private core::Slice {
 public:
  explicit Introductions(core::Context& context) : Slice(context) {}

  // Officers of `m` (and admins). InvalidArgument for the same actor twice, a note over the limit,
  // or two actors neither of which is at home in `m`; NotFound for an unknown actor or
  // municipality; Conflict when the pair was introduced in the last kIntroductionQuietDays.
  Result<Introduction> Introduce(const Principal& p, MunicipalityId m, ActorId a, ActorId b, std::string note);
};

}  // namespace weefsel::service
