#include "match/learned.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <string_view>

#include "base/csv.h"
#include "base/strings.h"

namespace weefsel::match {
namespace {

constexpr std::string_view kMagic = "weefsel-match-model";

Status XgbError(std::string_view what) {
  const char* msg = XGBGetLastError();
  return Status::Internal("xgboost: " + std::string(what) + ": " + (msg && *msg ? msg : "unknown error"));
}

// A DMatrix freed on every path.
class Matrix {
 public:
  Matrix() = default;
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  ~Matrix() {
    if (handle_) XGDMatrixFree(handle_);
  }
  Status Create(const std::vector<float>& rows, size_t features) {
    const auto n = static_cast<bst_ulong>(rows.size() / features);
    if (XGDMatrixCreateFromMat(rows.data(), n, static_cast<bst_ulong>(features), NAN, &handle_) != 0) {
      handle_ = nullptr;
      return XgbError("creating the feature matrix");
    }
    return Status::Ok();
  }
  DMatrixHandle get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

}  // namespace

struct LearnedRanker::Booster {
  BoosterHandle handle = nullptr;
  std::mutex mu;  // XGBoost's prediction buffer belongs to the booster
  Booster() = default;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster() {
    if (handle) XGBoosterFree(handle);
  }
};

void RankingSet::AddRow(const std::vector<float>& features, float label) {
  rows.insert(rows.end(), features.begin(), features.end());
  labels.push_back(label);
  if (group_sizes.empty()) group_sizes.push_back(0);
  ++group_sizes.back();
}

RankingSet RankingSet::TopOfGroups(size_t per_group) const {
  RankingSet out;
  out.feature_names = feature_names;
  const size_t f = feature_names.size();
  size_t begin = 0;
  for (unsigned g : group_sizes) {
    const size_t n = std::min<size_t>(g, per_group);
    bool mixed = false;
    for (size_t r = begin + 1; r < begin + n; ++r) mixed = mixed || labels[r] != labels[begin];
    if (n >= 2 && mixed) {
      out.OpenGroup();
      for (size_t r = begin; r < begin + n; ++r)
        out.AddRow(std::vector<float>(rows.begin() + static_cast<ptrdiff_t>(r * f),
                                      rows.begin() + static_cast<ptrdiff_t>((r + 1) * f)),
                   labels[r]);
    }
    begin += g;
  }
  return out;
}

Result<LearnedRanker> LearnedRanker::Train(const RankingSet& set, const LearnedParams& params) {
  const size_t f = set.feature_names.size();
  if (f < 1) return Status::InvalidArgument("learned ranker: no features named");
  if (set.labels.empty()) return Status::InvalidArgument("learned ranker: no rows to train on");
  if (set.rows.size() != set.labels.size() * f)
    return Status::InvalidArgument("learned ranker: " + std::to_string(set.rows.size()) + " values for " +
                                   std::to_string(set.labels.size()) + " rows of " + std::to_string(f) + " features");
  size_t grouped = 0;
  for (unsigned g : set.group_sizes) grouped += g;
  if (grouped != set.labels.size())
    return Status::InvalidArgument("learned ranker: the groups hold " + std::to_string(grouped) + " rows, not " +
                                   std::to_string(set.labels.size()));
  if (params.objective != "rank:pairwise" && params.objective != "rank:ndcg")
    return Status::InvalidArgument("learned ranker: objective must be rank:pairwise or rank:ndcg, got '" +
                                   params.objective + "'");
  Matrix train;
  WEEFSEL_RETURN_IF_ERROR(train.Create(set.rows, f));
  if (XGDMatrixSetFloatInfo(train.get(), "label", set.labels.data(), set.labels.size()) != 0)
    return XgbError("setting the labels");
  if (XGDMatrixSetUIntInfo(train.get(), "group", set.group_sizes.data(), set.group_sizes.size()) != 0)
    return XgbError("setting the query groups");
  LearnedRanker out;
  out.features_ = set.feature_names;
  out.booster_ = std::make_shared<Booster>();
  DMatrixHandle mats[] = {train.get()};
  if (XGBoosterCreate(mats, 1, &out.booster_->handle) != 0) {
    out.booster_->handle = nullptr;
    return XgbError("creating the booster");
  }
  const std::vector<std::pair<std::string, std::string>> kv = {
      {"objective", params.objective},
      {"eval_metric", "ndcg"},
      {"tree_method", params.tree_method},
      {"nthread", "1"},
      {"seed", std::to_string(params.seed)},
      {"max_depth", std::to_string(params.max_depth)},
      {"eta", std::to_string(params.eta)},
      {"min_child_weight", std::to_string(params.min_child_weight)},
      {"lambda", std::to_string(params.lambda)},
      {"verbosity", "0"},
      {"subsample", std::to_string(params.subsample)},
  };
  for (const auto& [k, v] : kv)
    if (XGBoosterSetParam(out.booster_->handle, k.c_str(), v.c_str()) != 0) return XgbError("setting " + k);
  for (int it = 0; it < params.rounds; ++it)
    if (XGBoosterUpdateOneIter(out.booster_->handle, it, train.get()) != 0)
      return XgbError("training round " + std::to_string(it + 1));
  return out;
}

Result<std::vector<float>> LearnedRanker::Run(const std::vector<float>& rows, int option_mask) const {
  const size_t f = features_.size();
  if (!booster_) return Status::FailedPrecondition("learned ranker: no model");
  if (rows.size() % f != 0)
    return Status::InvalidArgument("learned ranker: " + std::to_string(rows.size()) + " values are no whole rows of " +
                                   std::to_string(f) + " features");
  if (rows.empty()) return std::vector<float>{};
  Matrix m;
  WEEFSEL_RETURN_IF_ERROR(m.Create(rows, f));
  std::lock_guard<std::mutex> lock(booster_->mu);
  bst_ulong len = 0;
  const float* result = nullptr;
  if (XGBoosterPredict(booster_->handle, m.get(), option_mask, 0, 0, &len, &result) != 0)
    return XgbError(option_mask ? "feature contributions" : "prediction");
  return std::vector<float>(result, result + len);
}

Result<std::vector<float>> LearnedRanker::Predict(const std::vector<float>& rows) const { return Run(rows, 0); }

Result<std::vector<float>> LearnedRanker::Contributions(const std::vector<float>& rows) const {
  constexpr int kPredContribs = 4;  // XGBoosterPredict's option_mask bit for per-feature contributions
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<float> c, Run(rows, kPredContribs));
  if (c.size() != rows.size() / features_.size() * (features_.size() + 1))
    return Status::Internal("xgboost: " + std::to_string(c.size()) + " contributions for " +
                            std::to_string(rows.size() / features_.size()) + " rows");
  return c;
}

Status LearnedRanker::Save(const std::string& path) const {
  WEEFSEL_ASSIGN_OR_RETURN(std::string content, FileContent());
  return WriteFileAtomic(path, content);
}

Result<std::string> LearnedRanker::FileContent() const {
  if (!booster_) return Status::FailedPrecondition("learned ranker: no model to save");
  bst_ulong len = 0;
  const char* buf = nullptr;
  {
    std::lock_guard<std::mutex> lock(booster_->mu);
    if (XGBoosterSaveModelToBuffer(booster_->handle, R"({"format": "json"})", &len, &buf) != 0)
      return XgbError("saving the model");
  }
  std::string content = std::string(kMagic) + " " + std::to_string(kFormatVersion) + " " + Join(features_, ",") + "\n";
  content.append(buf, len);
  return content;
}

Result<LearnedRanker> LearnedRanker::Load(const std::string& path, const std::vector<std::string>& expected_features) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound("match model " + path + ": no such file");
  WEEFSEL_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  auto bad = [&](const std::string& why) { return Status::InvalidArgument("match model " + path + ": " + why); };
  const size_t eol = content.find('\n');
  if (eol == std::string::npos || content.compare(0, kMagic.size(), kMagic) != 0)
    return bad("not a weefsel match model (written by `weefsel match train`)");
  std::vector<std::string> head = Split(content.substr(0, eol), ' ', true);
  if (head.size() != 3) return bad("malformed first line");
  if (head[1] != std::to_string(kFormatVersion))
    return bad("format version " + head[1] + ", this weefsel reads version " + std::to_string(kFormatVersion) +
               " (retrain with `weefsel match train`)");
  LearnedRanker out;
  out.features_ = Split(head[2], ',', true);
  if (out.features_.empty()) return bad("names no features");
  if (!expected_features.empty() && out.features_ != expected_features)
    return bad("trained on features " + head[2] + ", the matcher has " + Join(expected_features, ",") +
               " (retrain with `weefsel match train`)");
  out.booster_ = std::make_shared<Booster>();
  if (XGBoosterCreate(nullptr, 0, &out.booster_->handle) != 0) {
    out.booster_->handle = nullptr;
    return XgbError("creating the booster");
  }
  const std::string_view model = std::string_view(content).substr(eol + 1);
  if (XGBoosterLoadModelFromBuffer(out.booster_->handle, model.data(), model.size()) != 0) {
    const char* msg = XGBGetLastError();
    return bad(std::string("xgboost cannot read the model: ") + (msg && *msg ? msg : "unknown error"));
  }
  bst_ulong n = 0;
  if (XGBoosterGetNumFeature(out.booster_->handle, &n) != 0) return XgbError("reading the feature count");
  if (n > out.features_.size())
    return bad("the model uses " + std::to_string(n) + " features, its header names " +
               std::to_string(out.features_.size()));
  if (XGBoosterSetParam(out.booster_->handle, "nthread", "1") != 0) return XgbError("setting nthread");
  return out;
}

}  // namespace weefsel::match
