"""Numbers from people and cards: ASCII digits only, bounded, never an exception."""

from __future__ import annotations

import pytest

from domain.numbers import small_number


@pytest.mark.parametrize(
    ("text", "number"),
    [("1", 1), (" 42 ", 42), ("007", 7), ("999999999", 999_999_999)],
)
def test_ascii_digits_are_a_number(text: str, number: int) -> None:
    assert small_number(text) == number


@pytest.mark.parametrize(
    "text", ["", " ", "²", "١٢", "1e3", "-1", "+1", "1.0", "9" * 10, "1\x00", None, 3, {"n": 1}]
)
def test_anything_else_is_no_number(text: object) -> None:
    assert small_number(text) is None


def test_a_caller_may_allow_more_or_fewer_digits() -> None:
    assert small_number("1777586340", digits=12) == 1777586340
    assert small_number("1234", digits=3) is None
