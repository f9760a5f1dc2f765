"""The final evaluation's chapter of the report, in Markdown and in Word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.numbers import format_decimal
from docx.document import Document as DocumentObject

from domain.final_evaluation import FinalAggregate

if TYPE_CHECKING:  # services.report imports this module
    from services.report import Wording


def final_lines(final: FinalAggregate, t: Wording) -> list[str]:
    """The totals as sentences; only how many answered while the totals are withheld."""
    if final.withheld:
        return [
            t(
                "{count} answer(s) so far; totals are shown from {minimum}, so that no answer "
                "can be traced to a person.",
                count=final.answers,
                minimum=final.shown_from,
            )
        ]
    if final.mean is None:
        return [t("No evaluation answers.")]
    return [
        t(
            "{count} answer(s); average usefulness {mean} of 5",
            count=final.answers,
            mean=format_decimal(final.mean, "0.0", locale=t.locale),
        ),
        t(
            "Would recommend the network: {yes} yes, {no} no",
            yes=final.recommend_yes,
            no=final.recommend_no,
        ),
    ]


def _spread(final: FinalAggregate) -> list[tuple[str, str]]:
    return [(str(score), str(count)) for score, count in enumerate(final.counts, 1)]


def final_markdown(final: FinalAggregate | None, t: Wording) -> list[str]:
    """The chapter in Markdown, or nothing before the final evaluation opened."""
    if final is None:
        return []
    lines = [f"## {t('Final evaluation')}", ""]
    lines += [f"- {line}" for line in final_lines(final, t)] + [""]
    if final.answers and not final.withheld:
        lines += ["| 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|"]
        lines += ["| " + " | ".join(count for _, count in _spread(final)) + " |", ""]
    for title, texts in (
        (t("What the municipalities take home"), final.take_home),
        (t("Comments"), final.comments),
    ):
        if texts:
            lines += [f"### {title}", ""]
            lines += [f"> {line.strip()}\n" for line in texts]
    return lines


def final_docx(doc: DocumentObject, final: FinalAggregate | None, t: Wording) -> None:
    """The chapter in the Word document, on a page of its own."""
    if final is None:
        return
    heading = doc.add_heading(t("Final evaluation"), level=1)
    heading.paragraph_format.page_break_before = True
    for line in final_lines(final, t):
        doc.add_paragraph(line)
    if final.answers and not final.withheld:
        table = doc.add_table(rows=2, cols=5)
        table.style = "Table Grid"
        for i, (score, count) in enumerate(_spread(final)):
            table.cell(0, i).text = score
            table.cell(1, i).text = count
    for title, texts in (
        (t("What the municipalities take home"), final.take_home),
        (t("Comments"), final.comments),
    ):
        if texts:
            doc.add_heading(title, level=2)
            for line in texts:
                doc.add_paragraph(line, style="Quote")
