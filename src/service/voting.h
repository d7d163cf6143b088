// service/voting.h: the pieces of fair votes that need no store: one-time voting codes, the census
// file's format, keyed hashes and the mail-merge file (docs/decisions/0004-secret-ballot.md,
// docs/data-formats.md "Census file").
//
// A voting code is 12 characters of a 32-letter alphabet without 0, O, 1 and I (60 random bits),
// written in three groups of four ("7KQM-4XRT-H2PW"); a voter may type it with or without dashes
// or spaces, in either case. Codes and census lines are stored only as keyed BLAKE2b hashes: the
// key is derived from the server's vote key (a secret outside the database; may be empty) and the
// round's random salt, so a database alone does not let anyone test a guessed BSN.
// Randomness comes from a RandomBytes function (libsodium's randombytes_buf by default) that a
// test may replace.
// Thread-safety: pure functions (the default randomness is thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace weefsel::service::voting {

using RandomBytes = std::function<void(unsigned char* out, size_t n)>;
RandomBytes SystemRandom();  // libsodium's randombytes_buf

inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr size_t kCodeLength = 12;

// One new code, formatted "XXXX-XXXX-XXXX".
std::string NewCode(const RandomBytes& random);
// A code as typed -> its 12 characters (upper case, no dashes or spaces); InvalidArgument naming
// `code` when it is not one.
Result<std::string> NormalizeCode(std::string_view typed);
// 32 random bytes as hex: a round's salt, a ballot token.
std::string NewSecretHex(const RandomBytes& random);

// The 32-byte key of a round: BLAKE2b keyed with the server's vote key over the round's salt.
std::string RoundKey(std::string_view vote_key, std::string_view salt_hex);
// hex(BLAKE2b-256(key = round key, "<purpose>\n<text>")): purpose "code", "census", "token".
std::string KeyedHash(std::string_view round_key, std::string_view purpose, std::string_view text);

// The identifying fields of a resident, as in the census file and as the voter types them.
struct CensusPerson {
  std::string identifier;  // BSN or another citizen identifier, upper case, no spaces
  std::string postcode;    // "1234AB"
  std::string birth_date;  // "YYYY-MM-DD"
};
// Normalises what a voter typed (spaces and dots out, upper case); InvalidArgument naming the
// field ("census.identifier", "census.postcode", "census.birth_date") when it cannot be right.
Result<CensusPerson> NormalizePerson(std::string_view identifier, std::string_view postcode,
                                     std::string_view birth_date);
// The text that is hashed for a person: "identifier|postcode|birth_date".
std::string PersonKey(const CensusPerson& p);

struct CensusLine {
  int line = 0;  // in the file
  CensusPerson person;
  std::string wijk;
};
// A census file: a header naming the columns identificatie, postcode, geboortedatum and wijk (in
// any order; Dutch or English names: identifier, birth_date), separated by ';' or ',' (the
// header's separator), then one resident per line. Every line is checked; the first error is an
// InvalidArgument "census line N, field F: what" and no line is returned. A person twice is an
// error naming both lines. At most `max_lines` residents.
Result<std::vector<CensusLine>> ParseCensus(std::string_view text, size_t max_lines = 200000);

// Age in whole years on `today` ("YYYY-MM-DD") of someone born on `birth_date`.
int AgeOn(std::string_view birth_date, std::string_view today);

// The mail-merge file of new codes: a header "code;wijk;brief" and per code its wijk and a Dutch
// letter line naming the round and the municipality. Spreadsheet-safe cells.
struct LetterCode {
  std::string code, wijk;
};
std::string MailMergeCsv(const std::vector<LetterCode>& codes, std::string_view round_name,
                         std::string_view municipality_name);

}  // namespace weefsel::service::voting
