# --retries, FLAKY and the last-run cache (--lf, --ff), from outside: the flaky suite run as a real binary.
# Included by selftest/CMakeLists.txt.
assay_suite(flaky)
assay_golden(flaky_ok SUITE flaky EXIT 0
             ARGS --retries 2 Flaky.test_stable Flaky.test_fails_once Flaky.test_errors_once Flaky.test_subtest_fails_once)
assay_golden(flaky_verbose SUITE flaky EXIT 1 ARGS -v --retries 1 Flaky FlakyClass)
assay_golden(flaky_dots SUITE flaky EXIT 1 ARGS --retries 1 Flaky FlakyClass)
assay_golden(flaky_own_only SUITE flaky EXIT 1 ARGS -v Flaky FlakyClass)
assay_golden(flaky_failfast SUITE flaky EXIT 1 ARGS -f --retries 1 Flaky)
assay_golden(flaky_buffer SUITE flaky EXIT 1 ARGS -b -v --retries 2 Flaky.test_always_fails Flaky.test_fails_once)
# A crash is a signal, not a sanitizer's report, under ASan too (as for the hostile suite).
assay_golden(flaky_crash SUITE flaky EXIT 1 ARGS -v --retries 1 Crashy ENV ${hostile_env} SUPERVISED_ONLY)
assay_golden(flaky_crash_isolate SUITE flaky EXIT 1 ARGS --isolate --retries 1 Crashy ENV ${hostile_env} SUPERVISED_ONLY)
assay_golden(flaky_bad_retries SUITE flaky EXIT 2 ARGS --retries x)
assay_golden(flaky_negative_retries SUITE flaky EXIT 2 ARGS --retries -1)
assay_golden(flaky_huge_retries SUITE flaky EXIT 2 ARGS --retries 2147483648)
assay_golden(flaky_missing_retries SUITE flaky EXIT 2 ARGS --retries)
assay_golden(last_run_no_cache_lf SUITE flaky EXIT 2 ARGS --no-cache --lf)
assay_golden(last_run_empty_cache_path SUITE flaky EXIT 2 ARGS --cache-path=)
assay_junit_golden(flaky SUITE flaky EXIT 1 ARGS -q --retries 1 Flaky FlakyClass)
assay_junit_golden(flaky_crash SUITE flaky EXIT 1 ARGS -q --retries 1 Crashy ENV ${hostile_env})
add_test(NAME last_run COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:flaky>
         -DGOLDEN=${CMAKE_CURRENT_SOURCE_DIR}/golden/last_run.txt -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}
         -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
         -P ${CMAKE_CURRENT_SOURCE_DIR}/last_run.cmake)
set_tests_properties(last_run PROPERTIES LABELS golden)
# A process with a thread at start-up re-executes itself for each worker: its workers know the attempt from
# the journal, not from a forked copy of the supervisor.
assay_suite(flaky_threads suites/flaky.cpp suites/hostile_threads.cpp)
assay_golden(flaky_exec SUITE flaky_threads EXIT 1 ARGS -v --retries 1 Flaky.test_fails_once Flaky.test_always_fails
             FlakyClass Crashy ENV ${hostile_env} SUPERVISED_ONLY)
