# What CTest registered, read back for the discovery checks (params_ctest, tags_ctest).
#   ctest_tests(<json var> <last var> ARGS…): the tests `ctest ARGS…` would run, as --show-only=json-v1 gives
#   them, and the index of the last (-1: none). CTEST and BUILD_DIR name the ctest and the build.
#   expect(<what> <actual> <expected>): fails, showing both, when they differ.
function(ctest_tests json_var last_var)
  execute_process(COMMAND "${CTEST}" --test-dir "${BUILD_DIR}" --show-only=json-v1 ${ARGN}
                  OUTPUT_VARIABLE json RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "ctest --show-only failed (${status}): ${err}")
  endif()
  string(JSON count LENGTH "${json}" tests)
  math(EXPR last "${count} - 1")
  set(${json_var} "${json}" PARENT_SCOPE)
  set(${last_var} ${last} PARENT_SCOPE)
endfunction()

function(expect what actual expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what}:\n--- expected\n${expected}--- actual\n${actual}")
  endif()
endfunction()
