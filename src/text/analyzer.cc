#include "text/analyzer.h"

#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <fstream>
#include <mutex>
#include <unordered_map>

#include "base/strings.h"

namespace weefsel::text {
namespace {

// Snowball's Dutch list (as in ../shared/data/nl/stopwoorden_nl_snowball.txt) plus a few
// very common words of challenge texts; folded.
constexpr std::array kDutchStop = {
    "aan",     "al",    "alles",   "als",    "altijd", "andere", "ben",    "bij",   "daar", "dan",    "dat",   "de",
    "der",     "deze",  "die",     "dit",    "doch",   "doen",   "door",   "dus",   "een",  "eens",   "en",    "er",
    "ge",      "geen",  "geweest", "haar",   "had",    "heb",    "hebben", "heeft", "hem",  "het",    "hier",  "hij",
    "hoe",     "hun",   "iemand",  "iets",   "ik",     "in",     "is",     "ja",    "je",   "kan",    "kon",   "kunnen",
    "maar",    "me",    "meer",    "men",    "met",    "mij",    "mijn",   "moet",  "na",   "naar",   "niet",  "niets",
    "nog",     "nu",    "of",      "om",     "omdat",  "onder",  "ons",    "ook",   "op",   "over",   "reeds", "te",
    "tegen",   "toch",  "toen",    "tot",    "u",      "uit",    "uw",     "van",   "veel", "voor",   "want",  "waren",
    "was",     "wat",   "werd",    "wezen",  "wie",    "wil",    "worden", "wordt", "zal",  "ze",     "zelf",  "zich",
    "zij",     "zijn",  "zo",      "zonder", "zou",    "onze",   "hebben", "wij",   "we",   "jullie", "welke", "waar",
    "wanneer", "zoals", "binnen",  "tussen"};
constexpr std::array kEnglishStop = {
    "a",      "about", "above",  "after",   "again",   "against", "all",     "am",      "an",     "and",     "any",
    "are",    "as",    "at",     "be",      "because", "been",    "before",  "being",   "below",  "between", "both",
    "but",    "by",    "can",    "could",   "did",     "do",      "does",    "doing",   "down",   "during",  "each",
    "few",    "for",   "from",   "further", "had",     "has",     "have",    "having",  "he",     "her",     "here",
    "hers",   "him",   "his",    "how",     "i",       "if",      "in",      "into",    "is",     "it",      "its",
    "itself", "just",  "me",     "more",    "most",    "my",      "no",      "nor",     "not",    "now",     "of",
    "off",    "on",    "once",   "only",    "or",      "other",   "our",     "ours",    "out",    "over",    "own",
    "same",   "she",   "should", "so",      "some",    "such",    "than",    "that",    "the",    "their",   "them",
    "then",   "there", "these",  "they",    "this",    "those",   "through", "to",      "too",    "under",   "until",
    "up",     "very",  "was",    "we",      "were",    "what",    "when",    "where",   "which",  "while",   "who",
    "whom",   "why",   "will",   "with",    "would",   "you",     "your",    "towards", "toward", "via",     "new"};

const std::unordered_set<std::string>& StopSet(Language lang) {
  static const std::unordered_set<std::string> nl(kDutchStop.begin(), kDutchStop.end());
  static const std::unordered_set<std::string> en(kEnglishStop.begin(), kEnglishStop.end());
  return lang == Language::kDutch ? nl : en;
}

bool IsTokenByte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; }

bool IsPunctuationCodepoint(std::string_view s, size_t i, size_t* len) {
  // General punctuation (U+2000..U+206F: dashes, quotes, bullets) and a few Latin-1 signs
  // (« » · ¿ ¡ § ° ±, non-breaking space) separate tokens even though they are not ASCII.
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    *len = 3;
    return true;
  }
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x81) {
    *len = 3;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size()) {
    *len = 2;
    return true;  // U+0080..U+00BF: controls, nbsp and Latin-1 signs, never letters
  }
  if (c == 0xC3 && i + 1 < s.size()) {
    unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if (d == 0x97 || d == 0xB7) {  // × ÷
      *len = 2;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view LanguageCode(Language l) { return l == Language::kDutch ? "nl" : "en"; }

Result<Language> ParseLanguage(std::string_view s) {
  std::string f = ToLowerAscii(Trim(s));
  if (f == "nl" || f == "dutch" || f == "nederlands") return Language::kDutch;
  if (f == "en" || f == "english" || f == "engels") return Language::kEnglish;
  return Status::InvalidArgument("language: expected nl or en, got '" + std::string(s) + "'");
}

std::vector<std::string> Tokenize(std::string_view utf8) {
  std::string folded = FoldCase(utf8);
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.size() > 1) out.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i < folded.size();) {
    unsigned char c = static_cast<unsigned char>(folded[i]);
    size_t len = 1;
    if (c >= 0x80 && IsPunctuationCodepoint(folded, i, &len)) {
      flush();
      i += len;
      continue;
    }
    if (IsTokenByte(c)) {
      cur += static_cast<char>(c);
    } else {
      flush();
    }
    ++i;
  }
  flush();
  return out;
}

bool IsStopword(std::string_view folded_token, Language lang) {
  return StopSet(lang).count(std::string(folded_token)) > 0;
}

Language DetectLanguage(std::string_view utf8) {
  int nl = 0, en = 0;
  for (const std::string& t : Tokenize(utf8)) {
    if (StopSet(Language::kDutch).count(t)) ++nl;
    if (StopSet(Language::kEnglish).count(t)) ++en;
    // Letter patterns typical of Dutch words.
    if (t.find("ij") != std::string::npos || t.find("oe") != std::string::npos) ++nl;
    if (t.size() > 4 && (t.ends_with("ing") || t.ends_with("tion") || t.ends_with("ly"))) ++en;
  }
  return en > nl ? Language::kEnglish : Language::kDutch;
}

// ---- CompoundSplitter -------------------------------------------------------------------------

CompoundSplitter::CompoundSplitter() {
  static std::atomic<uint64_t> next{1};
  serial_ = next.fetch_add(1);
}

Result<std::shared_ptr<const CompoundSplitter>> CompoundSplitter::FromHunspell(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot open the hunspell word list");
  auto s = std::make_shared<CompoundSplitter>();
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (lineno == 1 && ParseInt(line)) continue;  // the entry count
    size_t slash = line.find('/');
    std::string_view word = std::string_view(line).substr(0, slash == std::string::npos ? line.size() : slash);
    word = Trim(word);
    if (word.size() < 3 || word.size() > 40) continue;
    unsigned char first = static_cast<unsigned char>(word[0]);
    if (first >= 'A' && first <= 'Z') continue;  // proper names
    if (word.find_first_of(" -.'0123456789") != std::string_view::npos) continue;
    s->words_.insert(FoldCase(word));
  }
  if (s->words_.empty()) return Status::InvalidArgument(path + ": no words read (is it a hunspell .dic file?)");
  return std::shared_ptr<const CompoundSplitter>(std::move(s));
}

std::shared_ptr<const CompoundSplitter> CompoundSplitter::FromWords(const std::vector<std::string>& words) {
  auto s = std::make_shared<CompoundSplitter>();
  for (const auto& w : words) s->words_.insert(FoldCase(w));
  return s;
}

std::shared_ptr<const CompoundSplitter> CompoundSplitter::Default() {
  static std::once_flag once;
  static std::shared_ptr<const CompoundSplitter> instance;
  std::call_once(once, [] {
    auto r = FromHunspell("/usr/share/hunspell/nl.dic");
    if (r.ok()) instance = *r;
  });
  return instance;
}

std::vector<std::string> CompoundSplitter::Split(std::string_view w) const {
  constexpr size_t kMinPart = 3, kMinHead = 4, kMaxParts = 4;
  const size_t n = w.size();
  if (n < kMinPart + kMinHead) return {};
  // best[i]: fewest parts covering w[i..n) (the suffix), ending with a head of >= kMinHead letters;
  // ties prefer the longest first part, which keeps heads long.
  struct Cell {
    int parts = 1 << 20;
    size_t len = 0;   // length of the first part taken at i
    size_t link = 0;  // length of the linking morpheme after it
  };
  std::vector<Cell> best(n + 1);
  for (size_t i = n; i-- > 0;) {
    // The whole suffix as one (head) word.
    if (n - i >= kMinHead && i > 0 && words_.contains(w.substr(i))) best[i] = {1, n - i, 0};
    for (size_t len = kMinPart; i + len < n; ++len) {
      if (!words_.contains(w.substr(i, len))) continue;
      for (size_t link : {size_t{0}, size_t{1}, size_t{2}}) {
        size_t j = i + len + link;
        if (j >= n) break;
        if (link == 1 && w[i + len] != 's' && w[i + len] != 'e') continue;
        if (link == 2 && w.substr(i + len, 2) != "en") continue;
        if (best[j].parts >= (1 << 20)) continue;
        int parts = best[j].parts + 1;
        if (parts > static_cast<int>(kMaxParts)) continue;
        if (parts < best[i].parts || (parts == best[i].parts && len > best[i].len)) best[i] = {parts, len, link};
      }
    }
  }
  // At position 0 the whole word must split into >= 2 parts.
  if (best[0].parts < 2 || best[0].parts >= (1 << 20)) return {};
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < n) {
    const Cell& c = best[i];
    parts.emplace_back(w.substr(i, c.len));
    i += c.len + c.link;
    if (best[i].parts == 1 && i > 0) {
      parts.emplace_back(w.substr(i));
      break;
    }
  }
  return parts;
}

// ---- Analyzer ----------------------------------------------------------------------------------

Analyzer::Analyzer() : Analyzer(CompoundSplitter::Default()) {}

Analyzer::Analyzer(std::shared_ptr<const CompoundSplitter> splitter, AnalyzerOptions options)
    : splitter_(std::move(splitter)), options_(options) {}

std::string Analyzer::Stem(std::string_view token, Language lang) const {
  thread_local Xapian::Stem dutch("dutch");
  thread_local Xapian::Stem english("english");
  return (lang == Language::kDutch ? dutch : english)(std::string(token));
}

std::vector<std::string> Analyzer::Analyze(std::string_view text, Language lang) const {
  // The terms of a token depend only on the token, the language, the options and the splitter, and
  // the same words recur across documents: each thread keeps what each token gave (for the last
  // configuration it analysed with), so that building an index over 250,000 actor texts splits
  // and stems each distinct word once (the splitter tries O(n^2) parts of a word).
  struct TokenCache {
    uint64_t splitter = 0;
    int lang = -1;
    AnalyzerOptions options;
    std::unordered_map<std::string, std::vector<std::string>> terms;
  };
  constexpr size_t kMaxCachedTokens = size_t{1} << 18;
  thread_local TokenCache cache;
  const uint64_t serial = splitter_ ? splitter_->serial() : 0;
  if (cache.splitter != serial || cache.lang != static_cast<int>(lang) || cache.options.stem != options_.stem ||
      cache.options.drop_stopwords != options_.drop_stopwords ||
      cache.options.split_compounds != options_.split_compounds || cache.terms.size() > kMaxCachedTokens) {
    cache.terms.clear();
    cache.splitter = serial;
    cache.lang = static_cast<int>(lang);
    cache.options = options_;
  }
  std::vector<std::string> out;
  for (std::string& tok : Tokenize(text)) {
    auto it = cache.terms.find(tok);
    if (it == cache.terms.end()) {
      std::vector<std::string> terms;
      if (!options_.drop_stopwords || !IsStopword(tok, lang)) {
        terms.push_back(options_.stem ? Stem(tok, lang) : tok);
        if (lang == Language::kDutch && options_.split_compounds && splitter_) {
          for (const std::string& part : splitter_->Split(tok)) {
            if (options_.drop_stopwords && IsStopword(part, lang)) continue;
            terms.push_back(options_.stem ? Stem(part, lang) : part);
          }
        }
      }
      it = cache.terms.emplace(std::move(tok), std::move(terms)).first;
    }
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

}  // namespace weefsel::text
