<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="verdict_report" tests="1" failures="0" errors="0" time="0.003">
  <testsuite name="verdict_report.Plain" tests="1" failures="0" errors="0" skipped="0" time="0.000" timestamp="2026-12-03T06:36:18" hostname="vm">
    <testcase classname="verdict_report.Plain" name="test_a" time="0.000"/>
  </testsuite>
</testsuites>
