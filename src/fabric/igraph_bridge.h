// fabric/igraph_bridge.h: the one place where weefsel talks to igraph (internal to fabric/).
//
// Debian's igraph 0.10 is built without thread safety and its default error handler aborts the
// process. Every call into igraph therefore goes through an IgraphLock (one process-wide mutex),
// and the first lock installs an error handler that records the message and unwinds igraph's
// own cleanup stack, so a failing call returns an error code that Check() turns into a Status.
// IgraphGraph owns an igraph_t (and its weight vector) built from a Fabric; it must be created,
// used and destroyed while the lock is held. Not part of the public interface.
#pragma once

#include <igraph/igraph.h>

#include <mutex>
#include <string>

#include "base/status.h"
#include "fabric/fabric.h"

namespace weefsel::fabric::internal {

class IgraphLock {
 public:
  IgraphLock();

 private:
  std::lock_guard<std::mutex> guard_;
};

// OK when rc is IGRAPH_SUCCESS; else Internal("igraph <what>: <reason>").
Status Check(igraph_error_t rc, const char* what);

class IgraphGraph {
 public:
  IgraphGraph() = default;
  ~IgraphGraph();
  IgraphGraph(const IgraphGraph&) = delete;
  IgraphGraph& operator=(const IgraphGraph&) = delete;
  // Builds the undirected graph; weights are the tie weights (edge order as Fabric::Edges()).
  Status Build(const Fabric& fabric);
  igraph_t* graph() { return &graph_; }
  igraph_vector_t* weights() { return &weights_; }
  // Lengths 1/weight, for weighted shortest paths.
  igraph_vector_t* lengths() { return &lengths_; }

 private:
  igraph_t graph_{};
  igraph_vector_t weights_{};
  igraph_vector_t lengths_{};
  bool built_ = false;
};

}  // namespace weefsel::fabric::internal
