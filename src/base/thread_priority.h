// base/thread_priority.h: background work yields the cores to the threads that answer requests.
//
// Linux keeps a nice value per thread: LowerThreadPriority(steps) makes the calling thread (and the
// threads it starts afterwards, which inherit it) `steps` levels nicer than the process (at most 19).
// Relative to the process, not to the thread, so a thread that calls it again stays where it was.
// Used by the engines' build workers (service/published.h) and the matcher's retraining
// (service/match_retrain.h), so that a whole build or a training run on 2 cores does not hold up
// answers. Thread-safety: affects the calling thread only.
#pragma once

namespace weefsel {

// False when the system refused (the thread keeps its priority; nothing else changes).
bool LowerThreadPriority(int steps);

}  // namespace weefsel
