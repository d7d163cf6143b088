// domain/testing/world.h: builders for the domain values tests make (issue 22: the test kit, in
// place of a MakeActor written into each test file). Each builder starts from a valid value with a
// readable name and sets only what the test says:
//
//   std::vector<domain::Actor> actors = {AnActor(1).Kind(K::kCompany).Themes({"energie"}),
//                                        AnActor(2).Named("Buurtkracht").In(1)};
//   std::vector<domain::Tie> ties = {ATie(1, 2), ATie(2, 3).Weight(2).Since("2024-01-01")};
//
// Header-only, for tests and benchmarks; no library links it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/model.h"

namespace weefsel::world {

using domain::Actor;
using domain::ActorKind;
using domain::Tie;

class ActorBuilder {
 public:
  explicit ActorBuilder(int id) {
    a_.id = ActorId(id);
    a_.name = "actor " + std::to_string(id);
  }
  ActorBuilder& Named(std::string name) { return Set(a_.name, std::move(name)); }
  ActorBuilder& Kind(ActorKind kind) { return Set(a_.kind, kind); }
  ActorBuilder& In(int municipality) { return Set(a_.municipality, MunicipalityId(municipality)); }
  ActorBuilder& Themes(std::vector<std::string> themes) { return Set(a_.themes, std::move(themes)); }
  ActorBuilder& Capabilities(std::vector<std::string> caps) { return Set(a_.capabilities, std::move(caps)); }
  ActorBuilder& Described(std::string text) { return Set(a_.description, std::move(text)); }
  ActorBuilder& Area(std::string area) { return Set(a_.area, std::move(area)); }
  operator Actor() const { return a_; }  // NOLINT(google-explicit-constructor): a builder reads as its value
  Actor Build() const { return a_; }

 private:
  template <typename F, typename V>
  ActorBuilder& Set(F& field, V&& value) {
    field = std::forward<V>(value);
    return *this;
  }
  Actor a_;
};

class TieBuilder {
 public:
  TieBuilder(int a, int b) {
    t_.a = ActorId(a);
    t_.b = ActorId(b);
  }
  TieBuilder& Weight(double w) {
    t_.weight = w;
    return *this;
  }
  TieBuilder& Since(std::string from) {
    t_.from = std::move(from);
    return *this;
  }
  TieBuilder& Until(std::string until) {
    t_.until = std::move(until);
    return *this;
  }
  operator Tie() const { return t_; }  // NOLINT(google-explicit-constructor): a builder reads as its value
  Tie Build() const { return t_; }

 private:
  Tie t_;
};

// Actor `id`, named "actor <id>", of the model's default kind, with no municipality, themes or capabilities.
inline ActorBuilder AnActor(int id) { return ActorBuilder(id); }
// An undated tie of weight 1 between actors a and b.
inline TieBuilder ATie(int a, int b) { return TieBuilder(a, b); }

}  // namespace weefsel::world
