// service/open_data.h: the municipality's open-data export: every public entity as CSV and JSON,
// each closed round as a Pabulib .pb file with anonymous ballots, and the fabric as GraphML, with
// a Frictionless `datapackage.json` that lists and describes every file.
//
// Privacy is the point of this module. Personal data never leaves through it: no users, e-mail
// addresses, display names, role grants or sessions are read at all; ballots appear only in the
// .pb files of rounds whose voting has closed (phase allocation or published), with voters
// renumbered 1..n in an order that depends only on the ballots' content (not on who voted, or
// when); free-text fields (descriptions, plans, comments, outcomes) have e-mail addresses and
// Dutch phone numbers replaced by "[verwijderd]"; private tie notes are left out. The
// municipalities, actors, ties, challenges, coalition members and measurements files have exactly
// the public fields of their field tables (domain/fields/entity_fields.h, through
// service/field_files.h); the others are views whose columns are named public fields of the tables
// (a proposal's with its current version's, a round's with its counts); `municipality` is an id in
// every file, with the CBS code beside it in `municipality_cbs_code`.
//
// The export is all-or-nothing: files are written into a fresh sibling directory which is renamed
// to `dir` only when every file is complete; `dir` must not exist yet (or be empty). The files go
// through a FileSystem (base/env.h): the disk for the CLI, a MemFileSystem for the API's feed
// (service/open_data_feed.h) and tests.
// Thread-safety: uses the Store it is given, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "domain/model.h"
#include "service/core/store_fwd.h"

namespace weefsel::service {

struct OpenDataReport {
  std::vector<std::string> files;  // relative to the export directory, sorted
  int64_t records = 0;             // rows written over all CSV tables
  int rounds_exported = 0;         // .pb files (closed rounds only)
  int rounds_withheld = 0;         // rounds still open for voting: no ballots exported
};

Result<OpenDataReport> ExportOpenData(storage::Store& store, const std::string& dir,
                                      FileSystem& files = DiskFileSystem::Default());

// Forgets who voted and when (voter, ballot id and time cleared) and orders the ballots by their
// content, so that neither the order nor the numbering follows who cast them or when.
std::vector<domain::Ballot> AnonymiseBallots(std::vector<domain::Ballot> ballots);

// The round as a Pabulib .pb file with anonymous ballots (voters 1..n after AnonymiseBallots) and
// META naming the round, the municipality (`unit`), the rule and the ballot limits.
Result<std::string> AnonymousRoundPb(const domain::Round& round, std::vector<domain::Ballot> ballots,
                                     const std::string& unit);

// Replaces e-mail addresses and phone numbers in free text by "[verwijderd]" (exposed for tests).
std::string ScrubPersonalData(const std::string& text);

}  // namespace weefsel::service
