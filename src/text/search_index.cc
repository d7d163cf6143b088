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
  auto less = [](const std::pair<int32_t, int32_t>& p, int32_t d) { return p.first < d; };
  std::unordered_set<std::string> gone(old_terms.begin(), old_terms.end());
  for (const auto& t : gone) {
    auto it = term_ids_.find(t);
    if (it == term_ids_.end()) continue;
    auto& list = postings_[static_cast<size_t>(it->second)];
    auto p = std::lower_bound(list.begin(), list.end(), doc, less);
    if (p != list.end() && p->first == doc) list.erase(p);
  }
  std::map<int32_t, int32_t> tf;
  for (const auto& t : new_terms) {
    auto [it, inserted] = term_ids_.emplace(t, static_cast<int32_t>(postings_.size()));
    if (inserted) postings_.emplace_back();
    ++tf[it->second];
  }
  for (auto [term, n] : tf) {
    auto& list = postings_[static_cast<size_t>(term)];
    list.insert(std::lower_bound(list.begin(), list.end(), doc, less), {doc, n});
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
  // Dense accumulator with a touched list: common terms reach many documents. A replaced
  // document's postings are skipped (a flag per document) and its new terms scored instead.
  thread_local std::vector<double> acc;
  thread_local std::vector<char> skip;
  thread_local std::vector<int32_t> touched;
  if (acc.size() < doc_len_.size()) acc.assign(doc_len_.size(), 0.0);
  if (skip.size() < doc_len_.size()) skip.assign(doc_len_.size(), 0);
  touched.clear();
  double avg = avg_len_;
  std::vector<std::pair<int32_t, const std::vector<std::string>*>> fresh;
  if (!replaced.empty()) {
    double total = total_len_;
    for (const auto& [doc, terms] : replaced) {
      if (doc < 0 || static_cast<size_t>(doc) >= doc_len_.size() || skip[doc]) continue;
      skip[doc] = 1;
      fresh.emplace_back(doc, &terms);
      total += static_cast<double>(terms.size()) - doc_len_[static_cast<size_t>(doc)];
    }
    avg = doc_len_.empty() ? 1 : std::max(1.0, total / static_cast<double>(doc_len_.size()));
  }
  auto add = [&](int32_t doc, double idf, double tf, double len) {
    const double norm = params_.k1 * (1 - params_.b + params_.b * len / avg);
    if (acc[doc] == 0.0) touched.push_back(doc);
    acc[doc] += idf * tf * (params_.k1 + 1) / (tf + norm) + 1e-300;
  };
  std::unordered_set<std::string_view> seen;
  for (const auto& qt : query_terms) {
    if (!seen.insert(qt).second) continue;
    auto it = term_ids_.find(qt);
    const double idf = !replaced.empty() ? Idf(qt, replaced) : it == term_ids_.end() ? 0 : idf_[it->second];
    if (idf <= 0) continue;
    if (it != term_ids_.end())
      for (auto [doc, tf] : postings_[it->second])
        if (!skip[doc]) add(doc, idf, tf, doc_len_[doc]);
    for (const auto& [doc, terms] : fresh)
      if (const auto tf = std::count(terms->begin(), terms->end(), qt); tf > 0)
        add(doc, idf, static_cast<double>(tf), static_cast<double>(terms->size()));
  }
  for (const auto& [doc, terms] : fresh) skip[doc] = 0;
  std::vector<std::pair<int32_t, double>> out;
  out.reserve(touched.size());
  for (int32_t doc : touched) {
    out.push_back({doc, acc[doc]});
    acc[doc] = 0.0;
  }
  return out;
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
