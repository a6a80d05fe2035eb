# No false verdicts from the process around the tests: the verdict_process suite run from outside with its
# standard descriptors closed, its group killed, SIGTERM, a reader that goes away, O_NONBLOCK stdio, closed
# descriptors, forked children, orphans, a stray ASSAY_WORKER and descriptor and process limits. Exit
# status, text and the JUnit report (validated against the schema) are checked, in each mode that applies.
#   cmake -DBINARY=… -DTHREADS_BINARY=… -DSCENARIO=… -DXMLLINT=… -DSCHEMA=… -DWORK_DIR=… -P verdict_process.cmake
cmake_minimum_required(VERSION 3.25)

find_program(BASH bash REQUIRED)
set(work "${WORK_DIR}/verdict_process_work/${SCENARIO}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")
set(report "${work}/report.xml")
set(clean_env --unset=XML_OUTPUT_FILE --unset=TESTBRIDGE_TEST_ONLY --unset=TEST_TOTAL_SHARDS --unset=TEST_SHARD_INDEX
              --unset=GTEST_TOTAL_SHARDS --unset=GTEST_SHARD_INDEX --unset=ASSAY_WORKER --unset=NO_COLOR
              --unset=CLICOLOR_FORCE --unset=FORCE_COLOR ASAN_OPTIONS=detect_leaks=0)

# sh(<script> [ENV VAR=value…] [TIMEOUT s]): runs a bash script with $B the suite and $R the report path;
# sets `out`, `err`, `status` and `seconds`.
macro(sh script)
  cmake_parse_arguments(S "" "TIMEOUT" "ENV" ${ARGN})
  if(NOT S_TIMEOUT)
    set(S_TIMEOUT 60)
  endif()
  file(REMOVE "${report}")
  string(TIMESTAMP started "%s")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env ${clean_env} ${S_ENV} B=${BINARY} R=${report} W=${work} ${BASH} -c "${script}"
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status TIMEOUT ${S_TIMEOUT})
  string(TIMESTAMP ended "%s")
  math(EXPR seconds "${ended} - ${started}")
  set(last_script "${script}")
endmacro()

function(fail what)
  message(FATAL_ERROR "${what}\n--- script: ${last_script}\n--- status ${status}\n--- stdout\n${out}--- stderr\n${err}")
endfunction()

function(expect_status expected)
  if(NOT status STREQUAL "${expected}")
    fail("exit status ${status}, expected ${expected}")
  endif()
endfunction()

# expect(<regex> [IN text] [NOT]): the report (stderr) matches, or does not.
function(expect regex)
  cmake_parse_arguments(E "NOT" "IN" "" ${ARGN})
  set(text "${err}")
  if(E_IN)
    set(text "${${E_IN}}")
  endif()
  if(E_NOT AND text MATCHES "${regex}")
    fail("unexpectedly matched: ${regex}")
  elseif(NOT E_NOT AND NOT text MATCHES "${regex}")
    fail("expected to match: ${regex}")
  endif()
endfunction()

function(expect_count regex count)
  string(REGEX MATCHALL "${regex}" found "${err}")
  list(LENGTH found n)
  if(NOT n EQUAL count)
    fail("${n} matches of ${regex}, expected ${count}")
  endif()
endfunction()

# expect_junit(<tests> <failures> <errors> [regex…]): the report exists, validates and has these totals.
# The report validates, whatever it holds (-j N: how many tests ran depends on the timing).
function(expect_junit_valid)
  execute_process(COMMAND ${XMLLINT} --noout --schema "${SCHEMA}" "${report}"
                  OUTPUT_VARIABLE lint ERROR_VARIABLE lint RESULT_VARIABLE lint_status)
  if(NOT lint_status EQUAL 0)
    fail("${report} does not validate:\n${lint}")
  endif()
endfunction()

function(expect_junit tests failures errors)
  if(NOT EXISTS "${report}")
    fail("no JUnit report at ${report}")
  endif()
  execute_process(COMMAND ${XMLLINT} --noout --schema "${SCHEMA}" "${report}"
                  OUTPUT_VARIABLE lint ERROR_VARIABLE lint RESULT_VARIABLE lint_status)
  file(READ "${report}" xml)
  if(NOT lint_status EQUAL 0)
    fail("${report} does not validate:\n${lint}\n${xml}")
  endif()
  if(xml MATCHES "<!-- in progress")
    # The run was killed: the report on disk is the in-progress one, whose totals are per <testsuite>.
    string(REGEX MATCHALL "<testcase " cases "${xml}")
    string(REGEX MATCHALL "<failure " failed "${xml}")
    string(REGEX MATCHALL "<error " errored "${xml}")
    list(LENGTH cases n_tests)
    list(LENGTH failed n_failures)
    list(LENGTH errored n_errors)
    if(NOT "${n_tests}/${n_failures}/${n_errors}" STREQUAL "${tests}/${failures}/${errors}")
      fail("JUnit report (in progress) holds ${n_tests}/${n_failures}/${n_errors}, expected ${tests}/${failures}/${errors}:\n${xml}")
    endif()
  elseif(NOT xml MATCHES "<testsuites name=\"[^\"]*\" tests=\"${tests}\" failures=\"${failures}\" errors=\"${errors}\"")
    fail("JUnit totals are not tests=${tests} failures=${failures} errors=${errors}:\n${xml}")
  endif()
  foreach(regex ${ARGN})
    if(NOT xml MATCHES "${regex}")
      fail("JUnit report does not match ${regex}:\n${xml}")
    endif()
  endforeach()
endfunction()

# (`default`: no option. An empty list element would vanish from foreach.)
set(all_modes default --isolate --in-process)
set(supervised_modes default --isolate)

if(SCENARIO STREQUAL "closed_std")
  # Started with stdin, stdout and stderr closed: the report files and the journal must not take
  # descriptors 0-2 (a test's output would land in them), also where workers start through exec.
  foreach(binary "${BINARY}" "${THREADS_BINARY}")
    set(BINARY "${binary}")
    foreach(mode ${all_modes})
      string(REPLACE "default" "" mode "${mode}")
      foreach(closed "<&- >&- 2>&-" ">&- 2>&-")
        sh("\"$B\" --junit-xml \"$R\" ${mode} -q Passing Environment ${closed}")
        expect_status(0)
        expect_junit(4 0 0)
        sh("\"$B\" --junit-xml \"$R\" ${mode} -v Passing Environment ClosesDescriptors.test_after_close_two ${closed}")
        expect_status(1)
        expect_junit(5 1 0 "AssertionError: 1 != 2")
      endforeach()
      # stdout closed alone: the report (stderr) is complete.
      sh("\"$B\" --junit-xml \"$R\" ${mode} -v Passing Environment >&-")
      expect_status(0)
      expect("test_three \\(verdict_process.Passing.test_three\\) \\.\\.\\. ok\n.*Ran 4 tests in .*\n\nOK\n$")
      expect_junit(4 0 0)
    endforeach()
  endforeach()

elseif(SCENARIO STREQUAL "kill_group")
  # kill(0, SIGTERM) in a test kills its worker only (in-process it is the run's group: not checked).
  foreach(mode ${supervised_modes})
    string(REPLACE "default" "" mode "${mode}")
    sh("setsid -w \"$B\" --junit-xml \"$R\" ${mode} -v KillsGroup Passing" ENV VERDICT_KILL_GROUP=1)
    expect_status(1)
    expect("test_kills_its_group \\(verdict_process.KillsGroup.test_kills_its_group\\) \\.\\.\\. ERROR\n")
    expect("test_after_group_kill \\(verdict_process.KillsGroup.test_after_group_kill\\) \\.\\.\\. ok\n")
    expect("Crash: killed by signal SIGTERM \\(Terminated\\)\n")
    expect("Ran 5 tests in .*\n\nFAILED \\(errors=1\\)\n$")
    expect_junit(5 0 1 "killed by signal SIGTERM")
  endforeach()

elseif(SCENARIO STREQUAL "term_self" OR SCENARIO STREQUAL "term_external")
  # SIGTERM to the run during a test: that test is an ERROR (Terminated), no later test runs, the summary
  # and the JUnit report are complete, and the run exits 143. In-process the process dies of the signal
  # (143 from the shell) with the report on disk valid: with -c it names the running test.
  if(SCENARIO STREQUAL "term_self")
    set(run "\"$B\" --junit-xml \"$R\" MODE -v Terminated Passing; exit $?")  # (bash must not exec it)
    set(env VERDICT_TERM=self)
  else()
    # As a CI job's timeout does it: from outside, once the test is seen running.
    file(WRITE "${work}/term.sh" [=[
rm -f "$W/out"
"$B" --junit-xml "$R" "$@" -v Terminated Passing > "$W/out" &
pid=$!
until grep -q 'test_running_at_term started' "$W/out" 2>/dev/null; do sleep 0.02; done
kill -TERM $pid
wait $pid
status=$?
cat "$W/out"
exit $status
]=])
    set(run "exec bash \"$W/term.sh\" MODE")
    set(env VERDICT_TERM=wait)
  endif()
  foreach(mode ${supervised_modes})
    string(REPLACE "default" "" mode "${mode}")
    string(REPLACE "MODE" "${mode}" script "${run}")
    sh("${script}" ENV ${env})
    expect_status(143)
    expect("test_running_at_term \\(verdict_process.Terminated.test_running_at_term\\) \\.\\.\\. ERROR\n")
    expect("\nTerminated: the run received SIGTERM\n")
    expect("Ran 2 tests in .*\n\nFAILED \\(errors=1\\)\n$")
    expect("must not run" NOT IN out)
    expect_junit(2 0 1 "type=\"Terminated\" message=\"the run received SIGTERM\"")
  endforeach()
  foreach(catch "" -c)
    string(REPLACE "MODE" "--in-process ${catch}" script "${run}")
    sh("${script}" ENV ${env})
    expect_status(143)
    expect("must not run" NOT IN out)
    if(catch)
      expect_junit(2 0 1 "name=\"test_running_at_term\"")
    else()
      expect_junit(1 0 0)
    endif()
  endforeach()

elseif(SCENARIO STREQUAL "ctrl_c")
  # Ctrl-C as a terminal sends it: SIGINT to the run's process group (job control on). The worker is in a
  # group of its own; the run passes SIGINT on, so the test's child dies of it, also while it is between
  # fork and exec (it has -c's handler then). With -c the test then finishes and the run reports and exits
  # 130; without, the run dies of it at once (130 from the shell), leaving nothing behind to hold the pipes.
  # ctrl_c.sh <line to wait for> <arguments>: Ctrl-C once the run has said that line; then $W/sent exists.
  file(WRITE "${work}/ctrl_c.sh" [=[
set -m
rm -f "$W/out" "$W/sent"
mark=$1
shift
"$B" --junit-xml "$R" "$@" > "$W/out" &
pid=$!
until grep -q "$mark" "$W/out" 2>/dev/null; do sleep 0.02; done
kill -INT -- -$pid
: > "$W/sent"
wait $pid
status=$?
cat "$W/out"
exit $status
]=])
  foreach(mode ${all_modes})
    string(REPLACE "default" "" mode "${mode}")
    foreach(test child_sees_ctrl_c forked_child_sees_ctrl_c)
      set(run "exec bash \"$W/ctrl_c.sh\" 'test_${test} started' ${mode}")
      string(APPEND run " -v CtrlC.test_${test} CtrlC.test_not_run_after_ctrl_c Passing")
      sh("${run} -c" ENV VERDICT_INTERRUPT=1 VERDICT_INTERRUPT_FORKED=1 TIMEOUT 25)
      expect_status(130)
      expect("test_${test} \\(verdict_process.CtrlC.test_${test}\\) \\.\\.\\. ok\n")
      expect("Ran 1 test in .*\n\nOK\n$")
      expect("must not run" NOT IN out)
      expect_junit(1 0 0)
      sh("${run}" ENV VERDICT_INTERRUPT=1 VERDICT_INTERRUPT_FORKED=1 TIMEOUT 25)
      expect_status(130)
      if(seconds GREATER 10)
        fail("the run's pipes stayed open for ${seconds} s")
      endif()
      expect("must not run" NOT IN out)
    endforeach()
  endforeach()
  # A worker started through exec (threads at start), Ctrl-C'd before assay's main: held until its handler
  # is in place, it does not die of it. (The run may take the signal only once the worker is ready, with a
  # test under way: how many tests ran depends on that, their outcome does not. No test here waits for the
  # signal: a child a test starts after the Ctrl-C would rightly never see it.)
  set(BINARY "${THREADS_BINARY}")
  foreach(mode default --isolate "-j 2")
    string(REPLACE "default" "" mode "${mode}")
    sh("exec bash \"$W/ctrl_c.sh\" 'worker starting' ${mode} -c -v Passing Environment"
       ENV "VERDICT_INTERRUPT_START=${work}/sent" TIMEOUT 25)
    expect_status(130)
    expect("ERROR|FAIL|Crash|SIGINT" NOT)
    expect("\n(OK|NO TESTS RAN)\n$")
    string(REGEX MATCH "\nRan ([0-9]+) tests? in " ran "${err}")
    expect_junit(${CMAKE_MATCH_1} 0 0)
  endforeach()

elseif(SCENARIO STREQUAL "sigpipe")
  # Nobody reads the report: the run neither dies of SIGPIPE nor changes its verdict, and the JUnit report
  # is complete.
  foreach(mode ${all_modes})
    string(REPLACE "default" "" mode "${mode}")
    # (stdout, where a test writes, is kept: a test's own write to a pipe nobody reads would end it.)
    sh("set -o pipefail; \"$B\" --junit-xml \"$R\" ${mode} -v Passing 2>&1 >/dev/null | true" ENV VERDICT_SLOW=1)
    expect_status(0)
    expect_junit(3 0 0)
    sh("set -o pipefail; \"$B\" --junit-xml \"$R\" ${mode} Passing ClosesDescriptors.test_after_close_two 2>&1 >/dev/null | true"
       ENV VERDICT_SLOW=1)
    expect_status(1)
    expect_junit(4 1 0)
    # stdout nobody reads, and a test's output left in its buffer: written out by the framework (after the
    # test, or at the end), it must not end the run, nor be blamed on the next test.
    # (Not Passing.test_two: its own write(1) during the test would rightly end it, SIGPIPE.)
    sh("set -o pipefail; \"$B\" --junit-xml \"$R\" ${mode} Passing.test_one Passing.test_three Environment 2>/dev/null | true"
       ENV VERDICT_SLOW=1 VERDICT_PRINTF=1)
    expect_status(0)
    expect_junit(3 0 0)
  endforeach()

elseif(SCENARIO STREQUAL "nonblocking")
  # A test sets O_NONBLOCK on stdio, then 200 failures make a summary far larger than the pipe, read late.
  foreach(mode ${all_modes})
    string(REPLACE "default" "" mode "${mode}")
    sh("set -o pipefail; \"$B\" --junit-xml \"$R\" ${mode} NonBlocking.test_sets_nonblocking NonBlocking.test_many_failures 2>&1 | { sleep 1; cat; } 1>&2"
       ENV VERDICT_NONBLOCK=1)
    expect_status(1)
    expect_count("\nFAIL: test_many_failures \\(verdict_process.NonBlocking.test_many_failures\\) \\(i=[0-9]+\\)\n" 200)
    expect("failure 199 x+\n\n-+\nRan 2 tests in [^\n]*\n\nFAILED \\(failures=200\\)\n$")
    expect_junit(2 1 0)
  endforeach()
  # -b: a failed test's captured output, in its report and echoed to the (non-blocking) stdout.
  foreach(mode ${all_modes})
    string(REPLACE "default" "" mode "${mode}")
    sh("set -o pipefail; \"$B\" --junit-xml \"$R\" ${mode} -b NonBlocking 2>&1 | { sleep 1; cat; } 1>&2"
       ENV VERDICT_NONBLOCK=1 VERDICT_NONBLOCK_PRINT=1)
    expect_status(1)
    # (The last 64 KiB of the 4000 lines are kept: 3474 of them, twice.)
    expect_count("\ncaptured line [0-9]+" 6948)
    expect_count("\ncaptured line 3999\n" 2)
    expect_count("\n\\[\\.\\.\\. [0-9.]+ kB of output truncated \\.\\.\\.\\]\n" 2)
    expect("\nRan 3 tests in [^\n]*\n\nFAILED \\(failures=201\\)\n$")
    expect_junit(3 2 0)
  endforeach()

elseif(SCENARIO STREQUAL "closed_descriptors")
  # A test closes every descriptor from 3 up and opens files of its own in their place: the later tests'
  # progress and the summary are all there, and none of it lands in the test's file (nor is that file
  # truncated as a capture file). In-process the JUnit file's descriptor is lost with the rest: the
  # in-progress file is no longer updated (never the test's file), and the final report is complete.
  # In-process -b is not tried: its saved streams are the test's to lose (README).
  foreach(mode default "-v" "--isolate -v" "--in-process -v" "--in-process" "-b -v" "--isolate -b -v")
    string(REPLACE "default" "" mode "${mode}")
    set(junit --junit-xml "\"$R\"")
    string(JOIN " " junit ${junit})
    file(WRITE "${work}/victim" "")
    sh("\"$B\" ${junit} ${mode} ClosesDescriptors Passing" ENV VERDICT_CLOSE=${work}/victim)
    expect_status(1)
    if(mode MATCHES "-v")
      expect("test_after_close_one \\(verdict_process.ClosesDescriptors.test_after_close_one\\) \\.\\.\\. ok\n")
      expect("test_after_close_two \\(verdict_process.ClosesDescriptors.test_after_close_two\\) \\.\\.\\. FAIL\n")
      expect("test_three \\(verdict_process.Passing.test_three\\) \\.\\.\\. ok\n")
    else()
      expect("^\\.\\.F\\.\\.\\.\\.\n")
    endif()
    expect("\nAssertionError: 1 != 2\n")
    expect("Ran 7 tests in .*\n\nFAILED \\(failures=1\\)\n$")
    if(mode MATCHES "-b")
      # -b still captures after the test closed the capture files (and the saved streams).
      expect("\nAssertionError: 1 != 2\n\nStdout:\nClosesDescriptors.test_after_close_two writes to stdout\n")
      expect("Passing.test_two" NOT IN out)
    endif()
    file(READ "${work}/victim" victim)
    if(NOT victim STREQUAL "")
      fail("the report went into the test's own file:\n${victim}")
    endif()
    if(junit)
      expect_junit(7 1 0)
    endif()
  endforeach()

elseif(SCENARIO STREQUAL "fork")
  # A test's forked child that returns (or fails) leaves quietly: one report, six tests.
  foreach(mode ${all_modes})
    string(REPLACE "default" "" mode "${mode}")
    sh("\"$B\" --junit-xml \"$R\" ${mode} -v Forks Passing" ENV VERDICT_FORK=1)
    expect_status(0)
    expect_count("Ran [0-9]+ tests" 1)
    expect("Ran 6 tests in .*\n\nOK\n$")
    expect("assay: process [0-9]+, forked during verdict_process.Forks.test_child_fails, left it with AssertionError: 1 != 2 : in the child\n")
    expect_junit(6 0 0)
  endforeach()

elseif(SCENARIO STREQUAL "orphan")
  # A worker's process group ends with it: the sleeps its tests left holding the pipes (one test hangs and
  # is killed, one passes) go too, so the run ends at once. (In-process they would hold the pipes.)
  foreach(mode ${supervised_modes})
    string(REPLACE "default" "" mode "${mode}")
    sh("\"$B\" --junit-xml \"$R\" ${mode} -v --timeout 0.5 LeavesChild Passing" ENV VERDICT_ORPHAN=1 TIMEOUT 25)
    expect_status(1)
    if(seconds GREATER 10)
      fail("the run's pipes stayed open for ${seconds} s")
    endif()
    expect("\nTimeout: timed out after 0.5s\n")
    expect("test_leaves_child_and_passes \\(verdict_process.LeavesChild.test_leaves_child_and_passes\\) \\.\\.\\. ok\n")
    expect("test_after_orphan \\(verdict_process.LeavesChild.test_after_orphan\\) \\.\\.\\. ok\n")
    expect_junit(6 0 1)
  endforeach()

elseif(SCENARIO STREQUAL "worker_variable")
  # ASSAY_WORKER inherited from elsewhere: ignored (and not passed on to the tests).
  foreach(value 3 "3:1:1" "0" "garbage")
    sh("\"$B\" --help" ENV "ASSAY_WORKER=${value}")
    expect_status(0)
    expect("^usage: " IN out)
    foreach(mode ${all_modes})
      string(REPLACE "default" "" mode "${mode}")
      sh("\"$B\" --junit-xml \"$R\" ${mode} -q Passing Environment" ENV "ASSAY_WORKER=${value}")
      expect_status(0)
      expect_junit(4 0 0)
    endforeach()
  endforeach()
  # Even naming this shell's own descriptor and pid, without the journal's token.
  sh("exec 5<\"$R.missing\" 2>/dev/null; exec 5<\"$B\"; ASSAY_WORKER=5:$$:1 exec \"$B\" -q Passing Environment")
  expect_status(0)

elseif(SCENARIO STREQUAL "fd_limit")
  if(SANITIZED GREATER -1)
    message(STATUS "ASSAY-SKIP: a sanitizer's own descriptors (UBSan's vptr check opens a pipe) are not counted")
    return()
  endif()
  # Few descriptors: a crash is still an ERROR and the run goes on. Supervision needs 6 descriptors
  # (0-2, the report, the doorbell pipe; the journal's only while it is mapped), a seventh with a JUnit
  # report, three more with -b (its two files, and one while they are made); a pidfd when one is left.
  # (What the caller left open beyond 0-2 is closed first: the limit is then exactly what the run has.)
  file(WRITE "${work}/limited.sh" [=[
for fd in /proc/$$/fd/*; do
  n=${fd##*/}
  [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-"
done
ulimit -n "$1" && shift && exec "$B" "$@"
]=])
  foreach(mode ${supervised_modes})
    string(REPLACE "default" "" mode "${mode}")
    foreach(limit_args "7;-q" "8;-q" "16;-q" "7;-q -c" "10;-q -b -c")
      list(GET limit_args 0 limit)
      list(GET limit_args 1 args)
      sh("bash \"$W/limited.sh\" ${limit} --junit-xml \"$R\" ${mode} ${args} -v Crashes" ENV VERDICT_CRASH=1)
      expect_status(1)
      expect("WARNING" NOT)
      expect("test_crash \\(verdict_process.Crashes.test_crash\\) \\.\\.\\. ERROR\n")
      expect("test_after_crash \\(verdict_process.Crashes.test_after_crash\\) \\.\\.\\. ok\n")
      expect("Crash: killed by signal SIGKILL \\(Killed\\)\n")
      if(args MATCHES "-b")
        expect("Crash: killed by signal SIGKILL \\(Killed\\)\n\nStdout:\ntest_crash writes to stdout\n")
      endif()
      expect_junit(3 0 1)
    endforeach()
  endforeach()
  # Too few for a worker: said loudly, on the report stream (before the tests and after the summary) and
  # in the JUnit report's properties.
  sh("bash \"$W/limited.sh\" 6 --junit-xml \"$R\" -q Passing")
  expect_status(0)
  expect_count("assay: WARNING: 3 of 3 tests ran in-process, unsupervised \\(cannot supervise the run: [^)]*\\): a crash ends the run\n" 2)
  expect_junit(3 0 0 "<property name=\"assay.unsupervised\" value=\"3 of 3 tests ran in-process, unsupervised")

elseif(SCENARIO STREQUAL "jobs")
  # -j N: what concurrency changes. Other classes run in other workers meanwhile, so the counts are those
  # of every test; the guarantees are the serial ones.
  foreach(mode "-j 2" "-j 4" "--isolate -j 3")
    # kill(0, SIGTERM) in a test kills its own worker only, not the others.
    sh("setsid -w \"$B\" --junit-xml \"$R\" ${mode} -v KillsGroup Passing" ENV VERDICT_KILL_GROUP=1)
    expect_status(1)
    expect("test_kills_its_group \\(verdict_process.KillsGroup.test_kills_its_group\\) \\.\\.\\. ERROR\n")
    expect("test_after_group_kill \\(verdict_process.KillsGroup.test_after_group_kill\\) \\.\\.\\. ok\n")
    expect("Ran 5 tests in .*\n\nFAILED \\(errors=1\\)\n$")
    expect_junit(5 0 1 "killed by signal SIGTERM")
    # SIGTERM from outside: every running test is Terminated, the others do not start, the report is whole.
    file(WRITE "${work}/term.sh" [=[
rm -f "$W/out"
"$B" --junit-xml "$R" "$@" -v Terminated Passing > "$W/out" &
pid=$!
until grep -q 'test_running_at_term started' "$W/out" 2>/dev/null; do sleep 0.02; done
kill -TERM $pid
wait $pid
status=$?
cat "$W/out"
exit $status
]=])
    sh("exec bash \"$W/term.sh\" ${mode}" ENV VERDICT_TERM=wait)
    expect_status(143)
    expect("\nTerminated: the run received SIGTERM\n")
    expect("\nFAILED \\(errors=[12]\\)\n$")
    if(NOT mode MATCHES "isolate")  # (a process per test: the class's later tests may run meanwhile)
      expect("must not run" NOT IN out)
    endif()
    expect_junit_valid()
    # Ctrl-C with -c: the running tests finish, no other starts; exit 130.
    file(WRITE "${work}/ctrl_c.sh" [=[
set -m
rm -f "$W/out"
"$B" --junit-xml "$R" "$@" -v CtrlC Passing > "$W/out" &
pid=$!
until grep -q 'test_child_sees_ctrl_c started' "$W/out" 2>/dev/null; do sleep 0.02; done
kill -INT -- -$pid
wait $pid
status=$?
cat "$W/out"
exit $status
]=])
    sh("exec bash \"$W/ctrl_c.sh\" ${mode} -c" ENV VERDICT_INTERRUPT=1 TIMEOUT 25)
    expect_status(130)
    expect("test_child_sees_ctrl_c \\(verdict_process.CtrlC.test_child_sees_ctrl_c\\) \\.\\.\\. ok\n")
    if(NOT mode MATCHES "isolate")  # (a process per test: the class's later tests may run meanwhile)
      expect("must not run" NOT IN out)
    endif()
    expect_junit_valid()
  endforeach()
  # Descriptors for fewer workers than asked: the run says so before the tests and goes on with those.
  if(SANITIZED EQUAL -1)
    file(WRITE "${work}/limited.sh" [=[
for fd in /proc/$$/fd/*; do
  n=${fd##*/}
  [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-"
done
ulimit -n "$1" && shift && exec "$B" "$@"
]=])
    sh("bash \"$W/limited.sh\" 12 --junit-xml \"$R\" -j 8 -v Crashes" ENV VERDICT_CRASH=1)
    expect_status(1)
    expect("^assay: WARNING: -j 8: only [1-7] workers? at once \\([^)]*Too many open files\\)\n")
    expect("test_crash \\(verdict_process.Crashes.test_crash\\) \\.\\.\\. ERROR\n")
    expect("test_after_crash \\(verdict_process.Crashes.test_after_crash\\) \\.\\.\\. ok\n")
    expect_junit(3 0 1)
  endif()

elseif(SCENARIO STREQUAL "process_limit")
  # RLIMIT_NPROC, for real: as an unprivileged user (root is exempt) whose only other process, a sleep,
  # holds the last slot for a second. The worker waits for the slot; supervision is not given up.
  execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(as_user "")
  if(uid STREQUAL "0")
    find_program(SETPRIV setpriv)
    if(NOT SETPRIV)
      message(STATUS "ASSAY-SKIP: running as root without setpriv: RLIMIT_NPROC does not apply")
      return()
    endif()
    set(as_user ${SETPRIV} --reuid=65534 --regid=65534 --clear-groups)
    file(CHMOD "${work}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_WRITE
         GROUP_EXECUTE WORLD_READ WORLD_WRITE WORLD_EXECUTE)
    execute_process(COMMAND ps -u 65534 -o pid= OUTPUT_VARIABLE others)
    if(NOT others STREQUAL "")
      message(STATUS "ASSAY-SKIP: user 65534 has processes running:\n${others}")
      return()
    endif()
  endif()
  foreach(mode ${supervised_modes})
    string(REPLACE "default" "" mode "${mode}")
    # (The sleep is not the suite's child: a zombie nobody reaps would hold the slot.)
    set(script "(sleep 1 &) && ulimit -u 2 && exec \"$B\" --junit-xml \"$R\" ${mode} -v Crashes")
    file(REMOVE "${report}")
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env ${clean_env} VERDICT_CRASH=1 B=${BINARY} R=${report} ${as_user} ${BASH} -c
              "${script}"
      OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status TIMEOUT 60)
    set(last_script "${script}")
    expect_status(1)
    expect("WARNING" NOT)
    expect("test_crash \\(verdict_process.Crashes.test_crash\\) \\.\\.\\. ERROR\n")
    expect("test_after_crash \\(verdict_process.Crashes.test_after_crash\\) \\.\\.\\. ok\n")
    expect_junit(3 0 1)
  endforeach()
  # No slot at all: after the bounded wait (10 s), the run goes on in-process and says so.
  file(REMOVE "${report}")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env ${clean_env} B=${BINARY} R=${report} ${as_user} ${BASH} -c
            "ulimit -u 1 && exec \"$B\" --junit-xml \"$R\" -q Passing"
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status TIMEOUT 60)
  set(last_script "ulimit -u 1")
  expect_status(0)
  expect_count("assay: WARNING: 3 of 3 tests ran in-process, unsupervised \\(cannot start a worker process: Resource temporarily unavailable\\): a crash ends the run\n" 2)
  expect_junit(3 0 0 "<property name=\"assay.unsupervised\"")

else()
  message(FATAL_ERROR "unknown scenario ${SCENARIO}")
endif()
message(STATUS "verdict_process.${SCENARIO} holds")
