# Fails if what a test file includes (<assay/assay.hpp>) pulls in a header outside the compile budget.
cmake_policy(VERSION 3.25)
#   cmake -DCXX=… -DINCLUDES="dir;dir" -DHEADER=assay/assay.hpp -P include_check.cmake
set(flags)
foreach(dir ${INCLUDES})
  list(APPEND flags "-I${dir}")
endforeach()
string(MAKE_C_IDENTIFIER "${HEADER}" id)
set(source "${WORK_DIR}/include_check_${id}.cpp")  # one file per header: checks run in parallel
file(WRITE "${source}" "#include <${HEADER}>\n")
execute_process(COMMAND ${CXX} -std=c++20 -M ${flags} "${source}"
                OUTPUT_VARIABLE deps RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${HEADER} does not compile alone")
endif()
string(REGEX REPLACE "[ \\\\\n]+" ";" deps "${deps}")
set(forbidden string sstream iostream ostream istream regex vector memory map filesystem thread chrono
    tuple utility functional algorithm string_view)
set(bad)
foreach(dep ${deps})
  get_filename_component(name "${dep}" NAME)
  if(name IN_LIST forbidden OR dep MATCHES "/fmt/")
    list(APPEND bad "${dep}")
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "${HEADER} includes headers outside the budget:\n  ${bad}")
endif()
message(STATUS "${HEADER}: include list within budget")
