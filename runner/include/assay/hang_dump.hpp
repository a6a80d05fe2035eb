// The stacks of every thread of a hung worker, taken by its supervisor before the worker is killed.
#pragma once

#include <sys/types.h>

#include <string>

namespace assay {

/// Stops every thread of worker `pid` (ptrace: the supervisor is its parent), reads each one's stack,
/// lets the threads go again and returns them as Python's faulthandler shows them, innermost first:
/// `Thread 1 (LWP 4242), running the test (most recent call first):` (`running` names what the main
/// thread runs: "the test", "setUpClass") then the traceback's
/// `File "…", line N, in name` lines, the framework's frames hidden. Threads that do not all stop
/// within `deadline_seconds` end the attempt: the worker's group is killed at once and the text says
/// so. Without ptrace permission (or libdw), one line saying why there are no stacks.
std::string dump_hung_worker(pid_t pid, double deadline_seconds, const std::string& running);

}  // namespace assay
