// Scheduling a parallel run (-j N): how many workers, and in which order the units of work start.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <assay/registry.hpp>

namespace assay {

/// The most workers -j accepts.
inline constexpr unsigned long long max_jobs = 1024;

/// The CPUs this process may use: its affinity mask, capped by a cgroup CPU quota (v2 `cpu.max`, v1
/// `cpu.cfs_quota_us`); at least 1. What -j 0 starts.
int available_cpus();

/// The CPUs a cgroup quota allows: `quota / period` rounded up, from cgroup v2's `cpu.max` text (`max
/// 100000`, `150000 100000`); 0 when it sets no limit or cannot be read.
int cpus_of_quota(const std::string& cpu_max);

/// The units of a parallel run over `plan` (one repetition of it), as plan positions [first, end): a
/// class's consecutive tests are one unit (its setUpClass runs once), every test one with `isolate`. In
/// the order they should start: longest first when `seconds` (by test_info::index, -1 or past its end: not
/// known) knows any of their tests (an unknown test counts as the known ones' mean), else in plan order.
std::vector<std::pair<std::size_t, std::size_t>> order_units(const std::vector<const test_info*>& plan, bool isolate,
                                                             const std::vector<double>& seconds);

}  // namespace assay
