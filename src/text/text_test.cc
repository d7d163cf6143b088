#include <gtest/gtest.h>

#include <algorithm>

#include "text/analyzer.h"
#include "text/search_index.h"

namespace weefsel::text {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Tokenize, FoldsCaseAndDiacriticsAndSplitsOnPunctuation) {
  auto t = Tokenize("Energiecoöperatie «Zon-Noord» – één café, 2026!");
  EXPECT_EQ(t, (std::vector<std::string>{"energiecooperatie", "zon", "noord", "een", "cafe", "2026"}));
}

TEST(Tokenize, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize(" ,.;!? — ").empty());
}

TEST(Language, DetectsDutchAndEnglish) {
  EXPECT_EQ(DetectLanguage("Eenzaamheid onder ouderen in de wijk tegengaan met buurtbewoners"), Language::kDutch);
  EXPECT_EQ(DetectLanguage("Reducing loneliness among older people in the neighbourhood"), Language::kEnglish);
  EXPECT_EQ(ParseLanguage("NL").value(), Language::kDutch);
  EXPECT_FALSE(ParseLanguage("fr").ok());
}

TEST(Stopwords, DroppedPerLanguage) {
  Analyzer a(nullptr);
  auto nl = a.Analyze("de zorg voor het huis", Language::kDutch);
  EXPECT_FALSE(Has(nl, "de"));
  EXPECT_FALSE(Has(nl, "voor"));
  EXPECT_TRUE(Has(nl, "zorg"));
}

TEST(CompoundSplitter, SplitsWithLinkingMorphemes) {
  auto s = CompoundSplitter::FromWords({"ouder", "oudere", "zorg", "energie", "coöperatie", "thuis", "jeugd", "bel"});
  EXPECT_EQ(s->Split("ouderenzorg"), (std::vector<std::string>{"ouder", "zorg"}));
  EXPECT_EQ(s->Split("energiecooperatie"), (std::vector<std::string>{"energie", "cooperatie"}));
  EXPECT_EQ(s->Split("thuiszorg"), (std::vector<std::string>{"thuis", "zorg"}));
  EXPECT_TRUE(s->Split("zorg").empty());
  EXPECT_TRUE(s->Split("beleid").empty());  // "bel" + "eid": eid is not a word
}

TEST(CompoundSplitter, RealHunspellDictionary) {
  auto s = CompoundSplitter::Default();
  if (!s) GTEST_SKIP() << "/usr/share/hunspell/nl.dic not installed";
  EXPECT_GT(s->size(), 100000u);
  auto parts = s->Split("energiecooperatie");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], "cooperatie");
  auto zorg = s->Split("ouderenzorg");
  ASSERT_FALSE(zorg.empty());
  EXPECT_EQ(zorg.back(), "zorg");
  EXPECT_FALSE(CompoundSplitter::FromHunspell("/nonexistent/nl.dic").ok());
}

TEST(Analyzer, CompoundMeetsItsPhrase) {
  Analyzer a;
  if (!a.splitter()) GTEST_SKIP() << "no Dutch word list";
  auto compound = a.Analyze("ouderenzorg", Language::kDutch);
  auto phrase = a.Analyze("zorg voor ouderen", Language::kDutch);
  int shared = 0;
  for (const auto& t : phrase) shared += Has(compound, t);
  EXPECT_EQ(shared, 2) << "both 'zorg' and 'ouderen' should meet the compound";
  auto coop = a.Analyze("Energiecoöperatie", Language::kDutch);
  EXPECT_TRUE(Has(coop, a.Stem("cooperatie", Language::kDutch)));
}

TEST(SearchIndex, Bm25RanksAndUpdatesIncrementally) {
  auto idx = SearchIndex::InMemory();
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  ASSERT_TRUE(idx->Upsert(1, "Thuiszorg en ouderenzorg in Noord", Language::kDutch).ok());
  ASSERT_TRUE(idx->Upsert(2, "Zonnepanelen voor de energiecoöperatie", Language::kDutch).ok());
  ASSERT_TRUE(idx->Upsert(3, "Sportclub voor jongeren", Language::kDutch).ok());
  EXPECT_EQ(idx->size(), 3u);
  auto hits = idx->Search("zorg voor ouderen", Language::kDutch, 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().id, 1);
  auto coop = idx->Search("coöperatie", Language::kDutch, 10);
  ASSERT_TRUE(coop.ok());
  ASSERT_EQ(coop->size(), 1u);
  EXPECT_EQ(coop->front().id, 2);
  // Replace document 2 in place: the old words no longer find it.
  ASSERT_TRUE(idx->Upsert(2, "Buurthuis voor jongeren", Language::kDutch).ok());
  EXPECT_EQ(idx->size(), 3u);
  EXPECT_TRUE(idx->Search("coöperatie", Language::kDutch, 10)->empty());
  ASSERT_TRUE(idx->Remove(3).ok());
  EXPECT_EQ(idx->Remove(3).code(), StatusCode::kNotFound);
  auto jong = idx->Search("jongeren", Language::kDutch, 10);
  ASSERT_EQ(jong->size(), 1u);
  EXPECT_EQ(jong->front().id, 2);
  EXPECT_EQ(idx->Search("de het een", Language::kDutch, 10).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(idx->Upsert(0, "x").ok());
}

TEST(TermIndex, Bm25PrefersRareTermsAndShortDocs) {
  TermIndex ti;
  ti.Add({"zorg", "ouder"});
  ti.Add({"zorg", "energie", "zon", "wind", "dak"});
  ti.Add({"sport"});
  ti.Finalize();
  auto s = ti.Score({"ouder", "zorg"});
  ASSERT_EQ(s.size(), 2u);
  std::sort(s.begin(), s.end(), [](auto a, auto b) { return a.second > b.second; });
  EXPECT_EQ(s[0].first, 0);
  EXPECT_GT(ti.Idf("ouder"), ti.Idf("zorg"));
  EXPECT_EQ(ti.Idf("nope"), 0);
}

// The same documents with the same scores (to 1e-12), in any order.
void ExpectSameScores(std::vector<std::pair<int32_t, double>> a, std::vector<std::pair<int32_t, double>> b,
                      const std::string& label) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  ASSERT_EQ(a.size(), b.size()) << label;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first) << label;
    EXPECT_NEAR(a[i].second, b[i].second, 1e-12) << label;
  }
}

// Replace and Add after Finalize give the scores of an index built afresh with the new terms.
TEST(TermIndex, ReplaceAndAddScoreLikeAFreshIndex) {
  std::vector<std::vector<std::string>> docs = {
      {"zorg", "ouderen", "wijk"}, {"energie", "zon", "zon"}, {"zorg", "jongeren"}, {"sport", "wijk", "zorg"}};
  TermIndex live;
  for (const auto& d : docs) live.Add(d);
  live.Finalize();
  // Document 1 changes (a new term, a term gone, another doubled); a fifth document arrives.
  std::vector<std::string> changed = {"zorg", "eenzaamheid", "wijk", "wijk"};
  live.Replace(1, docs[1], changed);
  live.Finalize();
  docs[1] = changed;
  // Document 3 keeps a word as it was (wijk), keeps one with another count (sport), loses one (zorg)
  // and gains one (fiets).
  std::vector<std::string> edited = {"sport", "fiets", "wijk", "sport"};
  live.Replace(3, docs[3], edited);
  live.Finalize();
  docs[3] = edited;
  docs.push_back({"eenzaamheid", "ouderen"});
  live.Add(docs.back());
  live.Finalize();
  TermIndex fresh;
  for (const auto& d : docs) fresh.Add(d);
  fresh.Finalize();
  for (const std::vector<std::string>& q :
       {std::vector<std::string>{"zorg"}, {"zon"}, {"eenzaamheid", "wijk"}, {"ouderen", "zorg", "sport"}, {"fiets"}}) {
    ExpectSameScores(live.Score(q), fresh.Score(q), q[0]);
    for (const auto& t : q) EXPECT_NEAR(live.Idf(t), fresh.Idf(t), 1e-12) << t;
  }
  EXPECT_TRUE(live.Score({"zon"}).empty()) << "the replaced text's old terms no longer find it";
}

// Score and Idf with replacements give what an index built with the replaced documents' terms
// gives (IDF, average length), the index itself unchanged; none: the plain Score and Idf.
TEST(TermIndex, ReplacementsScoreLikeAnIndexBuiltWithThem) {
  std::vector<std::vector<std::string>> docs = {{"zorg", "ouderen", "wijk", "eenzaamheid"},
                                                {"energie", "zon", "eenzaamheid", "eenzaamheid"},
                                                {"zorg", "jongeren"},
                                                {"sport", "wijk", "zorg", "eenzaamheid"}};
  TermIndex live;
  for (const auto& d : docs) live.Add(d);
  live.Finalize();
  // Documents 1 and 3 without their "eenzaamheid" (as an actor's text without one past challenge).
  const TermIndex::Replacements replaced = {{1, {"energie", "zon"}}, {3, {"sport", "wijk", "zorg"}}};
  TermIndex fresh;
  for (size_t d = 0; d < docs.size(); ++d) fresh.Add(d == 1 || d == 3 ? replaced[d == 1 ? 0 : 1].second : docs[d]);
  fresh.Finalize();
  for (const std::vector<std::string>& q : {std::vector<std::string>{"eenzaamheid"},
                                            {"eenzaamheid", "wijk", "eenzaamheid"},
                                            {"zon", "zorg"},
                                            {"nergens"}}) {
    ExpectSameScores(live.Score(q, replaced), fresh.Score(q), q[0]);
    for (const auto& t : q) EXPECT_NEAR(live.Idf(t, replaced), fresh.Idf(t), 1e-12) << t;
  }
  EXPECT_GT(live.Idf("eenzaamheid", replaced), live.Idf("eenzaamheid")) << "fewer documents hold it";
  // Without replacements: Score and Idf as they are.
  auto plain = live.Score({"eenzaamheid", "zorg"}), none = live.Score({"eenzaamheid", "zorg"}, {});
  std::sort(plain.begin(), plain.end());
  std::sort(none.begin(), none.end());
  EXPECT_EQ(plain, none);
  EXPECT_EQ(live.Idf("zorg", {}), live.Idf("zorg"));
}

// The per-thread term cache keys on the splitter: two analyzers with different word lists on one
// thread each split by their own.
TEST(Analyzer, TermCacheKeepsAnalyzersApart) {
  Analyzer with(CompoundSplitter::FromWords({"ouderen", "zorg"}));
  Analyzer without(CompoundSplitter::FromWords({"energie"}));
  auto a = with.Analyze("ouderenzorg", Language::kDutch);
  auto b = without.Analyze("ouderenzorg", Language::kDutch);
  EXPECT_GT(a.size(), b.size());
  EXPECT_EQ(with.Analyze("ouderenzorg", Language::kDutch), a) << "a cached token gives what it gave first";
  EXPECT_EQ(without.Analyze("ouderenzorg", Language::kDutch), b);
  AnalyzerOptions no_stem;
  no_stem.stem = false;
  Analyzer plain(CompoundSplitter::FromWords({"ouderen", "zorg"}), no_stem);
  EXPECT_EQ(plain.Analyze("ouderenzorg", Language::kDutch),
            (std::vector<std::string>{"ouderenzorg", "ouderen", "zorg"}));
}

}  // namespace
}  // namespace weefsel::text
