"""The final product: a DOCX opened with python-docx, the Markdown, LinkedIn texts, the CLI."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document

from domain.sparring import Case, CaseStatus, Summary, aggregate
from netpuls.i18n import translator
from services.report import LINKEDIN_LIMIT, Chapter, Report, linkedin_text, report_markdown
from services.report_docx import report_docx
from tests.support.networks import small_network

ROOT = Path(__file__).resolve().parents[1]
BUILT = datetime(2024, 12, 1, 12, tzinfo=UTC)


def case(title: str, notes: str = "") -> Case:
    return Case(
        id=1,
        network="kompakte-groenne-byer",
        meeting=1,
        title=title,
        description="Hvordan sikrer vi grønne friarealer?",
        themes=(),
        submitter="planner.odense@example.org",
        submitter_name="Planlægger Odense",
        municipality="odense",
        municipality_name="Odense Kommune",
        submitted_at=BUILT,
        status=CaseStatus.ACCEPTED,
        position=1,
        sparring_notes=notes,
    )


def sample(advice: str = "Sæt friarealkrav i kommuneplanen.") -> Report:
    declared = small_network()
    first, second = declared.meetings
    summary = Summary(
        key_points="Fortætning og grønt går hånd i hånd.",
        good_advice=advice,
        experiences="Midlertidige grønne rum virker.",
        next_steps="Borgerdialog i Køge.",
        case_notes=((1, "Start med en grønstruktur."),),
        posted=True,
    )
    chapters = (
        Chapter(
            first,
            "Odense Kommune",
            (case("Fortætning ved letbanen", "Tænk i helheder."),),
            summary,
            aggregate([(4, "Godt møde"), (5, ""), (3, "Mere tid")]),
        ),
        Chapter(second, "Køge Kommune", (), None, aggregate([])),
    )
    return Report(declared.network, chapters, BUILT)


def test_the_docx_has_a_title_page_contents_a_chapter_per_meeting_and_the_advice() -> None:
    document = Document(io.BytesIO(report_docx(sample(), translator("da"))))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    chapters = [text for style, text in headings if style == "Heading 1"]
    assert headings[0] == ("Title", "Kompakte, grønne byer")
    assert chapters == [
        "Indhold",
        "Netværksmøde 1",
        "Netværksmøde 2",
        "Gode råd på tværs af møderne",
    ]
    assert ("Heading 3", "Fortætning ved letbanen – Odense Kommune") in headings
    assert ("Heading 2", "Program") in headings and ("Heading 2", "Evaluering") in headings
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Netværkets slutprodukt" in body
    assert "Sparringsnoter: Tænk i helheder." in body
    assert "Fra opsamlingen: Start med en grønstruktur." in body
    assert "3 svar; gennemsnitlig nytte 4,0 ud af 5" in body
    assert "Der er ikke offentliggjort en opsamling fra dette møde." in body
    assert body.count("Sæt friarealkrav i kommuneplanen.") == 2  # the chapter and the closing
    assert "10:00–10:15 Velkomst" in body
    xml = document.element.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml
    assert document.settings.element.xml.count("updateFields") == 1
    (table,) = document.tables
    assert [c.text for c in table.rows[1].cells] == ["0", "0", "1", "1", "1"]
    assert document.core_properties.title == "Kompakte, grønne byer"


def test_the_markdown_is_the_same_product_in_the_networks_language() -> None:
    text = report_markdown(sample(), translator("sv"))
    assert text.startswith("# Kompakte, grønne byer\n")
    assert "## Innehåll" in text and "- Nätverksmöte 1" in text
    assert "## Nätverksmöte 1" in text and "## Nätverksmöte 2" in text
    assert "#### Fortætning ved letbanen – Odense Kommune" in text
    assert "**Sparringsanteckningar:** Tænk i helheder." in text
    assert "#### Goda råd" in text and "## Goda råd från alla möten" in text
    assert "> Godt møde" in text and "> Mere tid" in text
    assert "3 svar; genomsnittlig nytta 4,0 av 5" in text


def test_without_posted_advice_the_closing_chapter_says_so() -> None:
    report = sample(advice="")
    assert "No summary with good advice has been posted yet." in report_markdown(
        report, translator("en")
    )


def test_a_linkedin_text_fits_1300_characters_however_long_the_summary() -> None:
    report = sample(advice="Gode råd om grønne byer. " * 200)
    chapter = report.chapters[0]
    long = replace(chapter, summary=replace(chapter.summary, key_points="Pointe. " * 300))  # type: ignore[arg-type]
    text = linkedin_text(report, long, translator("da"))
    assert len(text) <= LINKEDIN_LIMIT
    assert text.startswith("Kompakte, grønne byer – Netværksmøde 1\n")
    assert "Hovedpointer:" in text and "Gode råd:" in text
    assert text.endswith("Problemstillinger: Fortætning ved letbanen")
    assert "…" in text


def test_a_short_linkedin_text_is_left_whole() -> None:
    report = sample()
    text = linkedin_text(report, report.chapters[0], translator("en"))
    assert "Fortætning og grønt går hånd i hånd." in text
    assert "Sæt friarealkrav i kommuneplanen." in text and "…" not in text
    assert len(linkedin_text(report, report.chapters[1], translator("en"))) < 200


@pytest.mark.parametrize("fmt", ["docx", "md", "linkedin"])
def test_the_report_command_writes_the_file(tmp_path: Path, fmt: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'netpuls.db'}"
    asyncio.run(_seed(url))
    out = tmp_path / f"report.{fmt}"
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "netpuls", "report", "--network", "kompakte-groenne-byer"]
    result = subprocess.run(
        [*command, "--format", fmt, "--out", str(out)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.exists() and out.stat().st_size > 0
    if fmt == "docx":
        document = Document(str(out))
        assert document.paragraphs[0].text == "Kompakte, grønne byer"
    missing = subprocess.run(
        [*command[:4], "--network", "atlantis", "--out", str(tmp_path / "x.docx")],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 1 and "no network called 'atlantis'" in missing.stderr


async def _seed(url: str) -> None:
    from services.networks import import_network
    from storage.engine import create_engine, session_factory
    from storage.migrate import upgrade
    from storage.uow import SqlUnitOfWork

    await upgrade(url)
    engine = create_engine(url)
    try:
        await import_network(SqlUnitOfWork(session_factory(engine)), small_network())
    finally:
        await engine.dispose()
