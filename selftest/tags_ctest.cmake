# What assay_discover_tests registered for the tags suite, read back from CTest: every test's labels
# (module, class, its tags, the PROPERTIES LABELS), one test per class with the union of its tests' tags,
# and `ctest -L` selecting by tag.
#   cmake -DCTEST=… -DBUILD_DIR=<selftest build dir> -P tags_ctest.cmake
cmake_minimum_required(VERSION 3.25)

include(${CMAKE_CURRENT_LIST_DIR}/ctest_registered.cmake)

# `name: label label …` for each test ctest would run with `args`.
function(registered out)
  ctest_tests(json last ${ARGN})
  set(text "")
  if(last GREATER_EQUAL 0)
    foreach(i RANGE ${last})
      string(JSON name GET "${json}" tests ${i} name)
      set(labels "")
      string(JSON properties ERROR_VARIABLE none GET "${json}" tests ${i} properties)
      string(JSON nprops LENGTH "${properties}")
      math(EXPR plast "${nprops} - 1")
      foreach(p RANGE ${plast})
        string(JSON pname GET "${properties}" ${p} name)
        if(pname STREQUAL "LABELS")
          string(JSON nlabels LENGTH "${properties}" ${p} value)
          math(EXPR llast "${nlabels} - 1")
          foreach(l RANGE ${llast})
            string(JSON label GET "${properties}" ${p} value ${l})
            string(APPEND labels " ${label}")
          endforeach()
        endif()
      endforeach()
      string(APPEND text "${name}:${labels}\n")
    endforeach()
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

registered(all -R "^tagged(_class)?:")
expect("labels of the registered tests" "${all}" [=[
tagged:tags.Storage.test_insert: db tagged tags tags.Storage
tagged:tags.Storage.test_bulk_load: db slow tagged tags tags.Storage
tagged:tags.Storage.test_replication: db net slow tagged tags tags.Storage
tagged:tags.SqliteStorage.test_insert: db sqlite tagged tags tags.SqliteStorage
tagged:tags.SqliteStorage.test_bulk_load: db slow sqlite tagged tags tags.SqliteStorage
tagged:tags.SqliteStorage.test_replication: db net slow sqlite tagged tags tags.SqliteStorage
tagged:tags.SqliteStorage.test_vacuum: db slow sqlite tagged tags tags.SqliteStorage
tagged:tags.Cache.test_hit: tagged tags tags.Cache
tagged:tags.Cache.test_eviction: slow tagged tags tags.Cache
tagged:tags.Cache.test_later: net tagged tags tags.Cache
tagged:tags.Cache.test_untagged: tagged tags tags.Cache
tagged_class:tags.Storage: db net slow tags tags.Storage
tagged_class:tags.SqliteStorage: db net slow sqlite tags tags.SqliteStorage
tagged_class:tags.Cache: net slow tags tags.Cache
]=])

registered(slow -R "^tagged:" -L "^slow$")
expect("ctest -L slow" "${slow}" [=[
tagged:tags.Storage.test_bulk_load: db slow tagged tags tags.Storage
tagged:tags.Storage.test_replication: db net slow tagged tags tags.Storage
tagged:tags.SqliteStorage.test_bulk_load: db slow sqlite tagged tags tags.SqliteStorage
tagged:tags.SqliteStorage.test_replication: db net slow sqlite tagged tags tags.SqliteStorage
tagged:tags.SqliteStorage.test_vacuum: db slow sqlite tagged tags tags.SqliteStorage
tagged:tags.Cache.test_eviction: slow tagged tags tags.Cache
]=])

registered(not_db -R "^tagged:" -LE "^db$")
expect("ctest -LE db" "${not_db}" [=[
tagged:tags.Cache.test_hit: tagged tags tags.Cache
tagged:tags.Cache.test_eviction: slow tagged tags tags.Cache
tagged:tags.Cache.test_later: net tagged tags tags.Cache
tagged:tags.Cache.test_untagged: tagged tags tags.Cache
]=])
