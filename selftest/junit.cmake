# Runs a test binary with a JUnit report, checks its exit status, validates the report against the Jenkins
# xunit schema (selftest/schemas/junit.xsd) and compares it, normalised, with an approved golden file.
#   cmake -DBINARY=… -DARGS=… -DGOLDEN=… -DEXPECT_EXIT=… -DSCHEMA=… -DXMLLINT=… -DWORK_DIR=…
#         [-DENV_VARS=…] [-DVIA_ENV=1] [-DEXPECT_INVALID=1] [-DSOURCE_DIR=…] -P junit.cmake
# VIA_ENV: name the report with XML_OUTPUT_FILE (Bazel) instead of --junit-xml. EXPECT_INVALID: the report
# must fail the schema (the opt-in file/line attributes). ASSAY_BLESS=1 (or -DBLESS=1) writes the golden file.
cmake_minimum_required(VERSION 3.25)
separate_arguments(args UNIX_COMMAND "${ARGS}")
set(env_args)
if(DEFINED ENV_VARS)
  separate_arguments(env_args UNIX_COMMAND "${ENV_VARS}")
endif()
get_filename_component(name "${GOLDEN}" NAME_WE)
set(report "${WORK_DIR}/junit/${name}.xml")
file(REMOVE "${report}")
if(VIA_ENV)
  list(APPEND env_args "XML_OUTPUT_FILE=${report}")
else()
  list(APPEND args --junit-xml "${report}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env --unset=XML_OUTPUT_FILE ${env_args} ${BINARY} ${args}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status)
# `cmake -E env` reports a child killed by a signal as exit 1 and "Subprocess killed".
if(EXPECT_EXIT STREQUAL "Killed" AND status EQUAL 1 AND err MATCHES "Subprocess killed")
  set(status Killed)
elseif(EXPECT_EXIT STREQUAL "Interrupt" AND status EQUAL 1 AND err MATCHES "User interrupt")
  set(status Interrupt)  # ended by SIGINT (cmake -E env reports the signal so)
endif()
if(NOT status STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_EXIT}\n--- stdout\n${out}--- stderr\n${err}")
endif()
if(NOT EXISTS "${report}")
  message(FATAL_ERROR "no report written to ${report}\n--- stderr\n${err}")
endif()

execute_process(COMMAND ${XMLLINT} --noout --schema "${SCHEMA}" "${report}"
  OUTPUT_VARIABLE lint ERROR_VARIABLE lint RESULT_VARIABLE lint_status)
if(EXPECT_INVALID)
  if(lint_status EQUAL 0)
    message(FATAL_ERROR "${report} validates against ${SCHEMA}, but was expected not to:\n${lint}")
  endif()
elseif(NOT lint_status EQUAL 0)
  message(FATAL_ERROR "${report} does not validate against ${SCHEMA}:\n${lint}")
endif()

file(READ "${report}" text)
if(SOURCE_DIR)
  string(REPLACE "${SOURCE_DIR}/" "" text "${text}")
endif()
string(REGEX REPLACE " time=\"[0-9]+\\.[0-9][0-9][0-9]\"" " time=\"X.XXX\"" text "${text}")
string(REGEX REPLACE " timestamp=\"[0-9T:-]+\"" " timestamp=\"TIMESTAMP\"" text "${text}")
string(REGEX REPLACE " hostname=\"[^\"]*\"" " hostname=\"HOST\"" text "${text}")
string(REGEX REPLACE "0x[0-9a-f]+" "0x…" text "${text}")
string(REGEX REPLACE "LWP [0-9]+" "LWP N" text "${text}")  # a hung worker's threads
include(${CMAKE_CURRENT_LIST_DIR}/golden_check.cmake)
golden_check("${text}" "${GOLDEN}" WHAT Report)
