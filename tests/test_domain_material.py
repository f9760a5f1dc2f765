"""Material rules: safe names, accepted types, themes and links. Pure."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput
from domain.material import (
    DEFAULT_FILE_TYPES,
    MAX_NAME,
    FileRefused,
    FileRules,
    meeting_folder,
    parse_link,
    rules_from,
    sanitise_name,
    split_meeting_number,
    themes_in,
)

HOSTILE = [
    "../../../etc/passwd",
    "..\\..\\Windows\\win.ini",
    "a/../../b.pdf",
    "..",
    "...",
    "%2e%2e%2fsecret.pdf",
    "report\x00.pdf",
    "rep\u202eort\u200b.pdf",
    "new\nline\r.pdf",
    "CON",
    "con.pdf",
    "LPT1.txt",
    "  trailing dot. ",
    "~$lock.docx",
    "x_vti_y.pdf",
    'what?*:<>|".pdf',
    "a" * 500 + ".pdf",
    "",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_a_sanitised_name_is_never_a_path_nor_a_name_sharepoint_refuses(raw: str) -> None:
    name = sanitise_name(raw)
    assert name and len(name) <= MAX_NAME
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not any(c in name for c in '"*:<>?|%') and name.isprintable()
    assert name == name.strip(" .") and not name.startswith("~")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "LPT1", "COM1"}
    assert "_vti_" not in name.lower()


def test_ordinary_names_are_kept_as_they_are() -> None:
    assert sanitise_name("Program for møde 2 (udkast).pdf") == "Program for møde 2 (udkast).pdf"
    assert sanitise_name("Åtgärdsplan – Malmö.docx") == "Åtgärdsplan – Malmö.docx"


def test_a_long_name_keeps_its_extension() -> None:
    name = sanitise_name("x" * 300 + ".pptx")
    assert name.endswith(".pptx") and len(name) == MAX_NAME


def test_the_meeting_folder_is_the_date_and_the_title() -> None:
    assert meeting_folder(date(2024, 5, 30), "Netværksmøde 2") == "2024-05-30 Netværksmøde 2"
    assert "/" not in meeting_folder(date(2024, 5, 30), "A/B ../C")


def test_accepted_types_pass_and_others_are_refused_with_the_list() -> None:
    rules = FileRules()
    assert rules.safe_name("Notat.PDF") == "Notat.PDF"
    assert rules.safe_name("notat", "docx") == "notat.docx"
    with pytest.raises(FileRefused) as refused:
        rules.safe_name("setup.exe")
    assert refused.value.params["type"] == ".exe" and "pdf" in str(refused.value.params["types"])
    with pytest.raises(FileRefused):
        rules.safe_name("no-extension")


def test_rules_from_settings_read_a_list_or_fall_back_to_the_defaults() -> None:
    rules = rules_from(5, " PDF, .docx ,bad type")
    assert rules.file_types == {"pdf", "docx"} and rules.max_bytes == 5 * 1024 * 1024
    assert rules_from(100, "").file_types == DEFAULT_FILE_TYPES


def test_themes_are_read_from_hashtags_once_each() -> None:
    assert themes_in("Notat #grøn #Klima og #grøn igen #2") == ("grøn", "Klima")


def test_a_leading_number_names_the_meeting() -> None:
    assert split_meeting_number("2") == (2, "")
    assert split_meeting_number(" #3 noter fra mødet") == (3, "noter fra mødet")
    assert split_meeting_number("noter fra 2024 ") == (None, "noter fra 2024")
    assert split_meeting_number("2024-rapport") == (None, "2024-rapport")


def test_a_link_needs_a_web_address_and_takes_an_optional_title() -> None:
    assert parse_link("https://example.org/a.pdf  Rapport  om  byer") == (
        "https://example.org/a.pdf",
        "Rapport om byer",
    )
    for bad in ("", "javascript:alert(1)", "ftp://example.org/x", "example.org"):
        with pytest.raises(InvalidInput):
            parse_link(bad)
