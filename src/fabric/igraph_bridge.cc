// fabric/igraph_bridge.cc: igraph's lock, error handler and graph conversion.
#include "fabric/igraph_bridge.h"

#include <cstdarg>

namespace weefsel::fabric::internal {
namespace {

std::mutex& Mutex() {
  static std::mutex m;
  return m;
}

// Written only while the lock is held.
std::string& LastError() {
  static std::string e;
  return e;
}

void ReturningErrorHandler(const char* reason, const char* file, int line, igraph_error_t code) {
  LastError() = std::string(reason ? reason : "unknown error") + " (" + igraph_strerror(code) + ", " +
                (file ? file : "?") + ":" + std::to_string(line) + ")";
  IGRAPH_FINALLY_FREE();
}

void QuietWarningHandler(const char*, const char*, int) {}

void InstallHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    igraph_set_error_handler(&ReturningErrorHandler);
    igraph_set_warning_handler(&QuietWarningHandler);
  });
}

}  // namespace

IgraphLock::IgraphLock() : guard_(Mutex()) { InstallHandlers(); }

Status Check(igraph_error_t rc, const char* what) {
  if (rc == IGRAPH_SUCCESS) return Status::Ok();
  std::string msg = LastError();
  LastError().clear();
  return Status::Internal(std::string("igraph ") + what + ": " + (msg.empty() ? igraph_strerror(rc) : msg));
}

IgraphGraph::~IgraphGraph() {
  if (built_) {
    igraph_destroy(&graph_);
    igraph_vector_destroy(&weights_);
    igraph_vector_destroy(&lengths_);
  }
}

Status IgraphGraph::Build(const Fabric& fabric) {
  std::vector<Edge> edges = fabric.Edges();
  igraph_vector_int_t ev;
  WEEFSEL_RETURN_IF_ERROR(
      Check(igraph_vector_int_init(&ev, static_cast<igraph_integer_t>(edges.size() * 2)), "vector"));
  for (size_t k = 0; k < edges.size(); ++k) {
    VECTOR(ev)[2 * k] = edges[k].u;
    VECTOR(ev)[2 * k + 1] = edges[k].v;
  }
  igraph_error_t rc = igraph_create(&graph_, &ev, fabric.node_count(), IGRAPH_UNDIRECTED);
  igraph_vector_int_destroy(&ev);
  WEEFSEL_RETURN_IF_ERROR(Check(rc, "create"));
  if (igraph_vector_init(&weights_, static_cast<igraph_integer_t>(edges.size())) != IGRAPH_SUCCESS ||
      igraph_vector_init(&lengths_, static_cast<igraph_integer_t>(edges.size())) != IGRAPH_SUCCESS) {
    igraph_destroy(&graph_);
    return Status::Internal("igraph: out of memory for weights");
  }
  for (size_t k = 0; k < edges.size(); ++k) {
    VECTOR(weights_)[k] = edges[k].weight;
    VECTOR(lengths_)[k] = 1.0 / edges[k].weight;
  }
  built_ = true;
  return Status::Ok();
}

}  // namespace weefsel::fabric::internal
