#!/usr/bin/env bash
# What a shard costs under Bazel: the 2,000-test suite of selftest/bench/ctest_scale.sh (20 classes x 100
# tests) as one cc_test run with shard_count 1, 2, 20 and 50 (Bazel's limit), test results uncached, after one build.
#
#   selftest/bazel/scale.sh BAZEL_DIR WORK_DIR [REPS]      # BAZEL_DIR from ../shared/tools/bazel/setup.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bazel_dir="$(cd "$1" && pwd)"
mkdir -p "$2" && work="$(cd "$2" && pwd)"
reps="${3:-3}"
read -r -d '' -a flags < "$bazel_dir/flags" || true
ws="$work/scale"
rm -rf "$ws" && mkdir -p "$ws"
printf 'workspace(name = "scale")\nlocal_repository(name = "assay", path = "%s")\n' "$repo" > "$ws/WORKSPACE"
echo 'build --cxxopt=-std=c++20' > "$ws/.bazelrc"
for ((c = 0; c < 20; c++)); do
  name=$(printf 'Class%02d' "$c")
  {
    echo '#include <assay/assay.hpp>'
    echo "class $name : public assay::TestCase<$name> {"
    echo ' protected:'
    echo '  int value = 0;'
    echo '  void setUp() override { value = 1; }'
    for ((t = 0; t < 100; t++)); do printf '  TEST(test_%03d) { assertEqual(value, 1); }\n' "$t"; done
    echo '};'
  } > "$ws/$(printf 'c%02d' "$c").cpp"
done
shards=(1 2 20 50)
{
  echo 'load("@rules_cc//cc:defs.bzl", "cc_test")'
  for n in "${shards[@]}"; do
    printf 'cc_test(name = "scale_%s", srcs = glob(["c*.cpp"]), shard_count = %s, deps = ["@assay//:main"])\n' "$n" "$n"
  done
} > "$ws/BUILD.bazel"
cd "$ws"
bazel() { "$bazel_dir/bazel" --output_user_root="$work/root" --max_idle_secs=120 "$@"; }
trap 'bazel shutdown >/dev/null 2>&1' EXIT
bazel build "${flags[@]}" --symlink_prefix=/ //... > "$work/scale-build.log" 2>&1 || { tail -20 "$work/scale-build.log"; exit 1; }
for n in "${shards[@]}"; do
  times=()
  for ((r = 0; r < reps; r++)); do
    start=$(date +%s%N)
    bazel test "${flags[@]}" --symlink_prefix=/ --nocache_test_results "//:scale_$n" > "$work/scale-$n.log" 2>&1
    times+=("$(( ($(date +%s%N) - start) / 1000000 ))")
  done
  median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (reps + 1) / 2 ))p")"
  echo "shard_count=$n: bazel test (2,000 tests) median ${median} ms of ${times[*]} ms"
done
