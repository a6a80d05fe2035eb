# Runs a test binary and compares its normalised output and exit status with an approved golden file.
cmake_policy(VERSION 3.25)
#   cmake -DBINARY=… -DARGS=… -DGOLDEN=… -DEXPECT_EXIT=… [-DSOURCE_DIR=…] [-DBLESS=1] -P golden.cmake
# Set ASSAY_BLESS=1 in the environment (or -DBLESS=1) to write the golden file instead of comparing
# (not with -DNO_BLESS=1: a second run checked against the same file).
separate_arguments(args UNIX_COMMAND "${ARGS}")
set(env_args)
if(DEFINED ENV_VARS)
  separate_arguments(env_args UNIX_COMMAND "${ENV_VARS}")
endif()
execute_process(
  # The caller's colour, CI and build-farm variables must not change the output: only ENV_VARS set them.
  COMMAND ${CMAKE_COMMAND} -E env --unset=NO_COLOR --unset=CLICOLOR_FORCE --unset=FORCE_COLOR --unset=XML_OUTPUT_FILE
          --unset=TESTBRIDGE_TEST_ONLY --unset=TEST_TOTAL_SHARDS --unset=TEST_SHARD_INDEX --unset=GTEST_TOTAL_SHARDS
          --unset=GTEST_SHARD_INDEX --unset=GITHUB_WORKSPACE ${env_args} ${BINARY} ${args}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
# stdout then stderr: the report is on stderr, a test's own prints on stdout (unittest's split).
set(text "--- exit ${status}\n--- stdout\n${out}--- stderr\n${err}")
if(SOURCE_DIR)
  string(REPLACE "${SOURCE_DIR}/" "" text "${text}")
endif()
string(REGEX REPLACE "Ran ([0-9]+) tests? in [0-9]+\\.[0-9]+s" "Ran \\1 tests in X.XXXs" text "${text}")
string(REGEX REPLACE "\n[0-9]+\\.[0-9][0-9][0-9]s +" "\nX.XXXs     " text "${text}")
string(REGEX REPLACE "0x[0-9a-f]+" "0x…" text "${text}")
string(REGEX REPLACE "LWP [0-9]+" "LWP N" text "${text}")  # a hung worker's threads
include(${CMAKE_CURRENT_LIST_DIR}/golden_check.cmake)
golden_check("${text}" "${GOLDEN}")
if(NOT status STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_EXIT}")
endif()
