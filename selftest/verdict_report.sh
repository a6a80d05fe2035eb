#!/usr/bin/env bash
# The JUnit report from outside, under what CI and the machine do to it (selftest/suites/verdict_report.cpp).
#   verdict_report.sh CASE BINARY XMLLINT SCHEMA WORK_DIR
# CASE: targets (only a regular file is replaced), full (a report that cannot be written fails the run and
# leaves the file valid), chdir (a relative path is resolved at start-up), huge (a 10 MB message),
# kill (SIGKILL at random points: every result shown is in the report on disk).
set -u
CASE=$1 BIN=$2 XMLLINT=$3 SCHEMA=$4 WORK=$5/verdict_report_$1
rm -rf "$WORK"
mkdir -p "$WORK"
export -n XML_OUTPUT_FILE TEST_PREMATURE_EXIT_FILE TEST_TMPDIR 2>/dev/null
unset XML_OUTPUT_FILE TEST_PREMATURE_EXIT_FILE TEST_TMPDIR TEST_SHARD_STATUS_FILE GTEST_SHARD_STATUS_FILE
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# valid FILE: the file validates against the Jenkins schema (xmllint's default limits: no --huge).
valid() {
  local out
  if ! out=$("$XMLLINT" --noout --schema "$SCHEMA" "$1" 2>&1); then
    fail "$1 does not validate: $(printf '%s' "$out" | head -c 2000)"
    return 1
  fi
}
has() {  # has FILE TEXT
  grep -qF -- "$2" "$1" || fail "$1 lacks '$2'"
}
# run EXPECTED_STATUS ARGS…: the suite, stderr into $WORK/err, stdout into $WORK/out.
run() {
  local expected=$1
  shift
  "$BIN" "$@" >"$WORK/out" 2>"$WORK/err"
  local status=$?
  if [[ $status != "$expected" ]]; then
    fail "exit status $status, expected $expected, for $*: $(head -c 3000 "$WORK/err")"
  fi
}

case $CASE in
targets)
  # A FIFO is written through, to its reader, and stays a FIFO.
  mkfifo "$WORK/fifo"
  timeout 20 cat "$WORK/fifo" >"$WORK/fifo.out" &
  reader=$!
  run 0 --junit-xml "$WORK/fifo" Plain.test_a
  wait "$reader"
  [[ -p $WORK/fifo ]] || fail "the FIFO was replaced"
  valid "$WORK/fifo.out" && has "$WORK/fifo.out" 'name="test_a"'
  # A device: a link to /dev/null (the link is kept, /dev/null stays a device) and, where this process may
  # make one, a private null device (written through, not replaced).
  ln -s /dev/null "$WORK/null-link"
  for mode in "" --in-process --isolate; do
    run 0 $mode --junit-xml "$WORK/null-link" Plain.test_a
    [[ -L $WORK/null-link && $(readlink "$WORK/null-link") == /dev/null ]] || fail "the link to /dev/null was replaced ($mode)"
    [[ -c /dev/null ]] || fail "/dev/null is no longer a device"
  done
  if mknod "$WORK/null" c 1 3 2>/dev/null; then
    run 0 --junit-xml "$WORK/null" Plain.test_a
    [[ -c $WORK/null ]] || fail "a character device was replaced by a regular file"
  else
    echo "note: mknod not permitted here; the private device was not tried"
  fi
  # A link to a regular file: the target gets the report, the link stays a link.
  echo "old" >"$WORK/target.xml"
  ln -s target.xml "$WORK/link.xml"
  run 1 --junit-xml "$WORK/link.xml" Plain
  [[ -L $WORK/link.xml ]] || fail "the link to a file was replaced"
  valid "$WORK/target.xml" && has "$WORK/target.xml" 'name="test_fails"'
  # A link to nothing yet: its target is created, in a directory made for it.
  ln -s "$WORK/made/new.xml" "$WORK/dangling.xml"
  run 0 --junit-xml "$WORK/dangling.xml" Plain.test_a
  [[ -L $WORK/dangling.xml ]] || fail "the dangling link was replaced"
  [[ -f $WORK/made/new.xml ]] && valid "$WORK/made/new.xml"
  # The process's stdout, a file or a pipe: the report goes there. (Named /dev/fd/1, which is /dev/stdout:
  # a binary that still renamed its report onto /dev/stdout would replace the machine's link.)
  run 0 --junit-xml /dev/fd/1 Plain.test_a
  valid "$WORK/out" && has "$WORK/out" 'name="test_a"'
  "$BIN" --junit-xml /dev/fd/1 Plain.test_a 2>/dev/null | cat >"$WORK/piped.xml"
  valid "$WORK/piped.xml"
  # A directory is an error before any test runs.
  run 2 --junit-xml "$WORK" Plain.test_a
  has "$WORK/err" "cannot create JUnit report '$WORK': Is a directory"
  ;;
full)
  # A device that is always full: the report cannot be written, the run fails (its tests passed) and says so.
  ln -s /dev/full "$WORK/full.xml"
  for mode in "" --in-process; do
    run 1 $mode --junit-xml "$WORK/full.xml" Plain.test_a
    has "$WORK/err" "error: cannot write JUnit report '$WORK/full.xml': No space left on device"
    [[ $(tail -n 1 "$WORK/err") == *"No space left on device"* ]] || fail "the error is not the last line"
    [[ -L $WORK/full.xml ]] || fail "the link to /dev/full was replaced"
  done
  # A file size limit (SIGXFSZ would kill the run): the report stops growing, stays valid, the run fails.
  # (Supervised, the limit leaves room for the journal of the workers, which is a file too.)
  for mode in --in-process ""; do
    rm -f "$WORK"/limited.xml*
    if [[ $mode ]]; then limit=4 repeat=1; else limit=400 repeat=40; fi
    (ulimit -f $limit && exec "$BIN" -q $mode --repeat $repeat --junit-xml "$WORK/limited.xml" Many) \
      >"$WORK/out" 2>"$WORK/err"
    status=$?
    [[ $status == 1 ]] || fail "exit status $status under a file size limit ($mode): $(head -c 2000 "$WORK/err")"
    has "$WORK/err" "cannot update JUnit report '$WORK/limited.xml': File too large; the file keeps the"
    valid "$WORK/limited.xml"
    kept=$(grep -c '<testcase ' "$WORK/limited.xml")
    ((kept > 10 && kept < 252 * repeat)) || fail "$kept tests in the limited report ($mode)"
    [[ $(stat -c %s "$WORK/limited.xml") -le $((limit * 1024)) ]] || fail "the limited report is over the limit"
    ls "$WORK"/limited.xml.* >/dev/null 2>&1 && fail "a temporary file was left: $(ls "$WORK"/limited.xml.*)"
  done
  # A small file system that fills up (where this process may mount one).
  mkdir -p "$WORK/tiny"
  if mount -t tmpfs -o size=64k tmpfs "$WORK/tiny" 2>/dev/null; then
    trap 'umount "$WORK/tiny"' EXIT
    dd if=/dev/zero of="$WORK/tiny/filler" bs=4096 count=13 2>/dev/null
    run 1 -q --junit-xml "$WORK/tiny/report.xml" Many
    has "$WORK/err" "JUnit report '$WORK/tiny/report.xml': No space left on device"
    valid "$WORK/tiny/report.xml"
    # Room again: the same run writes its report completely.
    rm "$WORK/tiny/filler"
    run 1 -q --junit-xml "$WORK/tiny/report.xml" Many
    valid "$WORK/tiny/report.xml" && has "$WORK/tiny/report.xml" '<testsuites name="verdict_report" tests="252"'
  else
    echo "note: mount not permitted here; the full file system was not tried"
  fi
  ;;
chdir)
  # The report lands at the relative path as the run started, whichever directory a test moves to;
  # so is Bazel's premature-exit file removed where it was created.
  mkdir -p "$WORK/start" "$WORK/elsewhere"
  cd "$WORK/start" || exit 1
  for mode in "" --in-process --isolate; do
    rm -rf "$WORK/start/rel" "$WORK/elsewhere/rel"
    mkdir -p "$WORK/start/rel" "$WORK/elsewhere/rel"
    VERDICT_CHDIR=$WORK/elsewhere TEST_PREMATURE_EXIT_FILE=rel/premature \
      "$BIN" $mode --junit-xml rel/report.xml Chdir Plain.test_a >"$WORK/out" 2>"$WORK/err"
    status=$?
    [[ $status == 0 ]] || fail "exit status $status ($mode): $(cat "$WORK/err")"
    [[ -f rel/report.xml ]] && valid rel/report.xml && has rel/report.xml 'name="test_after_chdir"'
    has rel/report.xml '<testsuites name="verdict_report" tests="3"'
    [[ -e $WORK/elsewhere/rel/report.xml ]] && fail "the report followed the test's chdir ($mode)"
    [[ -e rel/premature ]] && fail "TEST_PREMATURE_EXIT_FILE was left behind ($mode)"
    ls rel/report.xml.* "$WORK"/elsewhere/rel/* >/dev/null 2>&1 && fail "files left behind ($mode)"
  done
  ;;
huge)
  for mode in "" --in-process; do
    run 1 $mode --junit-xml "$WORK/huge.xml" Huge
    valid "$WORK/huge.xml"
    # The whole message, in the element's text (once: not in the attribute).
    [[ $(grep -c 'END-OF-HUGE-MESSAGE' "$WORK/huge.xml") == 1 ]] || fail "the message's end is not in the report once"
    [[ $(grep -c '^line of a huge message$' "$WORK/huge.xml") -ge 400000 ]] || fail "lines of the message are missing"
    has "$WORK/huge.xml" "END-OF-HUGE-REASON</skipped>"
    # The attributes: the first line, cut on a character boundary, with an ellipsis.
    grep -o 'message="[^"]*"' "$WORK/huge.xml" >"$WORK/attributes"
    while IFS= read -r attribute; do
      ((${#attribute} <= 1100)) || fail "an attribute of ${#attribute} characters"
    done <"$WORK/attributes"
    grep -q '\\x' "$WORK/attributes" && fail "an attribute cut inside a character: $(head -c 300 "$WORK/attributes")"
    grep -q $'\xc3\xa9\xe2\x80\xa6"' "$WORK/attributes" || fail "no cut message attribute: $(head -c 300 "$WORK/attributes")"
  done
  ;;
kill)
  # SIGKILL at a random point of a run, 20 times, in each mode: every test the screen showed (`ok`, `FAIL`,
  # `skipped`, or a glyph) is in the report on disk, which validates.
  export VERDICT_SLEEP_US=3000
  shown_total=0
  for round in $(seq 1 20); do
    case $((round % 4)) in
      0) args=(--in-process -v) ;;
      1) args=(-v) ;;
      2) args=() ;;  # dots: batched, yet none shown before the report holds it
      3) args=(-v --isolate) ;;
    esac
    rm -f "$WORK/kill.xml"
    "$BIN" "${args[@]}" --junit-xml "$WORK/kill.xml" Many 2>"$WORK/kill.err" >/dev/null &
    pid=$!
    sleep "0.$((RANDOM % 60 + 5))"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null
    sleep 0.05  # the worker dies with its supervisor
    [[ -f $WORK/kill.xml ]] || {
      fail "no report (round $round)"
      continue
    }
    valid "$WORK/kill.xml" || continue
    if [[ ${args[*]} == *-v* ]]; then
      shown=0
      while IFS= read -r name; do
        shown=$((shown + 1))
        grep -qF "name=\"$name\"" "$WORK/kill.xml" || fail "round $round (${args[*]}): $name shown and not in the report"
      done < <(grep -oE '^(test_[a-z0-9_]+) \(verdict_report\.Many\.[a-z0-9_]+\) \.\.\. (ok|FAIL|skipped)' "$WORK/kill.err" |
               cut -d' ' -f1)
    else
      shown=$(head -n 1 "$WORK/kill.err" | tr -cd '.Fs' | wc -c)
      recorded=$(grep -c '<testcase ' "$WORK/kill.xml")
      ((shown <= recorded)) || fail "round $round (dots): $shown results shown, $recorded in the report"
    fi
    shown_total=$((shown_total + shown))
  done
  echo "$shown_total results shown in 20 killed runs"
  ((shown_total > 100)) || fail "too few results shown to prove anything ($shown_total)"
  ;;
*)
  echo "unknown case $CASE" >&2
  exit 2
  ;;
esac
((failures == 0)) || exit 1
echo "verdict_report $CASE: passed"
