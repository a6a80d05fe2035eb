# A test binary without debug information (a Release build's): its failures still have their tracebacks,
# of one frame, and the search for a separate debug file gives up without loading libdw's debuginfod
# client (libdebuginfod, and libcurl with it: 5 ms at the first failure of each process; the network
# where DEBUGINFOD_URLS is set).
#   cmake -DBINARY=<a stripped test binary with failing tests> -P traceback_stripped.cmake
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${CMAKE_COMMAND} -E env LD_DEBUG=files ${BINARY} --in-process
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
if(NOT status EQUAL 1 OR NOT err MATCHES "Traceback \\(most recent call last\\):\n  File ")
  message(FATAL_ERROR "expected failures with tracebacks (exit ${status}):\n${out}${err}")
endif()
if(err MATCHES "libdebuginfod")
  string(REGEX MATCH "[^\n]*libdebuginfod[^\n]*" line "${err}")
  message(FATAL_ERROR "the debuginfod client was loaded: ${line}")
endif()
