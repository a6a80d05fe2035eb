# Twin of parity_outcomes.cpp: every outcome, fixture failure and subtest form, run by CPython's unittest.
import sys
import unittest


class CleanupFails(unittest.TestCase):
    def test_cleanup_fails(self):
        self.addCleanup(lambda: self.fail("second cleanup, runs last"))
        self.addCleanup(self._raise)

    @unittest.expectedFailure
    def test_xfail_cleanup_fails(self):
        self.addCleanup(self._raise)
        self.fail("expected")

    def _raise(self):
        raise RuntimeError("first cleanup")


class Outcomes(unittest.TestCase):
    def test_error(self):
        raise ValueError("boom")

    def test_fail(self):
        self.assertEqual(1 + 1, 3, "math is broken")

    def test_fail_message(self):
        self.fail("plain failure")

    def test_pass(self):
        self.assertEqual(2, 1 + 1)

    @unittest.skip("not today")
    def test_skip(self):
        self.fail("a skipped test must not run")

    @unittest.skip("tab\there \\ é \x07")
    def test_skip_escapes(self):
        pass

    @unittest.skipIf(True, 'say "hi"')
    def test_skip_if(self):
        pass

    def test_skip_in_body(self):
        self.skipTest("it's raining")
        self.fail("unreachable")

    @unittest.skipUnless(False, 'both \' and "')
    def test_skip_unless(self):
        pass

    @unittest.expectedFailure
    def test_xfail(self):
        self.assertEqual(1, 2)

    @unittest.expectedFailure
    def test_xpass(self):
        pass


class Printing(unittest.TestCase):
    def test_prints_and_errors(self):
        print("error output on stdout")
        raise ValueError("after printing")

    def test_prints_and_fails(self):
        print("hello from stdout")
        print("hello from stderr", file=sys.stderr)
        self.fail("after printing")

    def test_prints_and_passes(self):
        print("quiet unless it fails")


class SetUpFails(unittest.TestCase):
    def setUp(self):
        self.addCleanup(lambda: None)
        raise RuntimeError("setUp broke")

    def tearDown(self):
        raise RuntimeError("tearDown must not run")

    def test_never_runs(self):
        pass

    @unittest.expectedFailure
    def test_xfail(self):
        pass


class Subtests(unittest.TestCase):
    def test_forms(self):
        with self.subTest("checking pairs", a=1, b="x"):
            self.fail("pair")
        with self.subTest():
            self.fail("anonymous")
        with self.subTest(42):
            raise RuntimeError("in a subtest")
        with self.subTest(skipped=1):
            self.skipTest("not this one")
        with self.subTest(ok=1):
            pass

    def test_nested(self):
        with self.subTest(outer=1):
            with self.subTest(inner=2):
                self.fail("nested")

    def test_nested_msg(self):
        with self.subTest("m1", outer=1):
            with self.subTest("m2", inner=2):
                self.fail("nested with messages")
        with self.subTest("m1", outer=1):
            with self.subTest(inner=2):
                self.fail("inner without a message")

    def test_nested_override(self):
        with self.subTest(k=1, a=3):
            with self.subTest(k=2, b=4):
                self.fail("inner key wins")

    def test_params(self):
        for i in range(4):
            with self.subTest(i=i):
                self.assertEqual(i % 2, 0)

    @unittest.expectedFailure
    def test_xfail_subtest(self):
        with self.subTest(i=1):
            self.fail("expected")


class TearDownFails(unittest.TestCase):
    teardown_error = False

    def tearDown(self):
        if self.teardown_error:
            raise RuntimeError("tearDown broke")
        self.fail("tearDown fails")

    def test_pass(self):
        pass

    @unittest.expectedFailure
    def test_xfail(self):
        self.fail("expected")

    @unittest.expectedFailure
    def test_xfail_error(self):
        self.teardown_error = True
        self.fail("expected")

    @unittest.expectedFailure
    def test_xpass(self):
        pass


if __name__ == "__main__":
    unittest.main()
