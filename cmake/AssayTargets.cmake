# One helper gives every assay target its assay:: alias, C++20 and (privately) assay's warnings.
include_guard(GLOBAL)
include(GNUInstallDirs)  # CMAKE_INSTALL_INCLUDEDIR for the targets' install interface


# Warnings for assay's own sources: PRIVATE, so they never leak into users' builds.
function(assay_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(ASSAY_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# assay_configure_target(<target> <export name>): alias, C++20, warnings, export name.
function(assay_configure_target target export_name)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name} POSITION_INDEPENDENT_CODE ON)
  add_library(assay::${export_name} ALIAS ${target})
  set_property(GLOBAL APPEND PROPERTY ASSAY_EXPORTED_TARGETS ${target})  # installed by AssayInstall.cmake
  assay_warnings(${target})
  if(ASSAY_SYSTEM_HEADERS)
    set_target_properties(${target} PROPERTIES SYSTEM ON)  # its INTERFACE_INCLUDE_DIRECTORIES as -isystem
  endif()
endfunction()
