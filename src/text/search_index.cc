#include "text/search_index.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace weefsel::text {

struct SearchIndex::Impl {
  Xapian::WritableDatabase db;
  std::shared_ptr<const Analyzer> analyzer;
  bool on_disk = false;
};

namespace {
std::string IdTerm(int64_t id) { return "Q" + std::to_string(id); }
// Analysed terms get a prefix so they never collide with the id terms.
std::string WordTerm(const std::string& t) { return "W" + t.substr(0, 200); }
}  // namespace

SearchIndex::SearchIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SearchIndex::~SearchIndex() = default;
SearchIndex::SearchIndex(SearchIndex&&) noexcept = default;
SearchIndex& SearchIndex::operator=(SearchIndex&&) noexcept = default;

Result<SearchIndex> SearchIndex::InMemory(std::shared_ptr<const Analyzer> analyzer) {
  try {
    auto impl = std::make_unique<Impl>();
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    impl->db = Xapian::InMemory::open();  // deprecated in 1.4 but the only in-memory backend
#pragma GCC diagnostic pop
    impl->analyzer = analyzer ? std::move(analyzer) : std::make_shared<Analyzer>();
    return SearchIndex(std::move(impl));
  } catch (const Xapian::Error& e) {
    return Status::Internal("search index in memory: " + e.get_description());
  }
}

Result<SearchIndex> SearchIndex::OpenFolder(const std::string& dir, std::shared_ptr<const Analyzer> analyzer) {
  try {
    auto impl = std::make_unique<Impl>();
    impl->db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
    impl->analyzer = analyzer ? std::move(analyzer) : std::make_shared<Analyzer>();
    impl->on_disk = true;
    return SearchIndex(std::move(impl));
  } catch (const Xapian::Error& e) {
    return Status::Unavailable("search index folder " + dir + ": " + e.get_description());
  }
}

Status SearchIndex::Upsert(int64_t id, std::string_view text, Language lang) {
  if (id <= 0) return Status::InvalidArgument("search index: document id must be positive, got " + std::to_string(id));
  try {
    Xapian::Document doc;
    Xapian::termpos pos = 0;
    for (const std::string& t : impl_->analyzer->Analyze(text, lang)) doc.add_posting(WordTerm(t), ++pos);
    doc.add_boolean_term(IdTerm(id));
    doc.set_data(std::to_string(id));
    impl_->db.replace_document(IdTerm(id), doc);
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::Internal("search index upsert " + std::to_string(id) + ": " + e.get_description());
  }
}

Status SearchIndex::Remove(int64_t id) {
  try {
    if (!impl_->db.term_exists(IdTerm(id))) return Status::NotFound("search index: no document " + std::to_string(id));
    impl_->db.delete_document(IdTerm(id));
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::Internal("search index remove " + std::to_string(id) + ": " + e.get_description());
  }
}

Status SearchIndex::Commit() {
  try {
    if (impl_->on_disk) impl_->db.commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::Unavailable("search index commit: " + e.get_description());
  }
}

size_t SearchIndex::size() const { return impl_->db.get_doccount(); }

Result<std::vector<Hit>> SearchIndex::Search(std::string_view query, size_t k) const {
  return Search(query, DetectLanguage(query), k);
}

Result<std::vector<Hit>> SearchIndex::Search(std::string_view query, Language lang, size_t k) const {
  std::vector<std::string> terms = impl_->analyzer->Analyze(query, lang);
  if (terms.empty())
    return Status::InvalidArgument("search query has no searchable words: '" + std::string(query) + "'");
  try {
    std::vector<std::string> wt;
    std::unordered_set<std::string> seen;
    for (const auto& t : terms)
      if (seen.insert(t).second) wt.push_back(WordTerm(t));
    Xapian::Query q(Xapian::Query::OP_OR, wt.begin(), wt.end());
    Xapian::Enquire enquire(impl_->db);
    enquire.set_query(q);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(k));
    std::vector<Hit> out;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      out.push_back({std::stoll(it.get_document().get_data()), it.get_weight()});
    }
    return out;
  } catch (const Xapian::Error& e) {
    return Status::Internal("search: " + e.get_description());
  }
}

// ---- TermIndex ---------------------------------------------------------------------------------

int32_t TermIndex::Add(const std::vector<std::string>& terms) {
  int32_t doc = static_cast<int32_t>(doc_len_.size());
  std::map<int32_t, int32_t> tf;
  for (const auto& t : terms) {
    auto [it, inserted] = term_ids_.emplace(t, static_cast<int32_t>(postings_.size()));
    if (inserted) postings_.emplace_back();
    ++tf[it->second];
  }
  for (auto [term, n] : tf) postings_[term].push_back({doc, n});
  doc_len_.push_back(static_cast<int32_t>(terms.size()));
  finalized_ = false;
  return doc;
}

void TermIndex::Replace(int32_t doc, const std::vector<std::string>& old_terms,
                        const std::vector<std::string>& new_terms) {
  // Postings are sorted by document (Add appends in document order; Replace keeps the order).
  // Only the terms whose count changed are touched: an edit keeps most of a document's words, and
  // the posting list of a word most documents hold is long (250,000 entries on the national demo),
  // so erasing and inserting the document in every list of its words would move megabytes.
  auto less = [](const std::pair<int32_t, int32_t>& p, int32_t d) { return p.first < d; };
  std::unordered_map<std::string_view, int32_t> before, after;
  for (const auto& t : old_terms) ++before[t];
  for (const auto& t : new_terms) ++after[t];
  for (const auto& [t, n] : before) {
    if (auto a = after.find(t); a != after.end() && a->second == n) continue;
    auto it = term_ids_.find(std::string(t));
    if (it == term_ids_.end()) continue;
    auto& list = postings_[static_cast<size_t>(it->second)];
    auto p = std::lower_bound(list.begin(), list.end(), doc, less);
    if (p == list.end() || p->first != doc) continue;
    if (auto a = after.find(t); a != after.end())
      p->second = a->second;  // still there, another count
    else
      list.erase(p);
  }
  for (const auto& [t, n] : after) {
    if (before.count(t)) continue;  // kept, its count set above
    auto [it, inserted] = term_ids_.emplace(std::string(t), static_cast<int32_t>(postings_.size()));
    if (inserted) postings_.emplace_back();
    auto& list = postings_[static_cast<size_t>(it->second)];
    auto p = std::lower_bound(list.begin(), list.end(), doc, less);
    if (p != list.end() && p->first == doc)
      p->second = n;
    else
      list.insert(p, {doc, n});
  }
  doc_len_[static_cast<size_t>(doc)] = static_cast<int32_t>(new_terms.size());
  finalized_ = false;
}

void TermIndex::Finalize() {
  double total = 0;
  for (int32_t l : doc_len_) total += l;
  total_len_ = total;
  avg_len_ = doc_len_.empty() ? 1 : std::max(1.0, total / doc_len_.size());
  idf_.resize(postings_.size());
  const double n = static_cast<double>(doc_len_.size());
  for (size_t t = 0; t < postings_.size(); ++t) {
    double df = static_cast<double>(postings_[t].size());
    idf_[t] = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
  }
  finalized_ = true;
}

double TermIndex::Idf(const std::string& term) const {
  auto it = term_ids_.find(term);
  // A term whose documents were all replaced is as unknown as one never seen.
  return it == term_ids_.end() || !finalized_ || postings_[static_cast<size_t>(it->second)].empty()
             ? 0
             : idf_[static_cast<size_t>(it->second)];
}

double TermIndex::Idf(const std::string& term, const Replacements& replaced) const {
  if (replaced.empty()) return Idf(term);
  if (!finalized_) return 0;
  auto it = term_ids_.find(term);
  const std::vector<std::pair<int32_t, int32_t>>* list =
      it == term_ids_.end() ? nullptr : &postings_[static_cast<size_t>(it->second)];
  double df = list ? static_cast<double>(list->size()) : 0;
  for (const auto& [doc, terms] : replaced) {
    bool had = false;
    if (list) {
      auto p = std::lower_bound(list->begin(), list->end(), doc,
                                [](const std::pair<int32_t, int32_t>& e, int32_t d) { return e.first < d; });
      had = p != list->end() && p->first == doc;
    }
    const bool has = std::find(terms.begin(), terms.end(), term) != terms.end();
    df += static_cast<double>(has) - static_cast<double>(had);
  }
  if (df <= 0) return 0;
  const double n = static_cast<double>(doc_len_.size());
  return std::log(1.0 + (n - df + 0.5) / (df + 0.5));
}

std::vector<std::pair<int32_t, double>> TermIndex::Score(const std::vector<std::string>& query_terms) const {
  return Score(query_terms, {});
}

std::vector<std::pair<int32_t, double>> TermIndex::Score(const std::vector<std::string>& query_terms,
                                                         const Replacements& replaced) const {
  return ScoreSelective(Prepare(query_terms, replaced), 0, 0, nullptr);
}

TermIndex::Query TermIndex::Prepare(const std::vector<std::string>& query_terms, const Replacements& replaced) const {
  Query q;
  q.avg = avg_len_;
  if (!replaced.empty()) {
    double total = total_len_;
    std::unordered_set<int32_t> seen_doc;
    for (const auto& [doc, terms] : replaced) {
      if (doc < 0 || static_cast<size_t>(doc) >= doc_len_.size() || !seen_doc.insert(doc).second) continue;
      q.fresh.emplace_back(doc, &terms);
      total += static_cast<double>(terms.size()) - doc_len_[static_cast<size_t>(doc)];
    }
    q.avg = doc_len_.empty() ? 1 : std::max(1.0, total / static_cast<double>(doc_len_.size()));
  }
  std::unordered_set<std::string_view> seen;
  for (const auto& qt : query_terms) {
    if (!seen.insert(qt).second) continue;
    auto it = term_ids_.find(qt);
    const double idf = !replaced.empty() ? Idf(qt, replaced) : it == term_ids_.end() ? 0 : idf_[it->second];
    if (idf <= 0) {
      ++q.unknown;
      continue;
    }
    const int32_t id = it == term_ids_.end() ? -1 : it->second;
    q.terms.push_back({&qt, id, idf, id < 0 ? 0 : postings_[static_cast<size_t>(id)].size()});
  }
  return q;
}

// One term's BM25 share for a document: the same expression wherever a score is summed, so that
// ScoreDocument repeats ScoreSelective's sums bit for bit (the 1e-300 marks a document touched).
static inline double Bm25Share(const TermIndex::Params& p, double idf, double tf, double len, double avg) {
  const double norm = p.k1 * (1 - p.b + p.b * len / avg);
  return idf * tf * (p.k1 + 1) / (tf + norm) + 1e-300;
}

std::vector<std::pair<int32_t, double>> TermIndex::ScoreSelective(const Query& q, double skip_budget, size_t min_df,
                                                                  double* skipped) const {
  // Dense accumulator with a touched list: common terms reach many documents. A replaced
  // document's postings are skipped (a flag per document) and its new terms scored instead.
  thread_local std::vector<double> acc;
  thread_local std::vector<char> skip;
  thread_local std::vector<int32_t> touched;
  if (acc.size() < doc_len_.size()) acc.assign(doc_len_.size(), 0.0);
  if (skip.size() < doc_len_.size()) skip.assign(doc_len_.size(), 0);
  touched.clear();
  // The terms left out: the most common first, while their bounds fit the budget.
  std::vector<char> left_out(q.terms.size(), 0);
  double bound = 0;
  if (skip_budget > 0) {
    std::vector<size_t> by_df(q.terms.size());
    for (size_t k = 0; k < by_df.size(); ++k) by_df[k] = k;
    std::sort(by_df.begin(), by_df.end(), [&](size_t a, size_t b) {
      return q.terms[a].df != q.terms[b].df ? q.terms[a].df > q.terms[b].df : a < b;
    });
    for (size_t k : by_df) {
      const double ub = q.terms[k].idf * (params_.k1 + 1);
      if (q.terms[k].df < min_df || bound + ub > skip_budget) break;
      bound += ub;
      left_out[k] = 1;
    }
  }
  if (skipped) *skipped = bound;
  for (const auto& [doc, terms] : q.fresh) skip[doc] = 1;
  auto add = [&](int32_t doc, double idf, double tf, double len) {
    if (acc[doc] == 0.0) touched.push_back(doc);
    acc[doc] += Bm25Share(params_, idf, tf, len, q.avg);
  };
  for (size_t k = 0; k < q.terms.size(); ++k) {
    if (left_out[k]) continue;
    const Query::Term& t = q.terms[k];
    if (t.id >= 0)
      for (auto [doc, tf] : postings_[static_cast<size_t>(t.id)])
        if (!skip[doc]) add(doc, t.idf, tf, doc_len_[doc]);
    for (const auto& [doc, terms] : q.fresh)
      if (const auto tf = std::count(terms->begin(), terms->end(), *t.text); tf > 0)
        add(doc, t.idf, static_cast<double>(tf), static_cast<double>(terms->size()));
  }
  for (const auto& [doc, terms] : q.fresh) skip[doc] = 0;
  std::vector<std::pair<int32_t, double>> out;
  out.reserve(touched.size());
  for (int32_t doc : touched) {
    out.push_back({doc, acc[doc]});
    acc[doc] = 0.0;
  }
  return out;
}

double TermIndex::ScoreDocument(const Query& q, int32_t doc) const {
  const std::vector<std::string>* fresh = nullptr;
  for (const auto& [d, terms] : q.fresh)
    if (d == doc) fresh = terms;
  double acc = 0;
  for (const Query::Term& t : q.terms) {
    if (fresh) {
      if (const auto tf = std::count(fresh->begin(), fresh->end(), *t.text); tf > 0)
        acc += Bm25Share(params_, t.idf, static_cast<double>(tf), static_cast<double>(fresh->size()), q.avg);
      continue;
    }
    if (t.id < 0) continue;
    const auto& list = postings_[static_cast<size_t>(t.id)];
    auto p = std::lower_bound(list.begin(), list.end(), doc,
                              [](const std::pair<int32_t, int32_t>& e, int32_t d) { return e.first < d; });
    if (p != list.end() && p->first == doc) acc += Bm25Share(params_, t.idf, p->second, doc_len_[doc], q.avg);
  }
  return acc;
}

double TermIndex::ScoreOutside(const std::vector<std::string>& doc_terms,
                               const std::vector<std::string>& query_terms) const {
  std::unordered_map<std::string, int32_t> tf;
  for (const auto& t : doc_terms) ++tf[t];
  const double norm = params_.k1 * (1 - params_.b + params_.b * static_cast<double>(doc_terms.size()) / avg_len_);
  std::unordered_set<std::string> seen;
  double score = 0;
  for (const auto& qt : query_terms) {
    if (!seen.insert(qt).second) continue;
    auto it = term_ids_.find(qt);
    auto f = tf.find(qt);
    if (it == term_ids_.end() || f == tf.end()) continue;
    score += idf_[it->second] * f->second * (params_.k1 + 1) / (f->second + norm);
  }
  return score;
}

}  // namespace weefsel::text
