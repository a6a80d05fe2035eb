# Every option that takes a value, given without one, is named in the error (not some other option):
# the options are read from --help, so an option added later is checked too.
#   cmake -DBINARY=… -P newcomer_missing_value.cmake
execute_process(COMMAND ${BINARY} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "--help exited with ${status}")
endif()
# `  -k PATTERN`, `  --durations N`, `  --annotations=github`; not `--list[=ctest]` (its value is optional).
string(REGEX MATCHALL "\n  (-[a-z]|--[a-z-]+)( [A-Z/]+|=[a-z]+)" lines "${help}")
set(checked 0)
foreach(line ${lines})
  string(REGEX REPLACE "^\n  ([-a-z]+).*" "\\1" option "${line}")
  # Alone, after a test id and after another option: the message is the same.
  foreach(args "${option}" "Passing;${option}" "-v;${option}")
    execute_process(COMMAND ${BINARY} ${args} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
    string(REPLACE "+" "\\+" pattern "${option}")
    if(NOT status EQUAL 2 OR NOT err MATCHES "error: argument ${pattern}: expected one argument\n$")
      message(FATAL_ERROR "`${args}`: exit ${status}, expected 2 and `argument ${option}: expected one argument`:\n${err}")
    endif()
  endforeach()
  math(EXPR checked "${checked} + 1")
endforeach()
if(checked LESS 9)
  message(FATAL_ERROR "only ${checked} options with a value found in --help:\n${help}")
endif()
message(STATUS "${checked} options checked")
