# Install rules: headers, static libraries, the CMake package (find_package(assay CONFIG)) and pkg-config files.
# Included by the top-level CMakeLists.txt when ASSAY_INSTALL is on (the default when assay is the top project).
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(assay_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/assay")
get_property(assay_components GLOBAL PROPERTY ASSAY_EXPORTED_TARGETS)  # framework, mock, runner, main
install(TARGETS assay ${assay_components}
  EXPORT assayTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(component framework mock runner)
  if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/${component}/include")
    install(DIRECTORY "${PROJECT_SOURCE_DIR}/${component}/include/" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
endforeach()
install(EXPORT assayTargets NAMESPACE assay:: DESTINATION ${assay_cmake_dir})

# The package's dependencies are what the exported targets link: consumers find them through the config.
set(assay_linked "")
foreach(target assay ${assay_components})
  foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(libraries ${target} ${property})
    if(libraries)
      list(APPEND assay_linked ${libraries})
    endif()
  endforeach()
endforeach()
if(assay_linked MATCHES "benchmark")
  message(FATAL_ERROR "assay's installed targets must not depend on Google Benchmark: ${assay_linked}")
endif()
set(ASSAY_FIND_DEPENDENCIES "")
set(ASSAY_PC_REQUIRES "")
if(assay_linked MATCHES "fmt::")
  string(APPEND ASSAY_FIND_DEPENDENCIES "find_dependency(fmt ${fmt_VERSION_MAJOR})\n")
  set(ASSAY_PC_REQUIRES "fmt")
endif()
if(assay_linked MATCHES "Threads::")
  string(APPEND ASSAY_FIND_DEPENDENCIES "find_dependency(Threads)\n")
endif()
if(assay_linked MATCHES "Boost::")
  # Header-only (Boost.PFR): Boost::headers, from Boost's own package configuration.
  string(APPEND ASSAY_FIND_DEPENDENCIES "find_dependency(Boost ${Boost_VERSION_MAJOR}.${Boost_VERSION_MINOR} CONFIG)\n")
endif()

configure_package_config_file(cmake/assayConfig.cmake.in "${PROJECT_BINARY_DIR}/assayConfig.cmake"
  INSTALL_DESTINATION ${assay_cmake_dir})
# 0.x: a minor version may break compatibility, so find_package(assay 0.1) accepts 0.1.* only.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/assayConfigVersion.cmake" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/assayConfig.cmake" "${PROJECT_BINARY_DIR}/assayConfigVersion.cmake"
              cmake/Assay.cmake cmake/AssayAddTests.cmake
        DESTINATION ${assay_cmake_dir})

# pkg-config: assay (everything but main) and assay-main; relocatable through ${pcfiledir}.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(ASSAY_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(ASSAY_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" up "${up}")
  set(ASSAY_PC_PREFIX "\${pcfiledir}/${up}")
  set(ASSAY_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(ASSAY_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(ASSAY_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(ASSAY_PC_NAME assay)
set(ASSAY_PC_DESCRIPTION "${PROJECT_DESCRIPTION}")
set(ASSAY_PC_LIBS "")
foreach(target assay_runner assay_mock assay_framework)  # dependants before dependencies
  get_target_property(type ${target} TYPE)
  if(type MATCHES "LIBRARY" AND NOT type STREQUAL "INTERFACE_LIBRARY")
    string(APPEND ASSAY_PC_LIBS " -l${target}")
  endif()
endforeach()
if(ASSAY_USE_LIBDW AND ASSAY_LIBDW_INCLUDE AND ASSAY_LIBDW_LIBRARY AND ASSAY_LIBELF_LIBRARY)
  string(APPEND ASSAY_PC_LIBS " -ldw -lelf")  # the framework's tracebacks (a static library's dependency)
endif()
foreach(lib IN LISTS CMAKE_DL_LIBS)
  string(APPEND ASSAY_PC_LIBS " -l${lib}")
endforeach()
configure_file(cmake/assay.pc.in "${PROJECT_BINARY_DIR}/pkgconfig/assay.pc" @ONLY)
set(ASSAY_PC_NAME assay-main)
set(ASSAY_PC_DESCRIPTION "assay's main(): link it and a test binary needs no main of its own")
set(ASSAY_PC_REQUIRES "assay = ${PROJECT_VERSION}")
set(ASSAY_PC_LIBS " -lassay_main")
configure_file(cmake/assay.pc.in "${PROJECT_BINARY_DIR}/pkgconfig/assay-main.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/assay.pc" "${PROJECT_BINARY_DIR}/pkgconfig/assay-main.pc"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
