// service/demo.h: a realistic demo city, generated deterministically from a seed.
//
// GenerateDemo builds municipalities (real CBS codes, names, populations and 2021 indicators of
// twelve Dutch municipalities, embedded; or all 342 from the CBS file for a national demo), actors with generated
// Dutch-style names (marked `generated`), kinds in realistic proportions, themes and capabilities that fit each kind,
// ties from shared area and themes with a heavy-tailed (Pareto) degree distribution, and
// challenges derived from each municipality's indicators where it lies above the national mean.
// The same options give the same city, byte for byte. Pure: no I/O. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"

namespace weefsel::storage {
class Store;
}

namespace weefsel::service {

struct DemoOptions {
  uint64_t seed = 1;
  int municipalities = 4;  // the first N of the embedded list (1..12), largest first
  int actors = 1500;       // total, spread over municipalities by population
  int challenges_per_municipality = 3;
  // National: the text of ../shared/data/nl/gemeenten_2025.csv (all 342 municipalities with their
  // real populations and indicators); then `municipalities` is ignored. Empty: the embedded twelve.
  std::string national_csv;
  std::string national_csv_name;  // for errors: "file line N, column X: ..."
  // Tie stubs an actor draws per unit of its (heavy-tailed) activity; partners repeat and are
  // merged, so ties per actor come out lower. 0.8 gives about 1.7 ties per actor; `weefsel demo
  // --national` uses kNationalTieStubs, about 4 per actor (a million for 250,000 actors).
  double tie_stubs = 0.8;
  static constexpr double kNationalTieStubs = 1.8;
};

struct DemoCity {
  std::vector<domain::Municipality> municipalities;
  std::vector<domain::Actor> actors;          // ids set 1..N
  std::vector<domain::Tie> ties;              // refer to actor ids
  std::vector<domain::Challenge> challenges;  // refer to municipality ids 1..M
};

Result<DemoCity> GenerateDemo(const DemoOptions& options);

// Writes a generated city into an empty store in one transaction; ids are kept.
Status LoadDemo(storage::Store& store, DemoCity& city);

}  // namespace weefsel::service
