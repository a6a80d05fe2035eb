# CTest integration for assay test binaries: assay_discover_tests() registers every test by its id.
#
#   include(Assay)
#   assay_discover_tests(<target>
#     [TEST_PREFIX <prefix>] [TEST_SUFFIX <suffix>]
#     [EXTRA_ARGS <arg>...]              # appended to every test's command line
#     [DISCOVERY_EXTRA_ARGS <arg>...]    # only for the listing, e.g. -k fast to register a subset
#     [WORKING_DIRECTORY <dir>]          # default: the current binary directory
#     [PROPERTIES <name> <value>...]     # on every test; LABELS are added to the module/class labels
#     [TEST_PROPERTIES <id> <name> <value>...]  # on one test (or class); repeatable; see below
#     [XML_OUTPUT_DIR <dir>]             # a JUnit report per test: <dir>/<prefix><id><suffix>.xml
#     [DISCOVERY_TIMEOUT <seconds>]      # default 60
#     [DISCOVERY_MODE POST_BUILD|PRE_TEST]  # default POST_BUILD (or CMAKE_ASSAY_DISCOVER_TESTS_DISCOVERY_MODE)
#     [PER_CLASS]                        # one CTest test per class instead of per test
#     [SKIP_RETURN_CODE <code>])         # default 77
#
# The target is run with `--list=ctest` after it is built (POST_BUILD) or when ctest starts (PRE_TEST, for
# cross-compiling and binaries that cannot run at build time). The listing sits between marker lines, so
# anything printed during static initialisation is ignored, and its fields are percent-encoded, so test
# ids with `;`, brackets, quotes, spaces or `$` survive. Each test is registered as
#   add_test(<prefix><module.Class.test><suffix> <target> --id <module.Class.test> --skip-exit-code 77 …)
# `--id` selects exactly that id (no patterns), so `ctest -R 'Class.test_x$'` runs exactly one test.
# A test that is skipped exits 77 and CTest reports it as skipped (SKIP_RETURN_CODE). Every test gets
# the LABELS `<module>`, `<module.Class>` and its tags (so `ctest -L` selects a file, a class or a tag:
# `ctest -L slow`) and DEF_SOURCE_LINE (IDEs jump to the test). With PER_CLASS a CTest test runs a whole
# class (its setUpClass once; labelled with the tags of any of its tests), for suites so large that a
# process per test costs too much.
#
# TEST_PROPERTIES <id> <name> <value>… applies to the tests whose id is <id> or ends with `.<id>`
# (`UtilsTestCase.test_failing` or the full id); with PER_CLASS, <id> names a class. Naming no
# discovered test is an error, so a renamed test does not silently lose its properties:
#   assay_discover_tests(utils_test TEST_PROPERTIES UtilsTestCase.test_failing WILL_FAIL TRUE)
#
# A binary that lists no test (or none matching DISCOVERY_EXTRA_ARGS) gets one test
# `<prefix><target>.NO_TESTS<suffix>` that runs it and fails, because it selects nothing (exit 5).
# Before the binary is built (and discovered), `<prefix><target>_NOT_BUILT<suffix>` stands in and fails.
include_guard(GLOBAL)

# Functions keep the policies of their definition: these, whatever the including project asks for.
cmake_policy(PUSH)
cmake_policy(VERSION 3.25)

# The helpers (_assay_bracket, _assay_code) and assay_add_tests(), shared with discovery at build and test time.
include("${CMAKE_CURRENT_LIST_DIR}/AssayAddTests.cmake")

# Appends `set(_assay_<key> <value as a bracket argument>)` to the code in variable `out`.
function(_assay_set out key value)
  _assay_bracket(quoted "${value}")
  set(${out} "${${out}}set(_assay_${key} ${quoted})\n" PARENT_SCOPE)
endfunction()

function(assay_discover_tests target)
  # TEST_PROPERTIES may repeat, so its groups are split off before cmake_parse_arguments sees the rest.
  set(keywords TEST_PREFIX TEST_SUFFIX EXTRA_ARGS DISCOVERY_EXTRA_ARGS WORKING_DIRECTORY PROPERTIES
               TEST_PROPERTIES XML_OUTPUT_DIR DISCOVERY_TIMEOUT DISCOVERY_MODE PER_CLASS SKIP_RETURN_CODE)
  set(rest "")
  set(groups 0)
  set(in_group FALSE)
  foreach(arg IN LISTS ARGN)
    if(arg STREQUAL "TEST_PROPERTIES")
      math(EXPR groups "${groups} + 1")
      set(group_${groups} "")
      set(in_group TRUE)
    elseif(in_group AND arg IN_LIST keywords)
      set(in_group FALSE)
      list(APPEND rest "${arg}")
    elseif(in_group)
      list(APPEND group_${groups} "${arg}")
    else()
      list(APPEND rest "${arg}")
    endif()
  endforeach()
  cmake_parse_arguments(arg "PER_CLASS"
    "TEST_PREFIX;TEST_SUFFIX;WORKING_DIRECTORY;XML_OUTPUT_DIR;DISCOVERY_TIMEOUT;DISCOVERY_MODE;SKIP_RETURN_CODE"
    "EXTRA_ARGS;DISCOVERY_EXTRA_ARGS;PROPERTIES" ${rest})
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "assay_discover_tests(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "assay_discover_tests: '${target}' is not a target")
  endif()
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  if(NOT arg_DISCOVERY_TIMEOUT)
    set(arg_DISCOVERY_TIMEOUT 60)  # generous: peers' 5 s breaks builds on loaded machines
  endif()
  if(NOT DEFINED arg_SKIP_RETURN_CODE)
    set(arg_SKIP_RETURN_CODE 77)
  endif()
  if(NOT arg_DISCOVERY_MODE)
    if(CMAKE_ASSAY_DISCOVER_TESTS_DISCOVERY_MODE)
      set(arg_DISCOVERY_MODE ${CMAKE_ASSAY_DISCOVER_TESTS_DISCOVERY_MODE})
    else()
      set(arg_DISCOVERY_MODE POST_BUILD)
    endif()
  endif()
  if(NOT arg_DISCOVERY_MODE MATCHES "^(POST_BUILD|PRE_TEST)$")
    message(FATAL_ERROR "assay_discover_tests(${target}): DISCOVERY_MODE must be POST_BUILD or PRE_TEST")
  endif()
  if(arg_XML_OUTPUT_DIR AND NOT IS_ABSOLUTE "${arg_XML_OUTPUT_DIR}")
    set(arg_XML_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${arg_XML_OUTPUT_DIR}")
  endif()

  # LABELS given in PROPERTIES join the module and class labels instead of replacing them.
  set(labels "")
  set(properties "")
  list(LENGTH arg_PROPERTIES count)
  math(EXPR odd "${count} % 2")
  if(odd)
    message(FATAL_ERROR "assay_discover_tests(${target}): PROPERTIES needs name/value pairs")
  endif()
  set(i 0)
  while(i LESS count)
    math(EXPR j "${i} + 1")
    list(GET arg_PROPERTIES ${i} name)
    list(GET arg_PROPERTIES ${j} value)
    if(name STREQUAL "LABELS")
      list(APPEND labels ${value})
    else()
      list(APPEND properties "${name}" "${value}")
    endif()
    math(EXPR i "${i} + 2")
  endwhile()

  # One set of generated files per call: a target may be registered twice (another prefix, PER_CLASS, …).
  get_property(index TARGET ${target} PROPERTY ASSAY_DISCOVERY_CALLS)
  if(NOT index)
    set(index 0)
  endif()
  math(EXPR index "${index} + 1")
  set_property(TARGET ${target} PROPERTY ASSAY_DISCOVERY_CALLS ${index})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/${target}_assay_${index}")
  set(params_file "${base}_params.cmake")
  set(tests_file "${base}_tests.cmake")
  set(include_file "${base}_include.cmake")

  get_property(emulator TARGET ${target} PROPERTY CROSSCOMPILING_EMULATOR)
  _assay_code(extra_code ${arg_EXTRA_ARGS})
  _assay_code(properties_code ${properties})
  set(params "# Generated by assay_discover_tests(${target}); read by AssayAddTests.cmake.\n")
  _assay_set(params TARGET "${target}")
  _assay_set(params PREFIX "${arg_TEST_PREFIX}")
  _assay_set(params SUFFIX "${arg_TEST_SUFFIX}")
  _assay_set(params WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}")
  _assay_set(params XML_OUTPUT_DIR "${arg_XML_OUTPUT_DIR}")
  _assay_set(params TIMEOUT "${arg_DISCOVERY_TIMEOUT}")
  _assay_set(params PER_CLASS "${arg_PER_CLASS}")
  _assay_set(params SKIP_CODE "${arg_SKIP_RETURN_CODE}")
  _assay_set(params EXTRA_CODE "${extra_code}")
  _assay_set(params PROPERTIES_CODE "${properties_code}")
  _assay_code(code ${labels})
  string(APPEND params "set(_assay_LABELS${code})\n")
  _assay_code(code ${emulator})
  string(APPEND params "set(_assay_EMULATOR${code})\n")
  _assay_code(code ${arg_DISCOVERY_EXTRA_ARGS})
  string(APPEND params "set(_assay_DISCOVERY_ARGS${code})\n")
  string(APPEND params "set(_assay_OVERRIDES ${groups})\n")
  if(groups GREATER 0)
    foreach(g RANGE 1 ${groups})
      list(LENGTH group_${g} n)
      math(EXPR odd "${n} % 2")
      if(n LESS 3 OR NOT odd)
        message(FATAL_ERROR "assay_discover_tests(${target}): TEST_PROPERTIES needs an id, then name/value pairs")
      endif()
      list(POP_FRONT group_${g} id)
      _assay_code(code ${group_${g}})
      _assay_set(params OVERRIDE_${g}_ID "${id}")
      _assay_set(params OVERRIDE_${g}_CODE "${code}")
    endforeach()
  endif()
  file(WRITE "${params_file}" "${params}")

  # Found from the function itself, not a variable: callable from any directory once included (CMake #25477).
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/AssayAddTests.cmake")
  _assay_bracket(not_built "${arg_TEST_PREFIX}${target}_NOT_BUILT${arg_TEST_SUFFIX}")
  if(arg_DISCOVERY_MODE STREQUAL "POST_BUILD")
    add_custom_command(TARGET ${target} POST_BUILD
      BYPRODUCTS "${tests_file}"
      COMMAND "${CMAKE_COMMAND}" -D "ASSAY_EXECUTABLE=$<TARGET_FILE:${target}>" -D "ASSAY_PARAMS=${params_file}"
              -D "ASSAY_TESTS_FILE=${tests_file}" -P "${script}"
      COMMENT "Discovering assay tests in ${target}"
      VERBATIM)
    file(WRITE "${include_file}"
      "if(EXISTS \"${tests_file}\")\n"
      "  include(\"${tests_file}\")\n"
      "else()\n"
      "  add_test(${not_built} ${target}_NOT_BUILT)\n"
      "endif()\n")
  else()
    # Discovery at ctest time, again only when the binary or the parameters changed since the last one.
    string(CONCAT content
      "set(_assay_executable \"$<TARGET_FILE:${target}>\")\n"
      "if(NOT EXISTS \"\${_assay_executable}\")\n"
      "  add_test(${not_built} ${target}_NOT_BUILT)\n"
      "else()\n"
      "  if(NOT EXISTS \"${tests_file}\" OR \"\${_assay_executable}\" IS_NEWER_THAN \"${tests_file}\"\n"
      "     OR \"${params_file}\" IS_NEWER_THAN \"${tests_file}\")\n"
      "    include(\"${script}\")\n"
      "    assay_add_tests(\"\${_assay_executable}\" \"${params_file}\" \"${tests_file}\")\n"
      "  endif()\n"
      "  include(\"${tests_file}\")\n"
      "endif()\n")
    file(GENERATE OUTPUT "${include_file}" CONTENT "${content}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()

cmake_policy(POP)
