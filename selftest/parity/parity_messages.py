# Twin of parity_messages.cpp: assertion messages and diffs, run by CPython's unittest.
import unittest


class Diffs(unittest.TestCase):
    def test_cr(self):
        self.assertEqual("a\rb\n", "a\nb\n")

    def test_crlf(self):
        self.assertEqual("a\r\nb", "a\nb")

    def test_dict(self):
        self.assertEqual({"a": 1, "b": 2}, {"a": 1, "b": 3})

    def test_list(self):
        self.assertEqual([1, 2, 3], [1, 2, 4])

    def test_list_longer(self):
        self.assertEqual([1, 2], [1, 2, 3])

    def test_long_lists(self):
        self.assertEqual(list(range(30)), list(range(1, 31)))

    def test_max_diff(self):
        self.maxDiff = 50
        self.assertEqual("\n".join("line %d" % i for i in range(20)), "\n".join("line %d" % (i + 1) for i in range(20)))

    def test_max_diff_none(self):
        self.maxDiff = None
        self.assertEqual(list(range(100)), list(range(1, 101)))

    def test_multiline(self):
        self.assertEqual("first\nsecond line\nthird\n", "first\nsecond lime\nthird\nfourth\n")

    def test_other_line_ends(self):
        self.assertEqual("a\vb\fc\x1cd\x85e\u2028f", "a\nb\nc\nd\ne\nf")

    def test_set(self):
        self.assertEqual({1, 2, 3}, {2, 3, 4})

    def test_short_strings(self):
        self.assertEqual("spam", "eggs")

    def test_tuple(self):
        self.assertEqual((1, "a"), (1, "b"))

    def test_unicode(self):
        self.assertEqual("héllo wörld", "hello world")

    def test_very_long_strings(self):
        self.assertEqual("x" * 100 + "a", "x" * 100 + "b")


class Messages(unittest.TestCase):
    def test_a_true(self):
        self.assertTrue(False)

    def test_a_true_msg(self):
        self.assertTrue(1 > 2, "one is not more")

    def test_almost_equal(self):
        self.assertAlmostEqual(1.0, 1.1)

    def test_almost_equal_delta(self):
        self.assertAlmostEqual(1.0, 1.5, delta=0.25)

    def test_almost_equal_places(self):
        self.assertAlmostEqual(1.0, 1.001, places=4)

    def test_count_equal(self):
        self.assertCountEqual([1, 2, 2, 3], [1, 2, 3, 3])

    def test_dict_long(self):
        self.assertEqual({i: i for i in range(20)}, {i: i * i for i in range(20)})

    def test_dict_missing_key(self):
        self.assertDictEqual({"a": 1, "b": 2}, {"a": 1})

    def test_float_repr(self):
        self.assertEqual(0.1 + 0.2, 0.3)

    def test_greater(self):
        self.assertGreater(1, 2)

    def test_greater_equal(self):
        self.assertGreaterEqual(1, 2)

    def test_in(self):
        self.assertIn(4, [1, 2, 3])

    def test_in_dict(self):
        self.assertIn("c", {"a": 1})

    def test_in_string(self):
        self.assertIn("spam", "eggs and ham")

    def test_is_none(self):
        self.assertIsNone(5)

    def test_is_not_none(self):
        self.assertIsNotNone(None)

    def test_less(self):
        self.assertLess(2, 1)

    def test_list_of_long_strings(self):
        self.assertEqual(["a" * 30, "b" * 30, "c" * 30], ["a" * 30, "b" * 30, "d" * 30])

    def test_list_of_strings(self):
        self.assertEqual(["spam", "eggs", "ham"], ["spam", "eggs", "jam"])

    def test_long_message_off(self):
        self.longMessage = False
        self.assertEqual(1, 2, "only this")

    def test_msg(self):
        self.assertEqual(1, 2, "with context")

    def test_nested_long(self):
        self.assertEqual({"first": ["alpha" * 5, "beta" * 5], "second": ["gamma" * 5]},
                         {"first": ["alpha" * 5, "beta" * 5], "second": ["delta" * 5]})

    def test_not_almost_equal(self):
        self.assertNotAlmostEqual(1.0, 1.0000001)

    def test_not_equal(self):
        self.assertNotEqual(3, 3)

    def test_not_in(self):
        self.assertNotIn(2, [1, 2, 3])

    def test_not_regex(self):
        self.assertNotRegex("good input", "go+d")

    def test_raises(self):
        with self.assertRaises(ValueError):
            pass

    def test_raises_other_type(self):
        with self.assertRaises(ValueError):
            raise RuntimeError("not a ValueError")

    def test_raises_regex(self):
        with self.assertRaisesRegex(ValueError, "bad"):
            raise ValueError("good input")

    def test_raises_regex_passes(self):
        with self.assertRaisesRegex(ValueError, "go+d"):
            raise ValueError("good input")

    def test_regex(self):
        self.assertRegex("good input", "bad")


if __name__ == "__main__":
    unittest.main()
