# The build-farm protocols seen from outside, on real binaries: shards partition the selection (option and
# both environments), status files, TEST_PREMATURE_EXIT_FILE, TEST_TMPDIR and XML_OUTPUT_FILE.
#   cmake -DOUTCOMES=<outcomes suite> -DTOOLCHAIN=<toolchain suite> -DWORK_DIR=… -P protocols.cmake
cmake_minimum_required(VERSION 3.25)

set(clean_env --unset=TEST_TOTAL_SHARDS --unset=TEST_SHARD_INDEX --unset=GTEST_TOTAL_SHARDS --unset=GTEST_SHARD_INDEX
              --unset=XML_OUTPUT_FILE --unset=TESTBRIDGE_TEST_ONLY --unset=TEST_PREMATURE_EXIT_FILE)

# run(<out var> <status var> [VAR=value…] -- <command…>): stdout and exit status, in a clean environment.
function(run out_var status_var)
  set(env "")
  set(command ${ARGN})
  list(FIND command "--" dashes)
  if(dashes GREATER -1)
    list(SUBLIST command 0 ${dashes} env)
    math(EXPR start "${dashes} + 1")
    list(SUBLIST command ${start} -1 command)
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${clean_env} ${env} ${command}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
  set(${out_var} "${out}${err}" PARENT_SCOPE)
  set(${status_var} "${status}" PARENT_SCOPE)
endfunction()

function(expect what actual expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what}:\n  expected: ${expected}\n  actual:   ${actual}")
  endif()
endfunction()

set(work "${WORK_DIR}/protocols")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

# Shards: every selected test in exactly one shard; the environments give the same shards as --shard.
run(all status ${OUTCOMES} --list)
expect("--list status" "${status}" "0")
string(REGEX MATCHALL "[^\n]+" all_ids "${all}")
list(LENGTH all_ids total_tests)
math(EXPR more_shards_than_tests "${total_tests} + 3")
foreach(total 1 2 3 ${total_tests} ${more_shards_than_tests})
  set(union "")
  math(EXPR last "${total} - 1")
  foreach(index RANGE ${last})
    run(shard status ${OUTCOMES} --list --shard ${index}/${total})
    expect("--shard ${index}/${total} status" "${status}" "0")
    run(bazel status TEST_TOTAL_SHARDS=${total} TEST_SHARD_INDEX=${index} -- ${OUTCOMES} --list)
    expect("TEST_SHARD_INDEX=${index} TEST_TOTAL_SHARDS=${total}" "${bazel}" "${shard}")
    if(total EQUAL 3)
      run(gtest status GTEST_TOTAL_SHARDS=${total} GTEST_SHARD_INDEX=${index} -- ${OUTCOMES} --list)
      expect("GTEST_SHARD_INDEX=${index} GTEST_TOTAL_SHARDS=${total}" "${gtest}" "${shard}")
    endif()
    string(REGEX MATCHALL "[^\n]+" ids "${shard}")
    foreach(id ${ids})
      if(id IN_LIST union)
        message(FATAL_ERROR "${id} is in two shards of ${total}")
      endif()
    endforeach()
    list(APPEND union ${ids})
  endforeach()
  list(SORT union)
  set(sorted_all ${all_ids})
  list(SORT sorted_all)
  expect("the union of ${total} shards" "${union}" "${sorted_all}")
endforeach()

# Status files are touched by a run (Bazel's check that the binary shards), whether sharded or not.
run(out status TEST_SHARD_STATUS_FILE=${work}/status GTEST_SHARD_STATUS_FILE=${work}/gtest_status
    -- ${OUTCOMES} -q Passing)
expect("run with status files" "${status}" "0")
foreach(f status gtest_status)
  if(NOT EXISTS "${work}/${f}")
    message(FATAL_ERROR "the shard status file ${f} was not created")
  endif()
endforeach()

# TEST_PREMATURE_EXIT_FILE: gone after a normal end (even a failing run). A test calling exit() leaves it
# behind when it ends the runner (--in-process); under supervision it is an error instead, and the run fails.
run(out status TEST_PREMATURE_EXIT_FILE=${work}/premature -- ${OUTCOMES} -q -k Outcomes.test_fail)
expect("failing run status" "${status}" "1")
if(EXISTS "${work}/premature")
  message(FATAL_ERROR "TEST_PREMATURE_EXIT_FILE left behind by a normal run")
endif()
run(out status TEST_PREMATURE_EXIT_FILE=${work}/premature TOOLCHAIN_SUITE_EXIT=1
    -- ${TOOLCHAIN} -q --in-process --id toolchain.Environment.test_exit_early)
if(NOT EXISTS "${work}/premature")
  message(FATAL_ERROR "TEST_PREMATURE_EXIT_FILE removed although a test called exit() (status ${status}):\n${out}")
endif()
file(REMOVE "${work}/premature")
run(out status TEST_PREMATURE_EXIT_FILE=${work}/premature TOOLCHAIN_SUITE_EXIT=1
    -- ${TOOLCHAIN} -q --id toolchain.Environment.test_exit_early)
if(status EQUAL 0 AND NOT EXISTS "${work}/premature")
  message(FATAL_ERROR "a test calling exit() went unnoticed:\n${out}")
endif()

# TEST_TMPDIR becomes the tests' TMPDIR.
run(out status TEST_TMPDIR=${work} -- ${TOOLCHAIN} -q --id toolchain.Environment.test_tmpdir)
if(NOT out MATCHES "TMPDIR=${work}\n")
  message(FATAL_ERROR "TEST_TMPDIR did not reach the test as TMPDIR:\n${out}")
endif()

# XML_OUTPUT_FILE names the report; --junit-xml wins over it.
run(out status XML_OUTPUT_FILE=${work}/bazel.xml -- ${OUTCOMES} -q Passing)
if(NOT EXISTS "${work}/bazel.xml")
  message(FATAL_ERROR "no report at XML_OUTPUT_FILE:\n${out}")
endif()
run(out status XML_OUTPUT_FILE=${work}/ignored.xml -- ${OUTCOMES} -q --junit-xml ${work}/chosen.xml Passing)
if(EXISTS "${work}/ignored.xml" OR NOT EXISTS "${work}/chosen.xml")
  message(FATAL_ERROR "--junit-xml did not take precedence over XML_OUTPUT_FILE")
endif()
message(STATUS "sharding and build-farm protocols hold")
