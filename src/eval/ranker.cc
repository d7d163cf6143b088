#include "eval/ranker.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace weefsel::eval {
namespace {

// Quantile cut points of one feature: a value v falls in bin lower_bound(cuts, v), so bin b holds
// the values in (cuts[b - 1], cuts[b]] and the last bin those above every cut.
std::vector<float> CutsOf(const RankData& d, int f, int bins) {
  const size_t rows = d.rows();
  const size_t stride = std::max<size_t>(1, rows / 200000);  // deterministic sample of big data
  std::vector<float> v;
  v.reserve(rows / stride + 1);
  for (size_t r = 0; r < rows; r += stride) v.push_back(d.x[r * d.n_features + f]);
  std::sort(v.begin(), v.end());
  std::vector<float> distinct = v;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<float> cuts;
  if (static_cast<int>(distinct.size()) <= bins) {
    cuts.assign(distinct.begin(), distinct.end());
  } else {
    for (int b = 1; b < bins; ++b) cuts.push_back(v[v.size() * b / bins]);
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  }
  if (!cuts.empty() && cuts.back() >= distinct.back()) cuts.pop_back();  // nothing above the last cut
  return cuts;
}

struct Bin {
  double g = 0, h = 0;
  uint32_t n = 0;
};

class Trainer {
 public:
  Trainer(const RankData& d, const RankerOptions& o) : d_(d), o_(o), f_(d.n_features), rows_(d.rows()) {}

  // Bins every feature.
  void Prepare() {
    cuts_.resize(f_);
    for (int f = 0; f < f_; ++f) cuts_[f] = CutsOf(d_, f, o_.bins);
    nb_.resize(f_);
    for (int f = 0; f < f_; ++f) nb_[f] = static_cast<int>(cuts_[f].size()) + 1;
    stride_ = *std::max_element(nb_.begin(), nb_.end());
    bins_.resize(rows_ * f_);
    for (size_t r = 0; r < rows_; ++r)
      for (int f = 0; f < f_; ++f) {
        const auto& c = cuts_[f];
        bins_[r * f_ + f] = static_cast<uint8_t>(std::lower_bound(c.begin(), c.end(), d_.x[r * f_ + f]) - c.begin());
      }
  }

  // One boosting round: gradients at the current scores, then one tree; returns its root.
  int32_t Round(std::vector<double>& score, std::vector<Ranker::Node>& nodes) {
    Gradients(score);
    idx_.resize(rows_);
    std::iota(idx_.begin(), idx_.end(), 0U);
    std::vector<Bin> hist(static_cast<size_t>(f_) * stride_);
    BuildHist(0, rows_, hist);
    return Grow(0, rows_, 0, hist, score, nodes);
  }

 private:
  void Gradients(const std::vector<double>& score) {
    g_.assign(rows_, 0);
    h_.assign(rows_, 0);
    std::vector<uint32_t> order;
    std::vector<double> disc;
    for (size_t q = 0; q < d_.queries(); ++q) {
      const size_t b = d_.query_begin[q], e = d_.query_begin[q + 1], n = e - b;
      if (n < 2) continue;
      float lo = d_.label[b], hi = d_.label[b];
      for (size_t r = b; r < e; ++r) lo = std::min(lo, d_.label[r]), hi = std::max(hi, d_.label[r]);
      if (!(hi > lo)) continue;  // nothing to order
      order.resize(n);
      std::iota(order.begin(), order.end(), 0U);
      std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t c) { return score[b + a] > score[b + c]; });
      std::vector<uint32_t> pos(n);
      for (size_t i = 0; i < n; ++i) pos[order[i]] = static_cast<uint32_t>(i);
      if (o_.objective == RankerOptions::Objective::kNdcg) {
        auto discount = [&](size_t p) {
          return o_.ndcg_at > 0 && p >= static_cast<size_t>(o_.ndcg_at) ? 0.0 : 1.0 / std::log2(2.0 + p);
        };
        std::vector<float> ideal(d_.label.begin() + b, d_.label.begin() + e);
        std::sort(ideal.begin(), ideal.end(), std::greater<>());
        double idcg = 0;
        for (size_t i = 0; i < n; ++i) idcg += (std::exp2(ideal[i]) - 1) * discount(i);
        if (idcg <= 0) continue;
        for (size_t i = 0; i < n; ++i) {
          if (!(d_.label[b + i] > lo)) continue;  // only rows above the lowest label lead a pair
          const double gi = std::exp2(d_.label[b + i]), di = discount(pos[i]);
          for (size_t j = 0; j < n; ++j) {
            if (!(d_.label[b + i] > d_.label[b + j])) continue;
            const double dz = std::abs((gi - std::exp2(d_.label[b + j])) * (di - discount(pos[j]))) / idcg;
            Pair(b + i, b + j, dz, score);
          }
        }
      } else {
        // MRR: only the first relevant row counts; a swap changes it when it moves the first.
        size_t first = n, second = n;
        for (size_t i = 0; i < n; ++i)
          if (d_.label[b + order[i]] > 0) {
            if (first == n) {
              first = i;
            } else {
              second = i;
              break;
            }
          }
        const double rr = 1.0 / (1.0 + first);
        for (size_t i = 0; i < n; ++i) {
          if (!(d_.label[b + i] > 0)) continue;
          for (size_t j = 0; j < n; ++j) {
            if (d_.label[b + j] > 0) continue;
            double dz = 0;
            if (pos[i] == first) {
              dz = std::abs(1.0 / (1.0 + std::min<size_t>(pos[j], second)) - rr);
            } else if (pos[j] < first) {
              dz = 1.0 / (1.0 + pos[j]) - rr;
            }
            if (dz > 0) Pair(b + i, b + j, dz, score);
          }
        }
      }
    }
  }

  // LambdaRank pair: row i should rank above row j; |dz| the metric change of swapping them.
  void Pair(size_t i, size_t j, double dz, const std::vector<double>& score) {
    if (dz <= 0) return;
    const double rho = 1.0 / (1.0 + std::exp(score[i] - score[j]));
    const double lam = rho * dz, hes = std::max(rho * (1 - rho) * dz, 1e-12);
    g_[i] -= lam, g_[j] += lam;
    h_[i] += hes, h_[j] += hes;
  }

  void BuildHist(size_t lo, size_t hi, std::vector<Bin>& hist) const {
    std::fill(hist.begin(), hist.end(), Bin{});
    for (size_t k = lo; k < hi; ++k) {
      const uint32_t r = idx_[k];
      const uint8_t* rb = &bins_[static_cast<size_t>(r) * f_];
      const double g = g_[r], h = h_[r];
      for (int f = 0; f < f_; ++f) {
        Bin& x = hist[static_cast<size_t>(f) * stride_ + rb[f]];
        x.g += g, x.h += h, ++x.n;
      }
    }
  }

  int32_t Leaf(size_t lo, size_t hi, double G, double H, std::vector<double>& score,
               std::vector<Ranker::Node>& nodes) const {
    Ranker::Node leaf;
    leaf.value = H > 0 ? -G / (H + o_.l2) * o_.learning_rate : 0.0;
    for (size_t k = lo; k < hi; ++k) score[idx_[k]] += leaf.value;
    nodes.push_back(leaf);
    return static_cast<int32_t>(nodes.size() - 1);
  }

  int32_t Grow(size_t lo, size_t hi, int depth, const std::vector<Bin>& hist, std::vector<double>& score,
               std::vector<Ranker::Node>& nodes) {
    double G = 0, H = 0;
    for (int b = 0; b < nb_[0]; ++b) G += hist[b].g, H += hist[b].h;
    const size_t n = hi - lo;
    if (depth >= o_.max_depth || n < 2 * static_cast<size_t>(o_.min_leaf)) return Leaf(lo, hi, G, H, score, nodes);
    const double parent = G * G / (H + o_.l2);
    double best_gain = 1e-12;
    int best_f = -1, best_b = -1;
    for (int f = 0; f < f_; ++f) {
      double gl = 0, hl = 0;
      size_t nl = 0;
      const Bin* hf = &hist[static_cast<size_t>(f) * stride_];
      for (int b = 0; b + 1 < nb_[f]; ++b) {
        gl += hf[b].g, hl += hf[b].h, nl += hf[b].n;
        if (nl < static_cast<size_t>(o_.min_leaf)) continue;
        if (n - nl < static_cast<size_t>(o_.min_leaf)) break;
        const double gr = G - gl, hr = H - hl;
        const double gain = gl * gl / (hl + o_.l2) + gr * gr / (hr + o_.l2) - parent;
        if (gain > best_gain) best_gain = gain, best_f = f, best_b = b;
      }
    }
    if (best_f < 0) return Leaf(lo, hi, G, H, score, nodes);
    auto goes_left = [&](uint32_t r) { return bins_[static_cast<size_t>(r) * f_ + best_f] <= best_b; };
    const size_t mid =
        static_cast<size_t>(std::stable_partition(idx_.begin() + static_cast<std::ptrdiff_t>(lo),
                                                  idx_.begin() + static_cast<std::ptrdiff_t>(hi), goes_left) -
                            idx_.begin());
    // Histograms: build the smaller child, subtract it from the parent for the larger.
    std::vector<Bin> small(hist.size()), large(hist.size());
    const bool left_small = mid - lo <= hi - mid;
    if (left_small) {
      BuildHist(lo, mid, small);
    } else {
      BuildHist(mid, hi, small);
    }
    for (size_t k = 0; k < hist.size(); ++k)
      large[k] = {hist[k].g - small[k].g, hist[k].h - small[k].h, hist[k].n - small[k].n};
    const int32_t self = static_cast<int32_t>(nodes.size());
    nodes.push_back({best_f, cuts_[best_f][best_b], -1, -1, 0});
    const int32_t l = Grow(lo, mid, depth + 1, left_small ? small : large, score, nodes);
    const int32_t r = Grow(mid, hi, depth + 1, left_small ? large : small, score, nodes);
    nodes[self].left = l;
    nodes[self].right = r;
    return self;
  }

  const RankData& d_;
  const RankerOptions& o_;
  const int f_;
  const size_t rows_;
  std::vector<std::vector<float>> cuts_;
  std::vector<int> nb_;
  int stride_ = 1;
  std::vector<uint8_t> bins_;  // rows x features, row-major
  std::vector<uint32_t> idx_;
  std::vector<double> g_, h_;
};

Status Check(const RankData& d, const RankerOptions& o) {
  auto bad = [](const std::string& what) { return Status::InvalidArgument("ranker: " + what); };
  if (o.trees < 0 || o.trees > 100000) return bad("trees must be in 0..100000");
  if (o.max_depth < 0 || o.max_depth > 16) return bad("max_depth must be in 0..16");
  if (o.min_leaf < 1) return bad("min_leaf must be at least 1");
  if (!(o.learning_rate > 0 && o.learning_rate <= 1)) return bad("learning_rate must be in (0, 1]");
  if (o.bins < 2 || o.bins > 256) return bad("bins must be in 2..256");
  if (!(o.l2 >= 0)) return bad("l2 must be >= 0");
  if (o.ndcg_at < 0) return bad("ndcg_at must be >= 0");
  if (d.n_features < 1) return bad("no features");
  if (d.rows() > UINT32_MAX) return bad("too many rows");
  if (d.x.size() != d.rows() * static_cast<size_t>(d.n_features)) {
    std::ostringstream os;
    os << "x holds " << d.x.size() << " values, expected rows (" << d.rows() << ") x features (" << d.n_features << ")";
    return bad(os.str());
  }
  if (d.query_begin.empty() || d.query_begin.front() != 0 || d.query_begin.back() != d.rows())
    return bad("query_begin must start at 0 and end at the number of rows (" + std::to_string(d.rows()) + ")");
  for (size_t q = 0; q + 1 < d.query_begin.size(); ++q)
    if (d.query_begin[q] > d.query_begin[q + 1]) return bad("query_begin decreases at query " + std::to_string(q));
  if (!d.base.empty() && d.base.size() != d.rows())
    return bad("base holds " + std::to_string(d.base.size()) + " values, expected one per row (" +
               std::to_string(d.rows()) + ")");
  for (size_t r = 0; r < d.base.size(); ++r)
    if (!std::isfinite(d.base[r])) return bad("row " + std::to_string(r) + ": base is not a finite number");
  for (size_t r = 0; r < d.rows(); ++r) {
    if (!(std::isfinite(d.label[r]) && d.label[r] >= 0))
      return bad("row " + std::to_string(r) + ": label must be a finite number >= 0");
    for (int f = 0; f < d.n_features; ++f)
      if (!std::isfinite(d.x[r * d.n_features + f]))
        return bad("row " + std::to_string(r) + ", feature " + std::to_string(f) + ": not a finite number");
  }
  return Status::Ok();
}

}  // namespace

void RankData::AddQuery(const std::vector<float>& features, const std::vector<float>& labels) {
  x.insert(x.end(), features.begin(), features.end());
  label.insert(label.end(), labels.begin(), labels.end());
  query_begin.push_back(label.size());
}

void RankData::AddQuery(const std::vector<float>& features, const std::vector<float>& labels,
                        const std::vector<float>& bases) {
  base.insert(base.end(), bases.begin(), bases.end());
  AddQuery(features, labels);
}

Result<Ranker> Ranker::Train(const RankData& data, const RankerOptions& options) {
  WEEFSEL_RETURN_IF_ERROR(Check(data, options));
  Ranker out;
  out.n_features_ = data.n_features;
  if (data.rows() == 0) return out;
  Trainer t(data, options);
  t.Prepare();
  std::vector<double> score(data.rows(), 0.0);
  for (size_t r = 0; r < data.base.size(); ++r) score[r] = data.base[r];
  for (int i = 0; i < options.trees; ++i) out.roots_.push_back(t.Round(score, out.nodes_));
  return out;
}

double Ranker::Predict(const float* row) const {
  double s = 0;
  for (int32_t root : roots_) {
    int32_t k = root;
    while (nodes_[k].feature >= 0) k = row[nodes_[k].feature] <= nodes_[k].threshold ? nodes_[k].left : nodes_[k].right;
    s += nodes_[k].value;
  }
  return s;
}

std::vector<int> Ranker::SplitCounts() const {
  std::vector<int> c(n_features_, 0);
  for (const Node& n : nodes_)
    if (n.feature >= 0) ++c[n.feature];
  return c;
}

double MeanReciprocalRank(const RankData& data, const std::vector<double>& scores) {
  double sum = 0;
  int n = 0;
  for (size_t q = 0; q < data.queries(); ++q) {
    const size_t b = data.query_begin[q], e = data.query_begin[q + 1];
    size_t best = e;  // first relevant row in score order
    for (size_t r = b; r < e; ++r)
      if (data.label[r] > 0 && (best == e || scores[r] > scores[best])) best = r;
    if (best == e) continue;
    size_t above = 0;
    for (size_t r = b; r < e; ++r) above += scores[r] > scores[best] || (scores[r] == scores[best] && r < best);
    sum += 1.0 / static_cast<double>(above + 1);
    ++n;
  }
  return n > 0 ? sum / n : 0.0;
}

}  // namespace weefsel::eval
