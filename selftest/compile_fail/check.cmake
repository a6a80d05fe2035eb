# Compiles one compile_fail case twice: with -DASSAY_COMPILE_FAIL_CONTROL it must compile (the correct use), without
# it it must fail, and the diagnostic must match every `// expect: <regex>` line of the file (and its first error
# every `// expect-first: <regex>` line).
#   cmake -DCOMPILER=… -DSOURCE=… -DINCLUDES=a;b -P check.cmake
set(ENV{LC_ALL} C)  # plain ASCII quotes in g++'s diagnostics
set(flags -std=c++20 -fsyntax-only)
foreach(dir ${INCLUDES})
  list(APPEND flags -I${dir})
endforeach()
execute_process(COMMAND ${COMPILER} ${flags} -DASSAY_COMPILE_FAIL_CONTROL ${SOURCE}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the control (correct) version of ${SOURCE} does not compile:\n${out}${err}")
endif()
execute_process(COMMAND ${COMPILER} ${flags} ${SOURCE} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not")
endif()
file(STRINGS ${SOURCE} expects REGEX "^// expect: ")
# `// expect-first: <regex>`: the first error the compiler reports must match (assay's own message leads).
file(STRINGS ${SOURCE} expect_first REGEX "^// expect-first: ")
if(expect_first)
  string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${out}${err}")
  foreach(line ${expect_first})
    string(REGEX REPLACE "^// expect-first: " "" pattern "${line}")
    if(NOT first_error MATCHES "${pattern}")
      message(FATAL_ERROR "the first error for ${SOURCE} does not match `${pattern}`:\n${first_error}\n\n${out}${err}")
    endif()
  endforeach()
endif()
if(NOT expects AND NOT expect_first)
  message(FATAL_ERROR "${SOURCE} has no `// expect:` or `// expect-first:` line")
endif()
foreach(line ${expects})
  string(REGEX REPLACE "^// expect: " "" pattern "${line}")
  if(NOT "${out}${err}" MATCHES "${pattern}")
    message(FATAL_ERROR "the diagnostic for ${SOURCE} does not match `${pattern}`:\n${out}${err}")
  endif()
endforeach()
