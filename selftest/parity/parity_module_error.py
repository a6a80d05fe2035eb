# Twin of parity_module_error.cpp: a module whose setUpModule fails, run by CPython's unittest.
import unittest


def setUpModule():
    unittest.addModuleCleanup(lambda: print("module cleanup runs"))
    raise RuntimeError("database down")


def tearDownModule():
    print("tearDownModule must not run")


class NeedsDatabase(unittest.TestCase):
    def test_query(self):
        print("must not run")


if __name__ == "__main__":
    unittest.main()
