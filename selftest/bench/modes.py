#!/usr/bin/env python3
"""Supervised vs in-process cost of an assay test binary, from alternating whole runs.

usage: modes.py [--runs N] BINARY [ARGS...]

Runs BINARY --in-process ARGS, BINARY ARGS (supervised) and BINARY -k no_such_test (start-up
only), interleaved N times (default 41), output to /dev/null, and prints the medians of wall
time and CPU time (the process and the workers it waited for). Small differences between the
modes are lost in a noisy machine's drift unless the runs alternate like this.

  modes.py build/bench/compare/bin/assay_fixtures                               # 10,000 tests
  modes.py build/bench/compare/bin/assay_fixtures fixtures_0.Fixture0.test_1    # fixed cost
"""
import os
import statistics
import sys
import time


def main(argv):
    runs = 41
    if len(argv) > 2 and argv[1] == "--runs":
        runs = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 2:
        sys.exit(__doc__)
    binary, extra = argv[1], argv[2:]
    modes = {"in-process": ["--in-process"] + extra, "supervised": extra, "start-up": ["-k", "no_such_test"]}
    samples = {m: ([], []) for m in modes}
    devnull = os.open(os.devnull, os.O_WRONLY)
    quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    for _ in range(runs):
        for mode, args in modes.items():
            start = time.perf_counter()
            pid = os.posix_spawn(binary, [binary] + args, os.environ, file_actions=quiet)
            _, _, usage = os.wait4(pid, 0)
            samples[mode][0].append((time.perf_counter() - start) * 1000)
            samples[mode][1].append((usage.ru_utime + usage.ru_stime) * 1000)
    wall = {m: statistics.median(samples[m][0]) for m in modes}
    cpu = {m: statistics.median(samples[m][1]) for m in modes}
    for m in modes:
        print(f"{m:<11} wall {wall[m]:7.2f} ms   cpu {cpu[m]:7.2f} ms   (median of {runs})")
    print(f"supervised / in-process: wall {wall['supervised'] / wall['in-process']:.3f}×  "
          f"cpu {cpu['supervised'] / cpu['in-process']:.3f}×")
    print(f"supervised - in-process: wall {wall['supervised'] - wall['in-process']:.2f} ms  "
          f"cpu {cpu['supervised'] - cpu['in-process']:.2f} ms")


if __name__ == "__main__":
    main(sys.argv)
