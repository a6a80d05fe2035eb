# Under a debugger the tests run in the debugged process: gdb stops in the crashing test (no --in-process
# needed), and with --break-on-failure at the failing assertion.
#   cmake -DGDB=… -DHOSTILE=… -P debugger.cmake
function(debug out)
  execute_process(COMMAND ${GDB} -nx -batch -ex run -ex bt --args ${HOSTILE} ${ARGN}
    OUTPUT_VARIABLE text ERROR_VARIABLE text TIMEOUT 120)
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

debug(text Crashes.test_segfault)
if(text MATCHES "ptrace: Operation not permitted|Could not trace the inferior")
  message("ASSAY-SKIP: this machine does not let gdb trace a process")
  return()
endif()
if(NOT text MATCHES "received signal SIGSEGV" OR NOT text MATCHES "in Crashes::test_segfault ")
  message(FATAL_ERROR "gdb did not stop in the crashing test (was it run in a worker?):\n${text}")
endif()

debug(text --break-on-failure Survivor.test_fails_normally)
if(NOT text MATCHES "received signal SIGTRAP" OR NOT text MATCHES "Survivor::test_fails_normally \\(")
  message(FATAL_ERROR "--break-on-failure did not stop at the failing assertion:\n${text}")
endif()
