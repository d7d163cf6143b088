// base/ids.h: strong ids, so that an ActorId is never passed where a ChallengeId is expected.
//
// An Id<Tag> wraps a 64-bit integer; 0 means "no id yet" (an entity not stored). Ids are value
// types, hashable and ordered. Thread-safety: value types.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>

namespace weefsel {

template <typename Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : v_(v) {}
  constexpr int64_t value() const { return v_; }
  constexpr bool valid() const { return v_ > 0; }
  friend constexpr auto operator<=>(Id, Id) = default;
  friend std::ostream& operator<<(std::ostream& os, Id id) { return os << id.v_; }

 private:
  int64_t v_ = 0;
};

using MunicipalityId = Id<struct MunicipalityTag>;
using ActorId = Id<struct ActorTag>;
using TieId = Id<struct TieTag>;
using ChallengeId = Id<struct ChallengeTag>;
using CoalitionId = Id<struct CoalitionTag>;
using ProposalId = Id<struct ProposalTag>;
using RoundId = Id<struct RoundTag>;
using BallotId = Id<struct BallotTag>;
using ExperimentId = Id<struct ExperimentTag>;
using IndicatorId = Id<struct IndicatorTag>;
using UserId = Id<struct UserTag>;

}  // namespace weefsel

template <typename Tag>
struct std::hash<weefsel::Id<Tag>> {
  size_t operator()(weefsel::Id<Tag> id) const noexcept { return std::hash<int64_t>{}(id.value()); }
};
