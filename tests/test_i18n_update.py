"""`make i18n` on the per-feature catalogs: new messages are appended where asked, every
other file and every message already held stays as it was, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scripts.i18n import LOCALE_DIR, ROOT, extracted, update

NEW = "A message just added to the code, for {network}."
PLURAL = ("{n} new thing", "{n} new things")


@pytest.fixture
def locale(tmp_path: Path) -> Path:
    """A copy of the repository's catalogs to update."""
    return Path(shutil.copytree(LOCALE_DIR, tmp_path / "locale"))


def snapshot(locale: Path) -> dict[Path, bytes]:
    return {p.relative_to(locale): p.read_bytes() for p in sorted(locale.rglob("*.po"))}


def test_the_code_and_the_catalogs_agree_today(locale: Path) -> None:
    before = snapshot(locale)
    changed, _unused = update(locale, extracted())
    assert changed == [] and snapshot(locale) == before


def test_new_messages_are_appended_to_the_named_catalog_and_nothing_else_moves(
    locale: Path,
) -> None:
    before = snapshot(locale)
    code = {**extracted(), NEW: NEW, PLURAL[0]: PLURAL}

    changed, _unused = update(locale, code, "pairs")

    pairs = {Path(language, "LC_MESSAGES", "pairs.po") for language in ("da", "sv")}
    assert {p.relative_to(locale) for p in changed} == pairs
    after = snapshot(locale)
    assert {p for p in after if after[p] != before[p]} == pairs
    for path in pairs:
        assert after[path].startswith(before[path].rstrip(b"\n"))  # appended, nothing reordered
        with (locale / path).open("rb") as po:
            messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(po)}
        assert messages[NEW].string == "" and "python-brace-format" in messages[NEW].flags
        assert messages[PLURAL[0]].id == PLURAL
    assert update(locale, code, "pairs")[0] == []  # a second run changes nothing


def test_a_new_catalog_gets_the_languages_header(locale: Path) -> None:
    update(locale, {**extracted(), NEW: NEW}, "newfeature")
    with (locale / "sv" / "LC_MESSAGES" / "newfeature.po").open("rb") as po:
        catalog = read_po(po)
    assert catalog.locale is not None and catalog.locale.language == "sv" and NEW in catalog
    assert not (locale / "en" / "LC_MESSAGES" / "newfeature.po").exists()


def test_messages_the_code_no_longer_uses_are_listed_and_kept(locale: Path) -> None:
    before = snapshot(locale)
    code = {k: v for k, v in extracted().items() if k != "Made a round of {count} sparring groups."}
    changed, unused = update(locale, code)
    assert changed == [] and snapshot(locale) == before
    assert unused[locale / "da" / "LC_MESSAGES" / "pairs.po"] == [
        "Made a round of {count} sparring groups."
    ]


def test_make_i18n_runs_the_per_catalog_update_not_pybabel_update() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ni18n:", 1)[1].split("\n\n", 1)[0]
    assert "scripts.i18n" in recipe and "pybabel update" not in recipe
