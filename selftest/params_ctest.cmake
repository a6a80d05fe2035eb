# What assay_discover_tests registered for the params suite: one CTest test per row and per type, each
# running its exact id (brackets and all), and `ctest -R` with escaped brackets selecting one row.
#   cmake -DCTEST=… -DBUILD_DIR=<selftest build dir> -P params_ctest.cmake
cmake_policy(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/ctest_registered.cmake)
# `name | argument argument` for each test `ctest -R regex` would run.
function(registered out regex)
  ctest_tests(json last -R "${regex}")
  set(lines "")
  if(last GREATER_EQUAL 0)
    foreach(i RANGE ${last})
      string(JSON name GET "${json}" tests ${i} name)
      string(JSON command GET "${json}" tests ${i} command)
      string(JSON a1 GET "${command}" 1)
      string(JSON a2 GET "${command}" 2)
      string(APPEND lines "${name} | ${a1} ${a2}\n")
    endforeach()
  endif()
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

registered(all "^params_ctest:")
expect("registered rows and types" "${all}" [=[params_ctest:params.Squares.test_square[2-4] | --id params.Squares.test_square[2-4]
params_ctest:params.Squares.test_square[3-9] | --id params.Squares.test_square[3-9]
params_ctest:params.Squares.test_square[-1-1] | --id params.Squares.test_square[-1-1]
params_ctest:params.Typed.test_roundtrip[int] | --id params.Typed.test_roundtrip[int]
params_ctest:params.Typed.test_roundtrip[std::string] | --id params.Typed.test_roundtrip[std::string]
params_ctest:params.Typed.test_roundtrip[std::vector<unsigned int>] | --id params.Typed.test_roundtrip[std::vector<unsigned int>]
]=])
registered(one "test_square\\[2-4\\]$")
expect("ctest -R test_square\\[2-4\\]$" "${one}" [=[params_ctest:params.Squares.test_square[2-4] | --id params.Squares.test_square[2-4]
]=])
registered(typed "test_roundtrip\\[std::string\\]")
expect("ctest -R test_roundtrip\\[std::string\\]" "${typed}" [=[params_ctest:params.Typed.test_roundtrip[std::string] | --id params.Typed.test_roundtrip[std::string]
]=])
message(STATUS "params: one CTest test per row and type, selectable with ctest -R")
