// text/search_index.h: full-text search with BM25 ranking, backed by Xapian, updated incrementally.
//
// SearchIndex keeps one Xapian document per caller id (an actor, a challenge). Documents are
// indexed with weefsel's own Analyzer terms (so Dutch compounds are split and diacritics folded
// the same way at index and at query time), and a query is the OR of its analysed terms ranked
// by Xapian's BM25Weight. Upsert replaces a document in place; Remove deletes it; both are visible
// to the next Search without a rebuild. The index lives in memory or in a Xapian database folder.
//
// TermIndex is the same idea without Xapian: an in-memory inverted index with BM25 that the
// evaluation and the matcher use when they build the whole index at once and query it many
// times (it is several times faster than going through Xapian for that pattern).
//
// Thread-safety: SearchIndex is not thread-safe (one thread at a time; Xapian's rule). A finalised
// TermIndex is immutable and may be queried from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "text/analyzer.h"

namespace weefsel::text {

struct Hit {
  int64_t id = 0;
  double score = 0;
};

class SearchIndex {
 public:
  ~SearchIndex();
  SearchIndex(SearchIndex&&) noexcept;
  SearchIndex& operator=(SearchIndex&&) noexcept;

  // A private in-memory index.
  static Result<SearchIndex> InMemory(std::shared_ptr<const Analyzer> analyzer = nullptr);
  // A Xapian database folder, created when missing; Unavailable names the folder on failure.
  static Result<SearchIndex> OpenFolder(const std::string& dir, std::shared_ptr<const Analyzer> analyzer = nullptr);

  // Adds or replaces document `id` (> 0). An empty text indexes nothing but keeps the id known.
  Status Upsert(int64_t id, std::string_view text, Language lang);
  Status Upsert(int64_t id, std::string_view text) { return Upsert(id, text, DetectLanguage(text)); }
  Status Remove(int64_t id);  // NotFound when the id was never added
  Status Commit();            // flushes a folder index to disk (no-op in memory)

  // Best `k` documents for `query`, highest BM25 first; InvalidArgument for a query with no
  // searchable words (empty, or only stopwords).
  Result<std::vector<Hit>> Search(std::string_view query, size_t k) const;
  Result<std::vector<Hit>> Search(std::string_view query, Language lang, size_t k) const;
  size_t size() const;

 private:
  struct Impl;
  explicit SearchIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// In-memory BM25 over analysed terms. Add documents, Finalize once, then Score.
class TermIndex {
 public:
  struct Params {
    double k1 = 1.2;
    double b = 0.75;
  };
  TermIndex() = default;
  explicit TermIndex(Params p) : params_(p) {}

  // Adds a document (dense ids 0..n-1 in order of addition are returned).
  int32_t Add(const std::vector<std::string>& terms);
  // Replaces the terms of document `doc` (`old_terms`: those it was added or last replaced with;
  // repeated terms as Add took them). Call Finalize() again after Add or Replace, before scoring
  // (it refreshes IDF and the average length: O(terms + documents), no posting is rebuilt). The
  // scores are then those of an index built afresh with the new terms.
  void Replace(int32_t doc, const std::vector<std::string>& old_terms, const std::vector<std::string>& new_terms);
  void Finalize();

  // BM25 scores of every document that shares a term with `query_terms` (repeated query terms
  // count once). Unordered; documents with no shared term are absent.
  std::vector<std::pair<int32_t, double>> Score(const std::vector<std::string>& query_terms) const;
  // BM25 score of a document outside the index (its terms as Add would take them) under the
  // index's statistics (IDF, average length): to score a variant of an indexed document.
  double ScoreOutside(const std::vector<std::string>& doc_terms, const std::vector<std::string>& query_terms) const;
  // Inverse document frequency of a term (0 for an unknown term).
  double Idf(const std::string& term) const;
  size_t size() const { return doc_len_.size(); }

  // Documents' terms replaced for one query: (document, its terms as Add would take them), each
  // document at most once.
  using Replacements = std::vector<std::pair<int32_t, std::vector<std::string>>>;
  // Score and Idf as an index built with the documents in `replaced` holding the given terms would
  // give them (their document frequencies, IDF and the average length), the index unchanged: to
  // rank a challenge without its own past work in its members' text, which would otherwise also
  // lower the IDF of the challenge's own words. With no replacements, the same as Score and Idf.
  std::vector<std::pair<int32_t, double>> Score(const std::vector<std::string>& query_terms,
                                                const Replacements& replaced) const;
  double Idf(const std::string& term, const Replacements& replaced) const;

  // A query prepared once for ScoreSelective and ScoreDocument: its distinct terms in order with
  // their IDF (under `replaced`, which must outlive it) and the average length. Cheap: no posting
  // is read.
  struct Query {
    struct Term {
      const std::string* text = nullptr;
      int32_t id = -1;  // -1: not in the index (only replaced documents may hold it)
      double idf = 0;
      size_t df = 0;  // documents in the index holding it
    };
    std::vector<Term> terms;  // distinct, in query order, IDF > 0
    size_t unknown = 0;       // distinct words with no IDF (no document holds them)
    double avg = 1;
    std::vector<std::pair<int32_t, const std::vector<std::string>*>> fresh;  // replaced documents
  };
  Query Prepare(const std::vector<std::string>& query_terms, const Replacements& replaced = {}) const;
  // Score, except for the query's most common terms: the terms held by the most documents are left
  // out while the sum of their bounds stays within `skip_budget` (a term adds at most IDF x (k1 + 1)
  // to any document), and `*skipped` is that sum: each document's Score lies in [its partial score,
  // partial + *skipped], and documents that only the skipped terms reach are absent. Only terms
  // held by at least `min_df` documents are left out. With a budget of 0, the same as Score.
  std::vector<std::pair<int32_t, double>> ScoreSelective(const Query& query, double skip_budget, size_t min_df,
                                                         double* skipped) const;
  // One document's Score for the whole query, bit for bit (the same sum in the same order).
  double ScoreDocument(const Query& query, int32_t doc) const;

 private:
  Params params_;
  std::unordered_map<std::string, int32_t> term_ids_;
  std::vector<std::vector<std::pair<int32_t, int32_t>>> postings_;  // term -> (doc, tf)
  std::vector<int32_t> doc_len_;
  std::vector<double> idf_;
  double avg_len_ = 1;
  double total_len_ = 0;
  bool finalized_ = false;
};

}  // namespace weefsel::text
