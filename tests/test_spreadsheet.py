"""CSV cells are text in any spreadsheet: no formula runs, whatever the list separator."""

from __future__ import annotations

import csv
import io

import pytest

from domain.spreadsheet import safe_cell


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+45 12 34", "'+45 12 34"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ('＝HYPERLINK("x")', '\'＝HYPERLINK("x")'),  # full-width equals sign
        ("  =1", "  '=1"),
        (
            'vegetar;=HYPERLINK("https://evil.example")',
            'vegetar;\'=HYPERLINK("https://evil.example")',
        ),
        ("vegetar; +1", "vegetar; '+1"),
        ("gluten,@x", "gluten,'@x"),
        ("Vegetar, ingen nødder", "Vegetar, ingen nødder"),
        ("Køge Kommune", "Køge Kommune"),
        ("a-b = c", "a-b = c"),
    ],
)
def test_every_part_that_could_start_a_formula_is_shown_as_text(value: str, shown: str) -> None:
    assert safe_cell(value) == shown


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_read_with_a_danish_or_swedish_separator_no_cell_starts_like_a_formula(
    separator: str,
) -> None:
    out = io.StringIO()
    csv.writer(out).writerow([safe_cell('vegetar;=HYPERLINK("x");+cmd|calc;＠a')])
    # A spreadsheet that splits on another separator sees the quoted field's parts as cells.
    parts = out.getvalue().strip().strip('"').replace('""', '"').split(separator)
    assert all(
        not p.lstrip().startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠")) for p in parts
    )
