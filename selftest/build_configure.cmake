# What a newcomer's plain top-level configure of assay gives, checked by configuring assay into WORK_DIR
# (configure steps only; .ci/build-configs builds these cases in full):
#   1. warnings are not errors by default: no -Werror in any compile command;
#   2. without fmt (CMAKE_DISABLE_FIND_PACKAGE_fmt), xmllint and gdb (empty ASSAY_XMLLINT, ASSAY_GDB), the
#      configure succeeds with ONE message that names their Debian packages, and what needs them is out;
#   3. ASSAY_BUILD_BENCHMARKS=ON without Google Benchmark stops the configure step, naming libbenchmark-dev.
#   cmake -DSOURCE_DIR=… -DWORK_DIR=… -DGENERATOR=… -DCXX=… -P build_configure.cmake
cmake_minimum_required(VERSION 3.25)

function(fail what)
  message(FATAL_ERROR "build_configure: ${what}")
endfunction()

set(work "${WORK_DIR}/build-configure")
file(REMOVE_RECURSE "${work}")  # a fresh cache: the defaults are what is checked
set(configure -S "${SOURCE_DIR}" -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)

# 1 and 2: defaults, without fmt, xmllint and gdb.
execute_process(COMMAND ${CMAKE_COMMAND} ${configure} -B "${work}/missing" -DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON
                        -DASSAY_XMLLINT= -DASSAY_GDB=
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  fail("the configure without the optional packages failed (${status}):\n${out}${err}")
endif()
string(REGEX MATCHALL "optional packages not found" messages "${out}${err}")
list(LENGTH messages count)
if(NOT count EQUAL 1 OR NOT err MATCHES "libfmt-dev" OR NOT err MATCHES "libxml2-utils" OR NOT err MATCHES "package gdb")
  fail("expected one message naming libfmt-dev, libxml2-utils and gdb, got:\n${err}")
endif()
file(READ "${work}/missing/compile_commands.json" commands)
if(commands MATCHES "-Werror")
  fail("a default configure treats warnings as errors")
endif()
if(commands MATCHES "assay_fmt_hpp\\.cpp" OR commands MATCHES "ASSAY_SELFTEST_WITH_FMT")
  fail("without fmt, the selftests still compile what needs fmt")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E chdir "${work}/missing" ctest -N OUTPUT_VARIABLE listed ERROR_QUIET)
string(REGEX MATCHALL "Test +#[0-9]+: [^\n]+" listed "${listed}")
string(REGEX REPLACE "Test +#[0-9]+: " "" listed "${listed}")
foreach(needs golden.junit_outcomes consumer.subdirectory consumer.installed hostile.debugger)
  if(needs IN_LIST listed)
    fail("without xmllint and gdb, ${needs} is still registered")
  endif()
endforeach()
foreach(stays selftest golden.outcomes_dots golden.junit_unwritable strict_consumer.subdirectory)
  if(NOT stays IN_LIST listed)
    fail("without the optional packages, ${stays} must stay registered: ${listed}")
  endif()
endforeach()

# 3: benchmarks asked for, Google Benchmark missing.
execute_process(COMMAND ${CMAKE_COMMAND} ${configure} -B "${work}/benchmarks" -DASSAY_BUILD_BENCHMARKS=ON
                        -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON -DASSAY_BUILD_TESTS=OFF -DASSAY_BUILD_EXAMPLES=OFF
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0 OR NOT err MATCHES "needs Google Benchmark" OR NOT err MATCHES "libbenchmark-dev")
  fail("benchmarks without Google Benchmark: expected the configure to stop naming libbenchmark-dev (${status}):\n${err}")
endif()
message(STATUS "build_configure: defaults without -Werror; missing packages named once; benchmarks stop")
