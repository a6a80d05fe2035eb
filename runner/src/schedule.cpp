// How many workers a parallel run gets, and which unit of work starts first.
#include <assay/schedule.hpp>

#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace assay {

namespace {

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int cpus_of_quota(const std::string& cpu_max) {
  long long quota = 0, period = 0;
  if (std::sscanf(cpu_max.c_str(), "%lld %lld", &quota, &period) != 2 || quota <= 0 || period <= 0) return 0;
  return static_cast<int>(std::min<long long>((quota + period - 1) / period, 1 << 20));
}

int available_cpus() {
  int cpus = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
  if (cpus <= 0) cpus = 1;
  // A container's quota: cgroup v2, else v1 (quota and period in two files).
  int quota = cpus_of_quota(read_text("/sys/fs/cgroup/cpu.max"));
  if (quota == 0) {
    const std::string v1 = read_text("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") + " " +
                           read_text("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    quota = cpus_of_quota(v1);
  }
  if (quota > 0) cpus = std::min(cpus, quota);
  return std::max(cpus, 1);
}

std::vector<std::pair<std::size_t, std::size_t>> order_units(const std::vector<const test_info*>& plan, bool isolate,
                                                             const std::vector<double>& by_index) {
  std::vector<std::pair<std::size_t, std::size_t>> units;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (isolate || units.empty() || plan[i]->cls != plan[units.back().first]->cls) units.emplace_back(i, i + 1);
    else units.back().second = i + 1;
  }
  if (by_index.empty()) return units;
  std::vector<double> seconds(plan.size(), -1);  // each test's; -1: unknown
  double known = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (plan[i]->index < by_index.size() && by_index[plan[i]->index] >= 0)
      known += seconds[i] = by_index[plan[i]->index], ++count;
  if (count == 0) return units;
  const double mean = known / static_cast<double>(count);
  std::vector<double> length(units.size());
  for (std::size_t u = 0; u < units.size(); ++u)
    for (std::size_t i = units[u].first; i < units[u].second; ++i) length[u] += seconds[i] >= 0 ? seconds[i] : mean;
  std::vector<std::size_t> order(units.size());
  for (std::size_t u = 0; u < order.size(); ++u) order[u] = u;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return length[a] > length[b]; });
  std::vector<std::pair<std::size_t, std::size_t>> sorted;
  sorted.reserve(units.size());
  for (std::size_t u : order) sorted.push_back(units[u]);
  return sorted;
}

}  // namespace assay
