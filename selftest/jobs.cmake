# -j N: parallel runs report exactly what serial runs report (jobs_equal.cmake), and its usage errors.
# assay_jobs_equal(<name> SUITE <target> JOBS <n> [ARGS …] [ENV …] [SAME_PROGRESS_LINES])
function(assay_jobs_equal name)
  cmake_parse_arguments(G "SAME_PROGRESS_LINES" "SUITE;JOBS" "ARGS;ENV" ${ARGN})
  string(REPLACE ";" " " args "${G_ARGS}")
  string(REPLACE ";" " " envs "${G_ENV}")
  set(lint)
  if(ASSAY_XMLLINT)
    set(lint -DXMLLINT=${ASSAY_XMLLINT} -DSCHEMA=${assay_junit_schema})
  endif()
  add_test(NAME jobs.${name}
    COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:${G_SUITE}> "-DARGS=${args}" "-DENV_VARS=${envs}"
            -DJOBS=${G_JOBS} -DNAME=${name} -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR} ${lint}
            -DSAME_PROGRESS_LINES=${G_SAME_PROGRESS_LINES} -P ${CMAKE_CURRENT_SOURCE_DIR}/jobs_equal.cmake)
  set_tests_properties(jobs.${name} PROPERTIES LABELS jobs)
endfunction()

# The hostile suite (crashes, exits, hangs, fixture crashes) under -j 2 and -j 4, default and --isolate.
foreach(jobs 2 4)
  assay_jobs_equal(hostile_${jobs} SUITE hostile JOBS ${jobs} ARGS -v ENV ${hostile_env} SAME_PROGRESS_LINES)
  assay_jobs_equal(hostile_dots_${jobs} SUITE hostile JOBS ${jobs} ENV ${hostile_env})
  assay_jobs_equal(hostile_isolate_${jobs} SUITE hostile JOBS ${jobs} ARGS -v --isolate ENV ${hostile_env}
                   SAME_PROGRESS_LINES)
  assay_jobs_equal(hostile_buffer_${jobs} SUITE hostile JOBS ${jobs} ARGS -q -b ENV ${hostile_env})
  # (Not Survivor.test_fails_normally: a fresh worker's first traceback reads the debug information, which
  # beside a hung test's busy loop on a loaded machine can take longer than the 0.3 s.)
  assay_jobs_equal(hostile_timeout_${jobs} SUITE hostile JOBS ${jobs} ARGS -v --timeout 0.3 Hangs FixtureHangs
                   Survivor.test_still_runs ENV ${hostile_env} HOSTILE_HANG=1 SAME_PROGRESS_LINES)
  # (A test that prints without -b prints inside its serial line: the lines are compared where none does.)
  assay_jobs_equal(outcomes_${jobs} SUITE outcomes JOBS ${jobs} ARGS -v)
  assay_jobs_equal(outcomes_lines_${jobs} SUITE outcomes JOBS ${jobs} ARGS -v -k Outcomes -k Passing -k Skipping SAME_PROGRESS_LINES)
  # Workers started through exec (the process has threads at start-up).
  assay_jobs_equal(hostile_exec_${jobs} SUITE hostile_threads JOBS ${jobs} ARGS -v ENV ${hostile_env} SAME_PROGRESS_LINES)
  assay_jobs_equal(outcomes_buffer_${jobs} SUITE outcomes JOBS ${jobs} ARGS -q -b)
  assay_jobs_equal(fixtures_${jobs} SUITE fixtures JOBS ${jobs} ARGS -q)
  assay_jobs_equal(module_fixture_error_${jobs} SUITE module_fixture_error JOBS ${jobs} ARGS -q)
endforeach()
assay_jobs_equal(outcomes_repeat SUITE outcomes JOBS 4 ARGS -q --repeat 3)
assay_jobs_equal(outcomes_shuffle SUITE outcomes JOBS 4 ARGS -q --shuffle=7)
assay_jobs_equal(outcomes_shard SUITE outcomes JOBS 3 ARGS -v --shard 1/2)
assay_jobs_equal(outcomes_durations SUITE outcomes JOBS 4 ARGS -q --durations 0 -k Passing)

# Usage errors: values -j cannot take, and what it cannot be combined with.
assay_golden(jobs_negative SUITE outcomes EXIT 2 ARGS -j -1 SUPERVISED_ONLY)
assay_golden(jobs_not_a_number SUITE outcomes EXIT 2 ARGS -j x SUPERVISED_ONLY)
assay_golden(jobs_too_many SUITE outcomes EXIT 2 ARGS --jobs 100000 SUPERVISED_ONLY)
assay_golden(jobs_empty SUITE outcomes EXIT 2 ARGS --jobs= SUPERVISED_ONLY)
assay_golden(jobs_missing SUITE outcomes EXIT 2 ARGS -q -j SUPERVISED_ONLY)
assay_golden(jobs_in_process SUITE outcomes EXIT 2 ARGS -j 2 --in-process SUPERVISED_ONLY)
assay_golden(jobs_quiet_equals_serial SUITE outcomes EXIT 1 ARGS -j 4 -q SUPERVISED_ONLY)
