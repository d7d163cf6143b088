// text/analyzer.h: Dutch and English text analysis for matching and search.
//
// An Analyzer turns free text into index terms: it tokenises UTF-8 text (lower case, Latin
// diacritics folded, so "Coöperatie" and "cooperatie" are one token), drops Dutch and English
// stopwords, stems with the Snowball stemmers (Xapian's "dutch" and "english"), and, for Dutch,
// splits compounds with a dictionary (CompoundSplitter) so that "ouderenzorg" also yields the terms
// of "ouderen" and "zorg", and "energiecoöperatie" those of "energie" and "coöperatie". The whole
// compound stays a term too. DetectLanguage guesses nl or en from stopword and letter evidence.
//
// Ownership: an Analyzer owns its stemmers and shares one immutable CompoundSplitter.
// Thread-safety: Analyze() and the free functions are const and safe to call from many threads
// on one Analyzer (the Xapian stemmers are thread_local; the splitter is immutable).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/status.h"

namespace weefsel::text {

enum class Language { kDutch, kEnglish };
std::string_view LanguageCode(Language l);           // "nl", "en"
Result<Language> ParseLanguage(std::string_view s);  // "nl", "en" (any case)

// Tokens: maximal runs of letters and digits after FoldCase; non-ASCII letters that FoldCase
// leaves alone (Greek, Cyrillic, ...) are kept inside tokens. Tokens of one character are dropped.
std::vector<std::string> Tokenize(std::string_view utf8);

bool IsStopword(std::string_view folded_token, Language lang);

// nl or en by counting stopwords of each language (ties and empty text: Dutch, weefsel's default).
Language DetectLanguage(std::string_view utf8);

// Dictionary decompounding for Dutch. The word list is hunspell's nl.dic (affix flags stripped,
// folded); a word splits into two or more known words, each at least 3 letters and the last at
// least 4, optionally joined by the linking morphemes "s", "e" or "en" (ouder+en+zorg). The split
// with the fewest parts wins, then the one with the longest head (last part).
class CompoundSplitter {
 public:
  // Reads a hunspell .dic file; NotFound/InvalidArgument name the file and line.
  static Result<std::shared_ptr<const CompoundSplitter>> FromHunspell(const std::string& path);
  // From a plain list of words (tests).
  static std::shared_ptr<const CompoundSplitter> FromWords(const std::vector<std::string>& words);
  // The default: /usr/share/hunspell/nl.dic, loaded once; nullptr when it cannot be read.
  static std::shared_ptr<const CompoundSplitter> Default();

  // Parts of a folded word, or empty when it does not split.
  std::vector<std::string> Split(std::string_view folded_word) const;
  bool Contains(std::string_view folded_word) const { return words_.contains(folded_word); }
  size_t size() const { return words_.size(); }
  // Unique per splitter made in this process (Analyzer's per-thread term cache is keyed by it).
  uint64_t serial() const { return serial_; }

  CompoundSplitter();

 private:
  // Looked up by string_view (no string made per candidate part: Split tries O(n^2) of them).
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> words_;
  uint64_t serial_;
};

struct AnalyzerOptions {
  bool stem = true;
  bool drop_stopwords = true;
  bool split_compounds = true;  // Dutch only
};

class Analyzer {
 public:
  // `splitter` may be null (no decompounding); Analyzer() uses CompoundSplitter::Default().
  Analyzer();
  explicit Analyzer(std::shared_ptr<const CompoundSplitter> splitter, AnalyzerOptions options = {});

  // Index terms of `text` in `lang`; compound parts follow the compound they came from.
  std::vector<std::string> Analyze(std::string_view text, Language lang) const;
  // Same, detecting the language first.
  std::vector<std::string> Analyze(std::string_view text) const { return Analyze(text, DetectLanguage(text)); }
  // One folded token to its stem (no stopword test, no splitting).
  std::string Stem(std::string_view folded_token, Language lang) const;

  const CompoundSplitter* splitter() const { return splitter_.get(); }

 private:
  std::shared_ptr<const CompoundSplitter> splitter_;
  AnalyzerOptions options_;
};

}  // namespace weefsel::text
