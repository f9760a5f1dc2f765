"""CSV cells are text in any spreadsheet: no formula runs, whatever the list separator."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest

from domain.spreadsheet import csv_file, safe_cell


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
        ("﹦1+1", "'﹦1+1"),  # small form of =, NFKC-equal to it
        ("＋45", "'＋45"),
        ("\u00a0=1", "\u00a0'=1"),  # a no-break space does not hide it
        ('x;"=1+1"', 'x;"\'=1+1"'),  # a ';' spreadsheet unquotes the part to =1+1
        ("a;-1;@b", "a;'-1;'@b"),
        ("a;;=1", "a;;'=1"),
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


HOSTILE = (
    'vegetar;=HYPERLINK("https://evil.example","Klik")',
    'nødder; "=1+1"',
    "gluten;\t=cmd",
    "laktose;\r+1",
    "ingen;＝1;－1;＠a;＋1",
    "ingen;﹦1;﹢1;﹣1;﹫a",
    "a,=1,+1",
    "=SUM(A1)",
)


def formula_like(cell: str) -> bool:
    """What a spreadsheet would run: a cell whose first non-blank, unquoted character starts one."""
    start = cell.lstrip(' \u00a0\u3000"')
    return bool(start) and (start[0] in "\t\r" or unicodedata.normalize("NFKC", start[0]) in "=+-@")


@pytest.mark.parametrize("separator", [";", ","], ids=["da-sv", "en"])
@pytest.mark.parametrize("typed", HOSTILE)
def test_a_csv_read_with_the_locales_list_separator_has_no_formula_cell(
    separator: str, typed: str
) -> None:
    out = io.StringIO()
    csv.writer(out).writerow(["Køge Kommune", "Planner", safe_cell(typed), "yes"])
    # Danish and Swedish Excel read the comma-separated file with ';' as the separator.
    # A line break outside quotes (as they see it) starts a new row.
    rows = csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=separator)
    assert not [cell for row in rows for cell in row if formula_like(cell)]


@pytest.mark.parametrize(("language", "separator"), [("da", ";"), ("sv", ";"), ("en", ",")])
def test_a_csv_file_opens_in_columns_with_the_languages_separator_and_runs_no_formula(
    language: str, separator: str
) -> None:
    hostile = ['=HYPERLINK("https://evil.example")', "vegetar;+1", "Køge Kommune", 3]
    text = csv_file([["Kommune", "Kosthensyn", "Navn", "Antal"], hostile], language)
    assert text.startswith("\ufeff") and text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    header, row = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator)
    assert len(header) == 4 and row[2:] == ["Køge Kommune", "3"]
    # Neither the cells nor their parts split on the separator start like a formula.
    parts = [p for cell in row for p in cell.split(separator)]
    assert not [p for p in parts if p.lstrip().startswith(("=", "+", "-", "@"))]
