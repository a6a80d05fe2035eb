# Twin of parity_mock.cpp: unittest.mock's assertion messages, run by CPython's unittest.
import unittest
from unittest.mock import ANY, Mock, call


class MockMessages(unittest.TestCase):
    def setUp(self):
        self.get_animals = Mock(name="get_animals")
        self.feed_animal = Mock(name="feed_animal")

    def test_a_side_effect_error(self):
        self.get_animals.side_effect = ValueError("Whoops!")
        self.get_animals(1, "Meerkat")

    def test_assert_any_call(self):
        self.feed_animal("Spot")
        self.feed_animal.assert_any_call("Jojo")

    def test_assert_called(self):
        self.get_animals.assert_called()

    def test_assert_called_once(self):
        self.get_animals(1, "Meerkat")
        self.get_animals(1, "Bison")
        self.get_animals.assert_called_once()

    def test_assert_called_once_with(self):
        self.get_animals(1, "Meerkat")
        self.get_animals(1, "Meerkat")
        self.get_animals.assert_called_once_with(1, "Meerkat")

    def test_assert_called_once_with_not_called(self):
        self.get_animals.assert_called_once_with(1, "Meerkat")

    def test_assert_called_with(self):
        self.get_animals(1, "Bison")
        self.get_animals.assert_called_with(ANY, "Meerkat")

    def test_assert_called_with_not_called(self):
        self.get_animals.assert_called_with(ANY, "Meerkat")

    def test_assert_called_with_passes(self):
        self.get_animals(1, "Bison")
        self.get_animals.assert_called_with(ANY, "Bison")

    def test_assert_has_calls(self):
        self.feed_animal("Spot")
        self.feed_animal("Fluffy")
        self.feed_animal.assert_has_calls([call("Fluffy"), call("Spot")])

    def test_assert_has_calls_any_order(self):
        self.feed_animal("Spot")
        self.feed_animal("Fluffy")
        self.feed_animal.assert_has_calls([call("Fluffy"), call("Jojo")], any_order=True)

    def test_assert_not_called(self):
        self.feed_animal("Spot")
        self.feed_animal.assert_not_called()

    def test_call_args(self):
        self.get_animals(1, "Bison")
        self.assertEqual(self.get_animals.call_args, call(1, "Meerkat"))

    def test_call_args_list(self):
        self.get_animals(1, "Bison")
        self.get_animals(2, "Meerkat")
        self.assertSequenceEqual(self.get_animals.call_args_list, [call(1, "Bison"), call(2, "Zebra")])

    def test_call_count(self):
        self.feed_animal("Spot")
        self.assertEqual(self.feed_animal.call_count, 2)

    def test_long_calls_wrap(self):
        for name in ("Spot the very hungry meerkat", "Fluffy the sleepy bison", "Jojo"):
            self.feed_animal(name)
        self.feed_animal.assert_not_called()


if __name__ == "__main__":
    unittest.main()
