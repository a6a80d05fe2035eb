# 50 MB on stdout without -b: the output goes past the supervisor (it never holds it), the run reports
# and the worker that wrote it stayed small (test_memory_stays_small).
#   cmake -DHOSTILE=… [-DARGS=…] -P flood.cmake
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env HOSTILE_FLOOD=1 ${HOSTILE} -v ${args} Floods
  OUTPUT_FILE /dev/null ERROR_VARIABLE err RESULT_VARIABLE status TIMEOUT 120)
foreach(expected "test_floods_stdout (hostile.Floods.test_floods_stdout) ... FAIL"
                 "test_memory_stays_small (hostile.Floods.test_memory_stays_small) ... ok"
                 "AssertionError: after 50 MB of output")
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected `${expected}` in the report (status ${status}):\n${err}")
  endif()
endforeach()
if(NOT status EQUAL 1)
  message(FATAL_ERROR "exit status ${status}, expected 1:\n${err}")
endif()
