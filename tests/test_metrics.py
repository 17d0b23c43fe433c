"""Edit distance used to score readings against the truth."""

import pytest

from digitcam.metrics import levenshtein


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [
        ("", "", 0),
        ("123", "123", 0),
        ("123", "", 3),
        ("", "12", 2),
        ("12.5", "125", 1),
        ("-40", "40", 1),
        ("3141", "3171", 1),
        ("kitten", "sitting", 3),
    ],
)
def test_levenshtein(a, b, d):
    assert levenshtein(a, b) == d
    assert levenshtein(b, a) == d
