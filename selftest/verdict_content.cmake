# Runs a test binary and compares its output, byte for byte, with an approved golden file; like golden.cmake,
# but the output never passes through a CMake string (which cannot hold a NUL): it is captured in files and
# read through `cat -v`, so a NUL shows as ^@ and a lost byte shows as a difference.
#   cmake -DBINARY=… -DARGS=… -DGOLDEN=… -DEXPECT_EXIT=… -DWORK_DIR=… [-DENV_VARS=…] [-DSOURCE_DIR=…]
#         [-DSHELL_PREFIX=…] [-DREADONLY_TMP=1] [-DSCHEMA=… -DXMLLINT=…] [-DNO_BLESS=1] -P verdict_content.cmake
# SHELL_PREFIX: shell commands run before the binary (`ulimit -n 4`). READONLY_TMP: the binary runs in a mount
# namespace whose /tmp is a read-only file system (skipped, printing ASSAY-SKIP, where that cannot be made).
# SCHEMA and XMLLINT: the run also writes a JUnit report, which must validate. PATTERNS: regular expressions
# (separated by @@; one that starts with ! must not match) the output must match, instead of a golden file (for output that names addresses and
# process ids); JUNIT_PATTERNS: the same for the JUnit report.
# ASSAY_BLESS=1 (or -DBLESS=1) writes the golden file instead of comparing (not with -DNO_BLESS=1).
cmake_minimum_required(VERSION 3.25)
separate_arguments(args UNIX_COMMAND "${ARGS}")
set(env_args)
if(DEFINED ENV_VARS)
  separate_arguments(env_args UNIX_COMMAND "${ENV_VARS}")
endif()
get_filename_component(name "${GOLDEN}" NAME_WE)
string(MD5 tag "${ARGS}${ENV_VARS}${SHELL_PREFIX}${NO_BLESS}")
set(base "${WORK_DIR}/verdict_content_runs/${name}.${tag}")
file(MAKE_DIRECTORY "${WORK_DIR}/verdict_content_runs")
file(REMOVE "${base}.out" "${base}.err" "${base}.xml")
if(SCHEMA)
  list(PREPEND args --junit-xml "${base}.xml")  # options before the test names
endif()

if(NOT SHELL_PREFIX)
  set(SHELL_PREFIX ":")
endif()
set(command ${CMAKE_COMMAND} -E env --unset=NO_COLOR --unset=CLICOLOR_FORCE --unset=FORCE_COLOR
    --unset=XML_OUTPUT_FILE --unset=TESTBRIDGE_TEST_ONLY --unset=TEST_TOTAL_SHARDS --unset=TEST_SHARD_INDEX
    --unset=GTEST_TOTAL_SHARDS --unset=GTEST_SHARD_INDEX --unset=GITHUB_WORKSPACE ${env_args}
    sh -c "${SHELL_PREFIX}\nexec \"$@\"" sh ${BINARY} ${args})
if(READONLY_TMP)
  execute_process(COMMAND unshare -m --propagation private sh -c "mount -t tmpfs -o ro tmpfs /tmp && ! touch /tmp/x"
    RESULT_VARIABLE probe OUTPUT_QUIET ERROR_QUIET)
  if(NOT probe EQUAL 0)
    message(STATUS "ASSAY-SKIP: cannot give a process a read-only /tmp here (unshare -m)")
    return()
  endif()
  set(command unshare -m --propagation private sh -c "mount -t tmpfs -o ro tmpfs /tmp && exec \"$@\"" sh ${command})
endif()
execute_process(COMMAND ${command} OUTPUT_FILE "${base}.out" ERROR_FILE "${base}.err" RESULT_VARIABLE status)
execute_process(COMMAND cat -v "${base}.out" OUTPUT_VARIABLE out)
execute_process(COMMAND cat -v "${base}.err" OUTPUT_VARIABLE err)
set(text "--- exit ${status}\n--- stdout\n${out}--- stderr\n${err}")
if(SOURCE_DIR)
  string(REPLACE "${SOURCE_DIR}/" "" text "${text}")
endif()
string(REGEX REPLACE "Ran ([0-9]+) tests? in [0-9]+\\.[0-9]+s" "Ran \\1 tests in X.XXXs" text "${text}")
string(REGEX REPLACE "0x[0-9a-f]+" "0x..." text "${text}")
if(DEFINED PATTERNS AND NOT PATTERNS STREQUAL "")
  string(REPLACE "@@" ";" patterns "${PATTERNS}")
  foreach(pattern ${patterns})
    if(pattern MATCHES "^!")
      string(SUBSTRING "${pattern}" 1 -1 pattern)
      if(text MATCHES "${pattern}")
        message(FATAL_ERROR "output matches '${pattern}', which it must not:\n${text}")
      endif()
    elseif(NOT text MATCHES "${pattern}")
      message(FATAL_ERROR "output does not match '${pattern}':\n${text}")
    endif()
  endforeach()
else()
  include(${CMAKE_CURRENT_LIST_DIR}/golden_check.cmake)
  golden_check("${text}" "${GOLDEN}" ACTUAL "${base}.actual")
endif()
if(NOT status STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_EXIT}\n${text}")
endif()
if(SCHEMA)
  if(NOT EXISTS "${base}.xml")
    message(FATAL_ERROR "no JUnit report written to ${base}.xml")
  endif()
  execute_process(COMMAND ${XMLLINT} --noout --schema "${SCHEMA}" "${base}.xml"
    OUTPUT_VARIABLE lint ERROR_VARIABLE lint RESULT_VARIABLE lint_status)
  if(NOT lint_status EQUAL 0)
    message(FATAL_ERROR "${base}.xml does not validate against ${SCHEMA}:\n${lint}")
  endif()
  if(DEFINED JUNIT_PATTERNS AND NOT JUNIT_PATTERNS STREQUAL "")
    file(READ "${base}.xml" xml)
    string(REPLACE "@@" ";" patterns "${JUNIT_PATTERNS}")
    foreach(pattern ${patterns})
      if(NOT xml MATCHES "${pattern}")
        message(FATAL_ERROR "${base}.xml does not match '${pattern}':\n${xml}")
      endif()
    endforeach()
  endif()
endif()
