# Builds the consumer project (selftest/consumer) against assay as a README reader would, then checks what
# its ctest does. ROUTE=subdirectory: add_subdirectory(<assay source tree>). ROUTE=installed: find_package
# of assay installed from BUILD_DIR into a temporary prefix, plus a pkg-config build of the same tests.
#   cmake -DROUTE=… -DSOURCE_DIR=… -DBUILD_DIR=… -DWORK_DIR=… -DGENERATOR=… -DCXX=… "-DCXX_FLAGS=…"
#         "-DLINKER_FLAGS=…" -DXMLLINT=… -DSCHEMA=… -P consumer.cmake
# The consumer's build directory is kept between runs (a rebuild is incremental); its reports are not.
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "failed (${status}): ${command}\n${out}")
  endif()
endfunction()

function(expect what actual expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${ROUTE}: ${what}:\n  expected: ${expected}\n  actual:   ${actual}")
  endif()
endfunction()

set(work "${WORK_DIR}/consumer-${ROUTE}")
set(build "${work}/build")
# Stale reports must not pass; without the generated test lists the link step (and discovery) runs again.
file(GLOB generated "${build}/*_assay_*_tests.cmake")
file(REMOVE_RECURSE "${build}/junit" "${build}/Testing" ${generated})
set(configure -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
              "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(ROUTE STREQUAL "installed")
  set(prefix "${work}/prefix")
  file(REMOVE_RECURSE "${prefix}")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
  list(APPEND configure "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(ROUTE STREQUAL "subdirectory")
  list(APPEND configure "-DASSAY_SOURCE_DIR=${SOURCE_DIR}")
else()
  message(FATAL_ERROR "ROUTE must be subdirectory or installed")
endif()
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/selftest/consumer" -B "${build}" ${configure})
run(${CMAKE_COMMAND} --build "${build}")

if(ROUTE STREQUAL "installed")
  file(STRINGS "${build}/CMakeCache.txt" assay_dir REGEX "^assay_DIR:")
  expect("the package found" "${assay_dir}" "assay_DIR:PATH=${prefix}/lib/cmake/assay")
  file(GLOB package_files "${prefix}/lib/cmake/assay/*.cmake")
  foreach(f ${package_files})
    file(READ "${f}" text)
    if(text MATCHES "benchmark")
      message(FATAL_ERROR "Google Benchmark leaks into the installed package: ${f}")
    endif()
  endforeach()
endif()

# What was registered: one test per id (and per class for the second registration), by exact id.
execute_process(COMMAND ${CMAKE_COMMAND} -E chdir "${build}" ctest --show-only=json-v1 OUTPUT_VARIABLE json)
string(JSON count LENGTH "${json}" tests)
set(names "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" tests ${i} name)
  string(APPEND names "${name}\n")
endforeach()
expect("registered tests" "${names}" [=[consumer_test.ConsumerTest.test_passes
consumer_test.ConsumerTest.test_fails
consumer_test.ConsumerTest.test_skipped
consumer_test.OtherTest.test_x
consumer_test.OtherTest.test_x_more
odd [mod];x=]$y.Odd.test_passes
class:consumer_test.ConsumerTest:v
class:consumer_test.OtherTest:v
class:odd [mod];x=]$y.Odd:v
none:consumer_test.NO_TESTS
]=])
string(JSON odd_command GET "${json}" tests 5 command)
string(JSON arg1 GET "${odd_command}" 1)
string(JSON arg2 GET "${odd_command}" 2)
expect("the odd test's selector" "${arg1} ${arg2}" "--id odd [mod];x=]$y.Odd.test_passes")
string(JSON labels GET "${json}" tests 0 properties 0 value)
string(JSON label_name GET "${json}" tests 0 properties 0 name)
expect("labels" "${label_name} ${labels}" [=[LABELS [ "consumer", "consumer_test", "consumer_test.ConsumerTest" ]]=])
string(JSON skip_code GET "${json}" tests 2 properties 1 value)
expect("SKIP_RETURN_CODE" "${skip_code}" "77")

# The whole suite: exactly the failing test and the empty selection fail; the skipped test is skipped.
execute_process(COMMAND ${CMAKE_COMMAND} -E chdir "${build}" ctest -j2 OUTPUT_VARIABLE out ERROR_VARIABLE out
                RESULT_VARIABLE status)
if(status EQUAL 0)
  message(FATAL_ERROR "${ROUTE}: ctest passed, but a test fails:\n${out}")
endif()
file(READ "${build}/Testing/Temporary/LastTestsFailed.log" failed)
expect("failed tests" "${failed}" "2:consumer_test.ConsumerTest.test_fails\n10:none:consumer_test.NO_TESTS\n")
if(NOT out MATCHES "3 - consumer_test\\.ConsumerTest\\.test_skipped \\(Skipped\\)")
  message(FATAL_ERROR "${ROUTE}: the skipped test is not reported skipped:\n${out}")
endif()
if(NOT out MATCHES "class:consumer_test\\.ConsumerTest:v [.]+ +Passed")
  message(FATAL_ERROR "${ROUTE}: TEST_PROPERTIES WILL_FAIL did not reach the failing class:\n${out}")
endif()

# A regex for one id runs exactly that test.
execute_process(COMMAND ${CMAKE_COMMAND} -E chdir "${build}" ctest -R "OtherTest.test_x$" OUTPUT_VARIABLE out)
string(REGEX MATCHALL "Test +#[0-9]+: [^ ]+" ran "${out}")
expect("ctest -R OtherTest.test_x$" "${ran}" "Test #4: consumer_test.OtherTest.test_x")
# Labels select a class; EXTRA_ARGS reach the per-class test.
execute_process(COMMAND ${CMAKE_COMMAND} -E chdir "${build}" ctest -N -L "^consumer_test.OtherTest$" OUTPUT_VARIABLE out)
string(REGEX MATCH "Total Tests: [0-9]+" total "${out}")
expect("ctest -L consumer_test.OtherTest" "${total}" "Total Tests: 3")
execute_process(COMMAND ${CMAKE_COMMAND} -E chdir "${build}" ctest -V -R "^class:consumer_test.OtherTest:v$" OUTPUT_VARIABLE out)
if(NOT out MATCHES "test_x_more \\(consumer_test\\.OtherTest\\.test_x_more\\) \\.\\.\\. ok")
  message(FATAL_ERROR "${ROUTE}: EXTRA_ARGS -v did not reach the per-class test:\n${out}")
endif()

# One JUnit report per test, each valid; the failure and the skip are in them.
file(GLOB reports RELATIVE "${build}/junit" "${build}/junit/*.xml")
list(SORT reports)
expect("JUnit reports" "${reports}" "consumer_test.ConsumerTest.test_fails.xml;consumer_test.ConsumerTest.test_passes.xml;consumer_test.ConsumerTest.test_skipped.xml;consumer_test.OtherTest.test_x.xml;consumer_test.OtherTest.test_x_more.xml;odd__mod__x___y.Odd.test_passes.xml")
foreach(report ${reports})
  run(${XMLLINT} --noout --schema "${SCHEMA}" "${build}/junit/${report}")
endforeach()
file(READ "${build}/junit/consumer_test.ConsumerTest.test_fails.xml" text)
if(NOT text MATCHES "<failure type=\"AssertionError\" message=\"&quot;expected&quot; != &quot;actual&quot;")
  message(FATAL_ERROR "${ROUTE}: the failure is missing from its report:\n${text}")
endif()
file(READ "${build}/junit/consumer_test.ConsumerTest.test_skipped.xml" text)
if(NOT text MATCHES "<skipped message=\"not on this machine\"/>")
  message(FATAL_ERROR "${ROUTE}: the skip is missing from its report:\n${text}")
endif()

# pkg-config: the same tests built with the flags of the installed assay-main.pc.
if(ROUTE STREQUAL "installed")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env "PKG_CONFIG_PATH=${prefix}/lib/pkgconfig"
                          pkg-config --cflags --libs assay-main
                  OUTPUT_VARIABLE pc_flags RESULT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
  expect("pkg-config status" "${status}" "0")
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
  separate_arguments(linker_flags UNIX_COMMAND "${LINKER_FLAGS}")
  run(${CXX} ${cxx_flags} -o "${work}/pkgconfig_test" "${SOURCE_DIR}/selftest/consumer/consumer_test.cpp"
      ${pc_flags} ${linker_flags})
  execute_process(COMMAND "${work}/pkgconfig_test" --id consumer_test.OtherTest.test_x -v
                  ERROR_VARIABLE out RESULT_VARIABLE status)
  expect("pkg-config build: exit status" "${status}" "0")
  if(NOT out MATCHES "test_x \\(consumer_test\\.OtherTest\\.test_x\\) \\.\\.\\. ok")
    message(FATAL_ERROR "pkg-config build: unexpected output:\n${out}")
  endif()
endif()
message(STATUS "${ROUTE}: the consumer project builds and its ctest behaves")
