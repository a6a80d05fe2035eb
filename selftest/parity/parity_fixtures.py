# Twin of parity_fixtures.cpp: module and class fixtures, their failures and cleanups, run by CPython's unittest.
import unittest


def setUpModule():
    print("setUpModule")
    unittest.addModuleCleanup(lambda: print("module cleanup"))


def tearDownModule():
    print("tearDownModule")
    raise RuntimeError("tearDownModule broke")


class Broken(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(lambda: print("Broken class cleanup still runs"))
        raise RuntimeError("setUpClass broke")

    @classmethod
    def tearDownClass(cls):
        print("Broken tearDownClass must not run")

    def test_not_run(self):
        print("Broken test must not run")


class ClassCleanupFails(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.addClassCleanup(cls._broken_cleanup)

    @staticmethod
    def _broken_cleanup():
        raise RuntimeError("class cleanup broke")

    def test_runs(self):
        pass


class Counting(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        print("Counting setUpClass")

    @classmethod
    def tearDownClass(cls):
        print("Counting tearDownClass")

    def setUp(self):
        print("  setUp")
        self.addCleanup(lambda: print("  cleanup 1 (runs last)"))
        self.addCleanup(lambda: print("  cleanup 2 (runs first)"))

    def tearDown(self):
        print("  tearDown")

    def test_a(self):
        print("    test_a")

    def test_b(self):
        print("    test_b")


class Other(unittest.TestCase):
    def test_c(self):
        print("    test_c")


class SkippedClass(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        raise unittest.SkipTest("no database")

    def test_one(self):
        pass

    def test_two(self):
        pass


class TearDownClassFails(unittest.TestCase):
    @classmethod
    def tearDownClass(cls):
        raise RuntimeError("tearDownClass broke")

    def test_runs(self):
        pass


if __name__ == "__main__":
    unittest.main()
