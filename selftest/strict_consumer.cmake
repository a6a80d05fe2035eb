# A team's strict warnings meet assay's headers (selftest/strict_consumer): with the headers included as plain -I,
# the header-heavy test file and every public header compile without a warning (-Werror); by default a consumer
# gets them as -isystem. ROUTE=subdirectory: add_subdirectory(<assay source tree>), compiling the consumer's
# sources only, at -O3. ROUTE=installed: the package installed from BUILD_DIR into a temporary prefix; the test
# binary is linked and run (Debug).
#   cmake -DROUTE=… -DSOURCE_DIR=… -DBUILD_DIR=… -DWORK_DIR=… -DGENERATOR=… -DCXX=… "-DCXX_FLAGS=…"
#         "-DLINKER_FLAGS=…" -P strict_consumer.cmake
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    string(JOIN " " command ${ARGN})
    message(FATAL_ERROR "${ROUTE}: failed (${status}): ${command}\n${out}")
  endif()
endfunction()

# check_includes(<build dir> <flag>): the consumer's test file sees each of assay's include directories through
# <flag> (-I or -isystem) and never through the other.
function(check_includes build flag)
  file(READ "${build}/compile_commands.json" json)
  string(JSON count LENGTH "${json}")
  math(EXPR last "${count} - 1")
  set(command "")
  foreach(i RANGE ${last})
    string(JSON file GET "${json}" ${i} file)
    if(file MATCHES "/strict_test\\.cpp$")
      string(JSON command GET "${json}" ${i} command)
    endif()
  endforeach()
  if(command STREQUAL "")
    message(FATAL_ERROR "${ROUTE}: strict_test.cpp is missing from ${build}/compile_commands.json")
  endif()
  if(flag STREQUAL "-I")
    set(other "-isystem ")
  else()
    set(other "-I")
    set(flag "-isystem ")
  endif()
  foreach(dir ${include_dirs})
    string(FIND "${command}" "${flag}${dir} " at)
    string(FIND "${command}" "${other}${dir} " other_at)
    if(at EQUAL -1 OR NOT other_at EQUAL -1)
      message(FATAL_ERROR "${ROUTE}: expected ${flag}${dir} for the consumer's sources, not ${other}:\n${command}")
    endif()
  endforeach()
endfunction()

set(work "${WORK_DIR}/strict-consumer-${ROUTE}")
set(configure -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
              "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
              -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(ROUTE STREQUAL "installed")
  set(prefix "${work}/prefix")
  file(REMOVE_RECURSE "${prefix}")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
  list(APPEND configure "-DCMAKE_PREFIX_PATH=${prefix}")
  set(include_dirs "${prefix}/include")
  set(target strict_test)
  list(APPEND configure -DCMAKE_BUILD_TYPE=Debug)
elseif(ROUTE STREQUAL "subdirectory")
  list(APPEND configure "-DASSAY_SOURCE_DIR=${SOURCE_DIR}")
  set(include_dirs "${SOURCE_DIR}/framework/include" "${SOURCE_DIR}/mock/include" "${SOURCE_DIR}/runner/include")
  set(target strict_objects)  # the consumer's sources only: assay's own are not what is judged here
  # -O3: the optimiser's warnings too (-Wrestrict, -Wmaybe-uninitialized, … in assay's inlined templates).
  list(APPEND configure -DCMAKE_BUILD_TYPE=Release)
else()
  message(FATAL_ERROR "ROUTE must be subdirectory or installed")
endif()

# Plain -I: every warning of assay's headers would show, and -Werror makes it fail the build.
set(build "${work}/plain")
file(REMOVE_RECURSE "${build}/CMakeFiles/strict_objects.dir")  # compile again: warnings are not cached
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/selftest/strict_consumer" -B "${build}" ${configure} -DSTRICT_PLAIN_HEADERS=ON)
check_includes("${build}" -I)
run(${CMAKE_COMMAND} --build "${build}" --target ${target})

if(ROUTE STREQUAL "installed")
  # The file's tests pass, skip and fail as written: it is a real test file, not only a compile check.
  execute_process(COMMAND "${build}/strict_test" RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0 OR NOT out MATCHES "\nOK \\(skipped=2, expected failures=1\\)\n")
    message(FATAL_ERROR "${ROUTE}: strict_test exited with ${status}:\n${out}")
  endif()
endif()

# What a consumer gets by default: assay's headers as system headers.
set(build "${work}/default")
run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/selftest/strict_consumer" -B "${build}" ${configure} -DSTRICT_PLAIN_HEADERS=OFF)
check_includes("${build}" -isystem)
message(STATUS "${ROUTE}: assay's headers compile under strict warnings as -I, and reach consumers as -isystem")
