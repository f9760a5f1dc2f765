"""The network's final product: every posted summary, the cases and evaluations, as Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from babel import Locale
from babel.numbers import format_decimal

from domain.errors import N_, NotFound
from domain.final_evaluation import DEFAULT_MIN_ANSWERS, FinalAggregate, disclosed, final_aggregate
from domain.model import Meeting, MeetingKind, MeetingStatus, Network, Phase
from domain.organisers import OrganiserAction
from domain.phases import phases_on
from domain.sparring import Case, CaseStatus, EvaluationAggregate, HostPlan, Summary, aggregate
from services.networks import Actor, Directory
from services.ports import Clock, UnitOfWork
from services.report_final import final_markdown
from services.sparring_support import organiser, record

LINKEDIN_LIMIT = 1300
CLI_ACTOR = "netpuls-cli"


class Wording(Protocol):
    """The translator the edge passes in: messages and dates in the network's language."""

    def __call__(self, msgid: str, /, **params: object) -> str: ...
    def date(self, value: date, fmt: str = "full") -> str: ...
    @property
    def locale(self) -> Locale: ...


@dataclass(frozen=True, slots=True)
class Chapter:
    """One meeting in the final product."""

    meeting: Meeting
    host_name: str
    cases: tuple[Case, ...]
    summary: Summary | None  # posted summaries only
    evaluation: EvaluationAggregate
    plan: HostPlan | None = None
    held: bool = True  # False: the meeting had not begun when the report was built


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the final product holds."""

    network: Network
    chapters: tuple[Chapter, ...]
    built_at: datetime
    final: FinalAggregate | None = None  # once the final evaluation has opened
    phases: tuple[Phase, ...] = ()  # a network that runs in phases: each one a chapter

    def parts(self) -> list[tuple[Phase | None, tuple[Chapter, ...]]]:
        """The meeting chapters under the phase each was held in (the newest phase begun on
        its day when two overlap), phases in order; without phases, one part of them all.
        A phase is a chapter once it has begun, even before any meeting in it."""
        if not self.phases:
            return [(None, self.chapters)]
        under: dict[int | None, list[Chapter]] = {}
        for chapter in self.chapters:
            current = phases_on(self.phases, chapter.meeting.day)
            under.setdefault(current[-1].number if current else None, []).append(chapter)
        out: list[tuple[Phase | None, tuple[Chapter, ...]]] = []
        if None in under:
            out.append((None, tuple(under[None])))
        for phase in sorted(self.phases, key=lambda p: p.number):
            if phase.number in under or phase.starts_on <= self.built_at.date():
                out.append((phase, tuple(under.get(phase.number, ()))))
        return out

    def advice(self) -> list[tuple[Chapter, str]]:
        """The good advice of every meeting that has some, in meeting order."""
        return [
            (c, c.summary.good_advice) for c in self.chapters if c.summary and c.summary.good_advice
        ]


async def gather(
    uow: UnitOfWork, slug: str, now: datetime, min_answers: int = DEFAULT_MIN_ANSWERS
) -> Report:
    """The report's content (inside an open unit): meetings begun by `now` or with content."""
    network = await uow.networks.get(slug)
    if network is None:
        known = ", ".join(n.slug for n in await uow.networks.all()) or "-"
        raise NotFound(
            N_("There is no network called '{name}'. Known networks: {known}"),
            name=slug,
            known=known,
        )
    towns = {m.key: m.name for m in await uow.networks.municipalities(slug)}
    summaries = await uow.summaries.for_network(slug)
    cases = [c for c in await uow.cases.for_network(slug) if c.status is CaseStatus.ACCEPTED]
    chapters = []
    for meeting in await uow.networks.meetings(slug):
        if meeting.status is MeetingStatus.CANCELLED:
            continue
        summary = summaries.get(meeting.number)
        posted = summary if summary is not None and summary.posted else None
        mine = tuple(c for c in cases if c.meeting == meeting.number)
        if posted is None and not mine and meeting.starts_at(network.zone) > now:
            continue
        chapters.append(
            Chapter(
                meeting=meeting,
                host_name=towns.get(meeting.host or "", ""),
                cases=mine,
                summary=posted,
                evaluation=disclosed(
                    aggregate(await uow.evaluations.answers(slug, meeting.number)), min_answers
                ),
                plan=await uow.host_plans.get(slug, meeting.number),
                held=meeting.starts_at(network.zone) <= now,
            )
        )
    final = None
    if await uow.final_evaluations.opened_at(slug) is not None:
        final = final_aggregate(await uow.final_evaluations.answers(slug), min_answers)
    return Report(network, tuple(chapters), now, final, tuple(await uow.networks.phases(slug)))


async def build_report(
    uow: UnitOfWork,
    clock: Clock,
    slug: str,
    actor: Actor | None,
    directory: Directory | None,
    min_answers: int = DEFAULT_MIN_ANSWERS,
) -> Report:
    """The report for the facilitator or the secretariat (`actor`), or the command line (None)."""
    async with uow:
        who = CLI_ACTOR
        if actor is not None:
            found = await organiser(
                uow, slug, actor, directory, OrganiserAction.BUILD_REPORT, clock=clock
            )
            who = found.person.key
        report = await gather(uow, slug, clock.now(), min_answers)
        await record(uow, clock, slug, who, "report.build", f"{len(report.chapters)} meetings")
        await uow.commit()
    return report


def meeting_heading(chapter: Chapter, t: Wording) -> str:
    """'Network meeting 2: <title>' (or the study trip)."""
    meeting = chapter.meeting
    if meeting.kind is MeetingKind.STUDY_TRIP:
        base = t("Study trip")
    else:
        base = t("Network meeting {number}", number=meeting.number)
    return f"{base}: {meeting.title}" if meeting.title else base


def phase_heading(phase: Phase, t: Wording) -> str:
    """'Phase 2: <title>'."""
    return t("Phase {number}: {title}", number=phase.number, title=phase.title)


def phase_line(phase: Phase, t: Wording) -> str:
    """The phase's period, first and last day."""
    return f"{t.date(phase.starts_on, 'long')} – {t.date(phase.ends_on, 'long')}"


def meeting_line(chapter: Chapter, t: Wording) -> str:
    """When and where: date, host, place; and whether the meeting is still to be held."""
    meeting = chapter.meeting
    parts = [t.date(meeting.day, "long"), chapter.host_name, meeting.place or meeting.region]
    parts += [] if chapter.held else [t("not yet held")]
    return " · ".join(p for p in parts if p)


def programme_lines(meeting: Meeting) -> list[str]:
    """'10:00–10:15 Welcome (speaker)' for each programme item."""
    out = []
    for item in meeting.programme:
        times = "–".join(f"{c:%H:%M}" for c in (item.starts, item.ends) if c)
        text = item.title + (f" ({item.speaker})" if item.speaker else "")
        out.append(f"{times} {text}".strip())
    return out


def summary_sections(summary: Summary, t: Wording) -> list[tuple[str, str]]:
    """The summary's four parts with their headings, empty ones left out."""
    parts = [
        (t("Key points"), summary.key_points),
        (t("Good advice"), summary.good_advice),
        (t("Experiences"), summary.experiences),
        (t("Next steps"), summary.next_steps),
    ]
    return [(title, text) for title, text in parts if text]


def evaluation_line(results: EvaluationAggregate, t: Wording) -> str:
    """'7 answers; average usefulness 4.1 of 5' or that nobody answered."""
    if results.withheld:
        return t(
            "{count} answer(s) so far; totals are shown from {minimum}, so that no answer "
            "can be traced to a person.",
            count=results.answers,
            minimum=results.shown_from,
        )
    if results.mean is None:
        return t("No evaluation answers.")
    return t(
        "{count} answer(s); average usefulness {mean} of 5",
        count=results.answers,
        mean=format_decimal(results.mean, "0.0", locale=t.locale),
    )


def report_markdown(report: Report, t: Wording) -> str:
    """The final product as Markdown: a contents list, one chapter per meeting, the advice."""
    network = report.network
    subtitle = t("The network's final product")
    lines = [f"# {network.name}", "", f"*{subtitle}*", ""]
    lines += [f"{t.date(network.starts_on, 'long')} – {t.date(network.ends_on, 'long')}", ""]
    if network.description:
        lines += [network.description.strip(), ""]
    closing = t("Good advice across the meetings")
    lines += [_h(2, t("Contents")), ""]
    for phase, chapters in report.parts():
        lines += [f"- {phase_heading(phase, t)}"] if phase else []
        lines += [f"- {meeting_heading(c, t)}" for c in chapters]
    lines += [f"- {t('Final evaluation')}"] if report.final else []
    lines += [f"- {closing}", ""]
    for phase, chapters in report.parts():
        if phase is not None:
            lines += [_h(2, phase_heading(phase, t)), "", f"*{phase_line(phase, t)}*", ""]
            lines += [phase.description.strip(), ""] if phase.description else []
        for chapter in chapters:
            lines += _chapter_markdown(chapter, t)
    lines += final_markdown(report.final, t)
    lines += [_h(2, closing), ""]
    for chapter, advice in report.advice():
        lines += [f"### {meeting_heading(chapter, t)}", "", advice.strip(), ""]
    if not report.advice():
        lines += [t("No summary with good advice has been posted yet."), ""]
    return "\n".join(lines).rstrip() + "\n"


def _chapter_markdown(chapter: Chapter, t: Wording) -> list[str]:
    meeting = chapter.meeting
    lines = [f"## {meeting_heading(chapter, t)}", "", f"*{meeting_line(chapter, t)}*", ""]
    if meeting.programme:
        lines += [_h(3, t("Programme")), ""]
        lines += [f"- {line}" for line in programme_lines(meeting)] + [""]
    visit = (
        chapter.plan.what_to_see
        if chapter.plan and chapter.plan.what_to_see
        else meeting.field_visit
    )
    if visit:
        lines += [_h(3, t("Field visit")), "", visit.strip(), ""]
    if chapter.cases:
        lines += [_h(3, t("Problem statements")), ""]
        for case in chapter.cases:
            lines += _case_markdown(case, chapter.summary, t)
    lines += [_h(3, t("Summary")), ""]
    if chapter.summary is None:
        lines += [t("No summary has been posted for this meeting."), ""]
    else:
        for title, text in summary_sections(chapter.summary, t):
            lines += [f"#### {title}", "", text.strip(), ""]
    lines += [_h(3, t("Evaluation")), "", evaluation_line(chapter.evaluation, t), ""]
    lines += [f"> {comment}" for comment in chapter.evaluation.comments]
    return [*lines, ""] if chapter.evaluation.comments else lines


def _case_markdown(case: Case, summary: Summary | None, t: Wording) -> list[str]:
    by = f" – {case.municipality_name}" if case.municipality_name else ""
    lines = [f"#### {case.title}{by}", "", case.description.strip(), ""]
    if case.sparring_notes:
        lines += [_labelled(t("Sparring notes"), case.sparring_notes), ""]
    note = summary.note_for(case.id) if summary else ""
    if note:
        lines += [_labelled(t("From the summary"), note), ""]
    return lines


def _h(level: int, text: str) -> str:
    return f"{'#' * level} {text}"


def _labelled(label: str, text: str) -> str:
    return f"**{label}:** {text.strip()}"


def linkedin_text(report: Report, chapter: Chapter, t: Wording) -> str:
    """A short post about one meeting, ready to paste into LinkedIn (at most 1,300 characters)."""
    head = f"{report.network.name} – {meeting_heading(chapter, t)}"
    where = meeting_line(chapter, t)
    summary = chapter.summary
    body = [
        (t("Key points"), summary.key_points if summary else ""),
        (t("Good advice"), summary.good_advice if summary else ""),
    ]
    cases = [c.title for c in chapter.cases]
    tail = t("Problem statements: {titles}", titles="; ".join(cases)) if cases else ""
    fixed = f"{head}\n{where}\n\n"
    room = LINKEDIN_LIMIT - len(fixed) - (len(tail) + 2 if tail else 0)
    parts = [f"{title}:\n{text.strip()}" for title, text in body if text.strip()]
    text = fixed + "\n\n".join(_fit(parts, room)) + (f"\n\n{tail}" if tail else "")
    return _cut(text.strip(), LINKEDIN_LIMIT)


def _fit(parts: list[str], room: int) -> list[str]:
    """Cut the parts so that they fit `room` characters together, sharing it fairly."""
    room -= 2 * max(len(parts) - 1, 0)
    out = []
    for i, part in enumerate(parts):
        share = max(room // (len(parts) - i), 0)
        out.append(_cut(part, share))
        room -= len(out[-1])
    return [p for p in out if p]


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit < 2:
        return ""
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return cut + "…"
