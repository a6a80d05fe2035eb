"""Runs each parity suite through CPython's unittest and through assay, and compares the reports.

    python3.13 compare.py --bin-dir DIR [--show] [CASE…]

Each case is a module (parity_<x>.py beside this file, and the assay binary of the same name in DIR)
and the command-line arguments both get. The outputs (exit status, stdout, stderr) are normalised
only where the two must differ -- see README.md in this folder -- and must then be identical.
"""

import argparse
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (module, arguments, ids[, python_exit]): with ids, the arguments name the tests and the module is not added
# to Python's command line; python_exit is the exit status unittest gives where assay deliberately gives 1
# (README.md: a run whose only results are fixture errors).
CASES = [
    ("parity_outcomes", ["-v"], False),
    ("parity_outcomes", [], False),
    ("parity_outcomes", ["-q"], False),
    ("parity_outcomes", ["-f"], False),
    ("parity_outcomes", ["-v", "-f", "-k", "Subtests"], False),
    ("parity_outcomes", ["-v", "-k", "xfail", "-k", "*Outcomes.test_skip_*"], False),
    ("parity_outcomes", ["-v", "parity_outcomes.Outcomes.test_pass", "parity_outcomes.Subtests.test_nested",
                         "parity_outcomes.Outcomes.test_pass"], True),
    ("parity_outcomes", ["-k", "no_such_test"], False),
    ("parity_outcomes", ["-b", "-k", "Printing"], False),
    ("parity_outcomes", ["-b", "-v", "-k", "Printing"], False),
    ("parity_outcomes", ["-k", "Printing"], False),
    ("parity_module_error", ["-v"], False, 5),
    ("parity_fixtures", ["-v"], False),
    ("parity_fixtures", ["-v", "parity_fixtures.Broken"], True, 5),
    ("parity_fixtures", [], False),
    ("parity_fixtures", ["-v", "parity_fixtures.Counting.test_a", "parity_fixtures.Other",
                         "parity_fixtures.Counting.test_a"], True),
    ("parity_messages", [], False),
    ("parity_messages", ["-v", "-k", "Diffs"], False),
    ("parity_mock", [], False),
]

TRACEBACK = "Traceback (most recent call last):"
# A quoted literal: "…" is C++'s repr of a string (or Python's of one holding a single quote), '…' Python's.
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'(?:[^\'\\\n]|\\.)*\'')
ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def unescape(body):
    def one(m):
        e = m.group(1)
        if e[0] in "xuU" and len(e) > 1:
            return chr(int(e[1:], 16))
        return SIMPLE_ESCAPES.get(e, e)
    return ESCAPE.sub(one, body)


def python_literal(m):
    return m.group(0) if m.group(1) is None else repr(unescape(m.group(1)))


def normalise(text):
    out = []
    in_traceback = False
    for line in text.split("\n"):
        if in_traceback and line.startswith("  "):
            continue  # frames and source lines (paths, lines, C++ or Python source, 3.13's ^^^ marks)
        in_traceback = line == TRACEBACK
        line = re.sub(r"^Ran (\d+) tests? in \d+\.\d+s$", r"Ran \1 tests in X.XXXs", line)
        line = re.sub(r"0x[0-9a-fA-F]+", "0x…", line)
        # C++'s bool literals in assertTrue/assertFalse.
        line = re.sub(r"^AssertionError: (false|true) is not (true|false)",
                      lambda m: "AssertionError: %s is not %s" % (m.group(1).capitalize(), m.group(2)), line)
        # maxDiff's hint names C++'s spelling of "no limit".
        line = line.replace("Set maxDiff to assay::no_limit to see it.", "Set self.maxDiff to None to see it.")
        line = LITERAL.sub(python_literal, line)  # string quoting: both sides as Python's repr
        out.append(line)
    return "\n".join(out)


def run(command, cwd):
    env = dict(os.environ)
    for var in ("NO_COLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "XML_OUTPUT_FILE", "TESTBRIDGE_TEST_ONLY",
                "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "GITHUB_WORKSPACE", "PYTHONWARNINGS"):
        env.pop(var, None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    p = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=120)
    text = "--- exit %d\n--- stdout\n%s--- stderr\n%s" % (
        p.returncode, p.stdout.decode("utf-8", "backslashreplace"), p.stderr.decode("utf-8", "backslashreplace"))
    return normalise(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--show", action="store_true", help="print both normalised reports")
    ap.add_argument("cases", nargs="*", help="indices of CASES to run (default: all)")
    opts = ap.parse_args()
    if sys.version_info[:2] != (3, 13):
        print("parity: needs CPython 3.13, this is %s" % sys.version.split()[0])
        return 2
    failed = 0
    chosen = [int(c) for c in opts.cases] if opts.cases else range(len(CASES))
    for i in chosen:
        module, args, ids = CASES[i][:3]
        py = run([sys.executable, "-m", "unittest"] + args + ([] if ids else [module]), HERE)
        if len(CASES[i]) > 3:
            py = py.replace("--- exit %d\n" % CASES[i][3], "--- exit 1\n", 1)
        binary = os.path.join(opts.bin_dir, module)
        cc = run([binary] + args, HERE)
        # Supervision is invisible: the in-process run must read the same.
        cc_in_process = run([binary, "--in-process"] + args, HERE)
        name = "%d: %s %s" % (i, module, " ".join(args))
        if opts.show:
            print("=== %s\n--- python\n%s\n--- assay\n%s" % (name, py, cc))
        if py == cc and cc == cc_in_process:
            print("same    %s" % name)
            continue
        failed += 1
        print("DIFFERS %s" % name)
        for label, other in (("assay", cc), ("assay --in-process", cc_in_process)):
            sys.stdout.writelines(difflib.unified_diff(py.splitlines(True), other.splitlines(True), "unittest", label))
        print()
    print("parity: %d of %d cases differ" % (failed, len(chosen)) if failed else
          "parity: all %d cases read the same" % len(chosen))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
