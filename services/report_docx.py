"""The final product as a Word document: title page, contents, a chapter per meeting, advice."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from domain.model import local_day
from services.report import (
    Chapter,
    Report,
    Wording,
    evaluation_line,
    meeting_heading,
    meeting_line,
    phase_heading,
    phase_line,
    programme_lines,
    summary_sections,
)
from services.report_final import final_docx

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'


def report_docx(report: Report, t: Wording) -> bytes:
    """The report as .docx bytes, in the language of `t`."""
    doc = Document()
    doc.core_properties.title = report.network.name
    doc.core_properties.language = report.network.language
    doc.core_properties.subject = t("The network's final product")
    _title_page(doc, report, t)
    closing = t("Good advice across the meetings")
    for phase, chapters in report.parts():
        if phase is not None:
            _new_page(doc.add_heading(phase_heading(phase, t), level=1))
            doc.add_paragraph(phase_line(phase, t)).runs[0].italic = True
            if phase.description:
                _paragraphs(doc, phase.description)
        for chapter in chapters:
            _chapter(doc, chapter, t)
    final_docx(doc, report.final, t)
    _new_page(doc.add_heading(closing, level=1))
    for chapter, advice in report.advice():
        doc.add_heading(meeting_heading(chapter, t), level=2)
        _paragraphs(doc, advice)
    if not report.advice():
        doc.add_paragraph(t("No summary with good advice has been posted yet."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _title_page(doc: DocumentObject, report: Report, t: Wording) -> None:
    network = report.network
    doc.add_heading(network.name, level=0)
    doc.add_paragraph(t("The network's final product"), style="Subtitle")
    doc.add_paragraph(f"{t.date(network.starts_on, 'long')} – {t.date(network.ends_on, 'long')}")
    if network.description:
        doc.add_paragraph(network.description.strip())
    built = t("Compiled on {date}", date=t.date(local_day(report.built_at, network.zone), "long"))
    doc.add_paragraph(built).add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(t("Contents"), level=1)
    _toc(doc.add_paragraph(), t("Update the field (F9) to show the table of contents."))
    # Word fills the contents in when the document is opened (it asks to update fields).
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _toc(paragraph: Paragraph, placeholder: str) -> None:
    """A TOC field (begin, instruction, separate, placeholder text, end) in one paragraph."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", TOC_INSTRUCTION), ("separate", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run.element.append(element)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run().element.append(end)


def _new_page(heading: Paragraph) -> None:
    heading.paragraph_format.page_break_before = True


def _paragraphs(doc: DocumentObject, text: str) -> None:
    """Free text as paragraphs; a blank line starts a new one."""
    for block in text.strip().split("\n\n"):
        if block.strip():
            doc.add_paragraph(block.strip())


def _chapter(doc: DocumentObject, chapter: Chapter, t: Wording) -> None:
    meeting = chapter.meeting
    _new_page(doc.add_heading(meeting_heading(chapter, t), level=1))
    doc.add_paragraph(meeting_line(chapter, t)).runs[0].italic = True
    if meeting.programme:
        doc.add_heading(t("Programme"), level=2)
        for line in programme_lines(meeting):
            doc.add_paragraph(line, style="List Bullet")
    plan = chapter.plan
    visit = plan.what_to_see if plan and plan.what_to_see else meeting.field_visit
    if visit:
        doc.add_heading(t("Field visit"), level=2)
        if plan and plan.address:
            doc.add_paragraph(plan.address).runs[0].bold = True
        _paragraphs(doc, visit)
    if chapter.cases:
        doc.add_heading(t("Problem statements"), level=2)
        for case in chapter.cases:
            by = f" – {case.municipality_name}" if case.municipality_name else ""
            doc.add_heading(case.title + by, level=3)
            _paragraphs(doc, case.description)
            _labelled(doc, t("Sparring notes"), case.sparring_notes)
            note = chapter.summary.note_for(case.id) if chapter.summary else ""
            _labelled(doc, t("From the summary"), note)
    doc.add_heading(t("Summary"), level=2)
    if chapter.summary is None:
        doc.add_paragraph(t("No summary has been posted for this meeting."))
    else:
        for title, text in summary_sections(chapter.summary, t):
            doc.add_heading(title, level=3)
            _paragraphs(doc, text)
    _evaluation(doc, chapter, t)


def _labelled(doc: DocumentObject, label: str, text: str) -> None:
    if not text.strip():
        return
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text.strip())


def _evaluation(doc: DocumentObject, chapter: Chapter, t: Wording) -> None:
    results = chapter.evaluation
    doc.add_heading(t("Evaluation"), level=2)
    doc.add_paragraph(evaluation_line(results, t))
    if not results.answers:
        return
    table = doc.add_table(rows=2, cols=5)
    table.style = "Table Grid"
    for score, count in enumerate(results.counts, 1):
        table.cell(0, score - 1).text = str(score)
        table.cell(1, score - 1).text = str(count)
    for comment in results.comments:
        doc.add_paragraph(comment, style="Quote")
