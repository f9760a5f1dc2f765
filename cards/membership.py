"""The application card (apply, edit, confirm a replacement) and the secretariat's list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from cards.agenda import execute_action, plain, section_title
from cards.elements import Element, card, facts, heading, text
from domain import application_form as form
from domain.membership import MAX_WORDS
from domain.text import literal
from netpuls.i18n import Translator

VERB_APPLY = "apply"
DATA_NETWORK = "network"
DATA_BASE = "base"
DATA_REPLACE = "replace"
NOTICE_ID = "notice"
PAGE_SIZE = 30
SHOWN = 80  # characters of a typed name shown in the list
# What the client checks before sending (the bot checks again): at most 400 words, an address.
WORDS_REGEX = rf"^\s*(\S+(\s+|$)){{0,{MAX_WORDS}}}$"
EMAIL_REGEX = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@dataclass(frozen=True, slots=True)
class ApplicationFormView:
    """The application card: the network's rules, the values to show, the outcome of a send."""

    network_slug: str
    network_name: str
    closes_at: datetime | None  # None: no call open (a refusal is shown)
    themes: tuple[str, ...]
    regions: tuple[str, ...]
    needs_commitment: bool
    values: Mapping[str, str] = field(default_factory=dict)  # input id -> value to prefill
    base: str = ""  # '<municipality>:<version>' when the card edits a stored application
    notice: str = ""
    offer_replace: bool = False  # the municipality applied already: offer to replace it
    requires: tuple[str, ...] = ()  # form.AREA_IDEA, form.WORKING_GROUP: the network asks


@dataclass(frozen=True, slots=True)
class ApplicationLine:
    """One application in the secretariat's list."""

    municipality: str
    region: str
    head_of_planning: str
    email: str
    words: int
    theme_numbers: tuple[int, ...]
    version: int
    sent: datetime
    status: str  # translated
    links: int = 0
    board_decision: str = ""  # 'day, reference' for networks that ask for it
    project_leader: str = ""
    area_idea: str = ""  # where the network asks for them (`application: requires`)
    working_group: tuple[str, ...] = ()  # the competences, one each


@dataclass(frozen=True, slots=True)
class ApplicationsView:
    """The secretariat's list of applications with word counts and themes."""

    network_name: str
    call_line: str  # translated: open until, closed on, no call
    seats: int
    themes: tuple[str, ...]
    lines: tuple[ApplicationLine, ...]
    page: int = 1  # PAGE_SIZE applications a page keeps the card below Teams' size limit


def application_card(view: ApplicationFormView, t: Translator) -> Element:
    """The application form in the network's language, prefilled when editing."""
    title = t("Apply to {network}", network=view.network_name)
    deadline = (
        t("Applications close on {deadline}.", deadline=view.closes_at) if view.closes_at else ""
    )
    body: list[Element] = []
    if view.notice:
        body.append(text(literal(view.notice), id=NOTICE_ID, weight="Bolder", color="Accent"))
    body += [
        *heading(literal(title), subtle=literal(deadline)),
        text(t("You can change the application until the deadline; every version is kept.")),
        *_who(view, t),
        *_interest(view, t),
    ]
    body += _prerequisites(view, t)
    if view.needs_commitment:
        body += _commitment(view, t)
    return card(body, actions=_actions(view, t), fallback_text=title, speak=title)


def _input(view: ApplicationFormView, kind: str, key: str, label: str, **extra: object) -> Element:
    element: Element = {"type": kind, "id": key, "label": label, **extra}
    if view.values.get(key):
        element["value"] = view.values[key]
    return element


def _required(message: str) -> dict[str, object]:
    return {"isRequired": True, "errorMessage": message}


def _who(view: ApplicationFormView, t: Translator) -> list[Element]:
    regions = [{"title": r, "value": r} for r in view.regions]
    return [
        _input(
            view,
            "Input.Text",
            form.F_MUNICIPALITY,
            t("Municipality"),
            maxLength=form.MAX_NAME,
            **_required(t("Write the municipality's name.")),
        ),
        _input(
            view,
            "Input.ChoiceSet",
            form.F_REGION,
            t("Region"),
            choices=regions,
            style="compact",
            **_required(t("Choose the municipality's region.")),
        ),
        _input(
            view,
            "Input.Text",
            form.F_HEAD,
            t("Name of the head of planning"),
            maxLength=form.MAX_NAME,
            **_required(t("Write the name of the head of planning.")),
        ),
        _input(
            view,
            "Input.Text",
            form.F_EMAIL,
            t("E-mail of the head of planning"),
            style="Email",
            maxLength=form.MAX_EMAIL,
            regex=EMAIL_REGEX,
            **_required(t("Write an e-mail address such as name@example.org.")),
        ),
    ]


def _interest(view: ApplicationFormView, t: Translator) -> list[Element]:
    themes = [{"title": theme, "value": str(i)} for i, theme in enumerate(view.themes, 1)]
    out = [
        _input(
            view,
            "Input.Text",
            form.F_INTEREST,
            t("The municipality's interest in the themes (at most {limit} words)", limit=MAX_WORDS),
            isMultiline=True,
            maxLength=form.MAX_INTEREST_CHARS,
            regex=WORDS_REGEX,
            **_required(t("At most {limit} words, please.", limit=MAX_WORDS)),
        )
    ]
    if themes:
        out.append(
            _input(
                view,
                "Input.ChoiceSet",
                form.F_THEMES,
                t("Themes of interest"),
                choices=themes,
                isMultiSelect=True,
                style="expanded",
                **_required(t("Choose at least one of the network's themes.")),
            )
        )
    out.append(
        _input(
            view,
            "Input.Text",
            form.F_LINKS,
            t("Links (one per line)"),
            isMultiline=True,
            maxLength=form.MAX_LINKS * (form.MAX_LINK + 1),
            placeholder="https://",
        )
    )
    return out


def _prerequisites(view: ApplicationFormView, t: Translator) -> list[Element]:
    """The area idea and the working group, where the network file asks for them."""
    out: list[Element] = []
    if form.AREA_IDEA in view.requires:
        out.append(
            _input(
                view,
                "Input.Text",
                form.F_AREA_IDEA,
                t("The area you want to develop: your idea"),
                isMultiline=True,
                maxLength=form.MAX_AREA_IDEA,
                **_required(
                    t("Describe the area the municipality wants to develop in the network.")
                ),
            )
        )
    if form.WORKING_GROUP in view.requires:
        out.append(
            _input(
                view,
                "Input.Text",
                form.F_WORKING_GROUP,
                t("The working group: its competences, one a line (at least two)"),
                isMultiline=True,
                maxLength=form.MAX_WORKING_GROUP,
                placeholder=t("e.g. planner, dialogue lead, landscape architect"),
                **_required(t("Describe the working group: its competences, one a line.")),
            )
        )
    return [section_title(t("The area and the working group")), *out] if out else []


def _commitment(view: ApplicationFormView, t: Translator) -> list[Element]:
    return [
        section_title(t("The municipality's commitment")),
        _input(
            view,
            "Input.Date",
            form.F_BOARD_DATE,
            t("Date of the municipal board's decision"),
            **_required(t("Give the date of the municipal board's decision.")),
        ),
        _input(
            view,
            "Input.Text",
            form.F_BOARD_REFERENCE,
            t("Reference of the decision (case number)"),
            maxLength=form.MAX_REFERENCE,
            **_required(t("Give the reference (case number) of the board's decision.")),
        ),
        _input(
            view,
            "Input.Text",
            form.F_PROJECT_LEADER,
            t("Project leader"),
            maxLength=form.MAX_NAME,
            **_required(t("Name the municipality's project leader.")),
        ),
        _input(
            view,
            "Input.Text",
            form.F_STEERING_GROUP,
            t("Steering group (names and roles)"),
            isMultiline=True,
            maxLength=form.MAX_STEERING_GROUP,
            **_required(t("Name the members of the steering group.")),
        ),
    ]


def _actions(view: ApplicationFormView, t: Translator) -> list[Element]:
    data = {"verb": VERB_APPLY, DATA_NETWORK: view.network_slug, DATA_BASE: view.base}
    send = t("Save the changes") if view.base else t("Send the application")
    out = [execute_action(send, data)]
    if view.offer_replace:
        out.append(execute_action(t("Replace the application"), {**data, DATA_REPLACE: "true"}))
    return out


def applications_card(view: ApplicationsView, t: Translator) -> Element:
    """Every application (a page of them): who, from where, how many words, which themes."""
    title = t("Applications to {network}", network=view.network_name)
    body: list[Element] = [
        *heading(literal(title), subtle=literal(view.call_line)),
        facts([(t("Applications"), str(len(view.lines))), (t("Seats"), str(view.seats))]),
    ]
    if view.themes:
        body += [
            section_title(t("Themes")),
            facts([(str(i), literal(th)) for i, th in enumerate(view.themes, 1)]),
        ]
    if not view.lines:
        body.append(text(t("No applications yet."), isSubtle=True))
    pages = max(1, -(-len(view.lines) // PAGE_SIZE))
    page = min(max(view.page, 1), pages)
    for line in view.lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        body += _line(line, t)
    if pages > 1:
        more = t(
            "Page {page} of {pages}. Write applications <page> to see another page.",
            page=page,
            pages=pages,
        )
        body.append(text(literal(more), isSubtle=True, spacing="Medium"))
    return card(body, fallback_text=title, speak=title)


def short(value: str, limit: int) -> str:
    """Typed text cut for display (the stored value is whole), so long lists stay small."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _line(line: ApplicationLine, t: Translator) -> list[Element]:
    """Typed values as TextRuns (never Markdown); counts and our own words as facts."""
    themes = ", ".join(str(n) for n in line.theme_numbers) or "-"
    head, board, leader = t("Head of planning"), t("Board decision"), t("Project leader")
    out = [
        plain((short(line.municipality, SHOWN), True), (f" ({line.region})", False)),
        plain(
            (f"{head}: ", False), (f"{short(line.head_of_planning, SHOWN)}, {line.email}", False)
        ),
    ]
    if line.board_decision:
        out.append(plain((f"{board}: ", False), (short(line.board_decision, SHOWN), False)))
    if line.project_leader:
        out.append(plain((f"{leader}: ", False), (short(line.project_leader, SHOWN), False)))
    if line.area_idea:
        area = t("Area")
        out.append(plain((f"{area}: ", False), (short(line.area_idea, SHOWN), False)))
    if line.working_group:
        group, competences = t("Working group"), ", ".join(line.working_group)
        out.append(plain((f"{group}: ", False), (short(competences, SHOWN), False)))
    rows = [
        (t("Words"), str(line.words)),
        (t("Themes"), themes),
        (t("Version"), literal(t("{version}, sent {sent}", version=line.version, sent=line.sent))),
        (t("Status"), literal(line.status)),
        (t("Links"), str(line.links) if line.links else ""),
    ]
    return [*out, facts(rows)]


def board_decision(day: date, reference: str, t: Translator) -> str:
    """'28 Oct 2015, KS 2015/123', the day written the reader's way."""
    return f"{t.date(day, 'medium')}, {reference}"
