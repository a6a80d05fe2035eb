# Debugging a failing test under gdb (batch mode), at -O0: where gdb stops is checked against the lines
# marked `// stop: NAME` in suites/debugging.cpp.
#   cmake -DGDB=… -DBINARY=… -DSOURCE=…/suites/debugging.cpp [-DCOMPILER=Clang|GNU] -P debugging.cmake
file(STRINGS ${SOURCE} lines)
set(number 0)
foreach(line IN LISTS lines)
  math(EXPR number "${number} + 1")
  if(line MATCHES "// stop: ([a-z_]+)")
    set(line_${CMAKE_MATCH_1} ${number})
  endif()
endforeach()

function(debug out)
  execute_process(COMMAND ${GDB} -nx -batch -ex run -ex bt --args ${BINARY} ${ARGN}
    OUTPUT_VARIABLE text ERROR_VARIABLE text TIMEOUT 120)
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The stop is a SIGTRAP whose frame 0 is no libc frame, and the first frame in the test's file is the
# marked line, at most `up` frames above frame 0 (the assertion inlined into the test counts as a frame in
# g++'s debug information; clang++'s hides it).
function(expect_stop name up)
  debug(text ${ARGN})
  if(text MATCHES "ptrace: Operation not permitted|Could not trace the inferior")
    message("ASSAY-SKIP: this machine does not let gdb trace a process")
    return()
  endif()
  if(NOT text MATCHES "received signal SIGTRAP")
    message(FATAL_ERROR "${ARGN}: gdb did not stop with SIGTRAP:\n${text}")
  endif()
  if(text MATCHES "\n#0 [^\n]*(pthread_kill|raise|break_here)")
    message(FATAL_ERROR "${ARGN}: gdb stopped in a library frame, not at the call site:\n${text}")
  endif()
  string(REGEX MATCH "\n#([0-9]+) [^\n]* at [^\n]*suites/debugging\\.cpp:([0-9]+)" first "${text}")
  if(NOT first OR NOT CMAKE_MATCH_2 EQUAL ${line_${name}} OR CMAKE_MATCH_1 GREATER ${up})
    message(FATAL_ERROR "${ARGN}: expected frame #0..#${up} at debugging.cpp:${line_${name}} (${name}):\n${text}")
  endif()
endfunction()

# clang++ (nodebug) hides the always-inlined assertEqual and breakpoint(): frame 0 is the test's line itself.
set(inlined 1)
if(COMPILER STREQUAL "Clang")
  set(inlined 0)
endif()
expect_stop(assertion ${inlined} --break-on-failure Stops.test_assertion)
expect_stop(assertion_true 1 --break-on-failure Stops.test_assertion_true)
expect_stop(helper ${inlined} --break-on-failure Stops.test_helper)
expect_stop(mock 1 --break-on-failure Stops.test_mock)
# An expectation stops on its line as an assertion does (`continue` records it and the test goes on).
expect_stop(expectation ${inlined} --break-on-failure StopsOnExpectation.test_expectation)
expect_stop(mock_expectation 1 --break-on-failure StopsOnExpectation.test_mock_expectation)
expect_stop(breakpoint ${inlined} Stops.test_breakpoint)
# Under a debugger the run is in-process anyway; the breakpoint stops without any option.

# --no-catch: the process ends in std::terminate called from the throw, the throwing function on the stack.
debug(text --no-catch Throws.test_unexpected)
if(NOT text MATCHES "terminate called after throwing an instance of 'std::invalid_argument'"
   OR NOT text MATCHES "received signal SIGABRT")
  message(FATAL_ERROR "--no-catch: the process did not end in std::terminate:\n${text}")
endif()
if(NOT text MATCHES "__cxa_throw [^\n]*\n#[0-9]+ [^\n]*parse_port [^\n]*debugging\\.cpp:${line_throw}\n")
  message(FATAL_ERROR "--no-catch: the throwing frame (debugging.cpp:${line_throw}) is not on the stack:\n${text}")
endif()
# Without --no-catch the same test is an ERROR and the run goes on (the stack is unwound as usual).
debug(text Throws.test_unexpected Throws.test_passes)
if(NOT text MATCHES "ERROR: test_unexpected" OR NOT text MATCHES "exited normally|exited with code 01")
  message(FATAL_ERROR "without --no-catch the unexpected exception was not reported:\n${text}")
endif()
