"""The agenda card: programme, place, RSVP state and the RSVP actions for one meeting."""

from __future__ import annotations

from urllib.parse import quote

from cards import ids
from cards.elements import Element, card, facts, heading, text
from cards.erased import shown_name
from cards.meeting import MeetingView, meeting_title, phase_text
from cards.views import AgendaView, Attendee, MyAnswer, RsvpState
from domain.model import ProgrammeItem, ProgrammeKind
from domain.rsvp import REFRESH_USERS_MAX
from domain.text import literal
from netpuls.i18n import Translator

COMING_ID = "coming"
# More municipalities than this and "who is coming" folds behind a toggle.
COLLAPSE_AFTER = 6
URL_SAFE = ":/?#@!$&'*+,;=%~[]"


def agenda_card(view: AgendaView, t: Translator) -> Element:
    """The agenda of one meeting with its RSVP state and actions, in the reader's language."""
    body: list[Element] = [
        *_notice(view.notice),
        *_header(view, t),
        *_links(view, t),
        *_programme(view, t),
        *_field_visit(view.meeting, t),
        *_cases(view.accepted_cases, t),
        *_material(view.material, t),
        *rsvp_section(view.rsvp, t),
        *_my_answer(view.mine, view.rsvp.closed, t),
    ]
    if not view.rsvp.closed:
        body += _inputs(view.mine, t)
    summary = meeting_summary(view.meeting, t)
    out = card(body, actions=_actions(view, t), fallback_text=summary, speak=summary)
    out["refresh"] = refresh(view)
    return out


def refresh(view: AgendaView) -> Element:
    """Universal Actions: the listed readers' clients fetch their own copy (with `mine`) by
    themselves. In a channel of more than 60 members everyone else sees the shared card until
    they choose Refresh in the message's menu. With nobody to list, `userIds` is left out: an
    empty list would stop automatic refreshes even in a channel of 60 or fewer.
    """
    out: Element = {"action": refresh_action(view.meeting_key)}
    if view.refresh_user_ids:
        out["userIds"] = list(view.refresh_user_ids[:REFRESH_USERS_MAX])
    return out


def execute_action(title: str, data: dict[str, str], *, inputs: bool = True) -> Element:
    """An Action.Execute with an equivalent Action.Submit fallback for clients before 1.4."""
    common: Element = {"title": title}
    if not inputs:
        common["associatedInputs"] = "none"
    submit: Element = {"type": "Action.Submit", **common, "data": data}
    return {
        "type": "Action.Execute",
        **common,
        "verb": data[ids.DATA_VERB],
        "data": ids.execute_data(data),
        "fallback": submit,
    }


def refresh_action(meeting_key: str) -> Element:
    """The silent Action.Execute Teams sends to fetch the reader's own copy of the card."""
    data = ids.action_data(ids.VERB_REFRESH, meeting_key)
    return {"type": "Action.Execute", "verb": ids.VERB_REFRESH, "data": ids.execute_data(data)}


def when_text(meeting: MeetingView, t: Translator) -> str:
    """The meeting's day, or first and last day, written the reader's way."""
    when = t.date(meeting.day)
    if meeting.end_day and meeting.end_day != meeting.day:
        when = f"{when} – {t.date(meeting.end_day)}"
    return when


def hours_text(meeting: MeetingView, t: Translator) -> str:
    """'10:00–15:00 (Europe/Copenhagen)'."""
    return f"{t.time(meeting.starts)}–{t.time(meeting.ends)} ({meeting.timezone_label})"


def meeting_summary(meeting: MeetingView, t: Translator) -> str:
    """One line for notifications and screen readers: what, when, where."""
    title = meeting_title(meeting, t)
    return f"{title}, {meeting.network_name}: {when_text(meeting, t)}, {hours_text(meeting, t)}"


def section_title(value: str) -> Element:
    """A bold line that opens a section."""
    return text(value, weight="Bolder", spacing="Medium")


def plain(*runs: tuple[str, bool]) -> Element:
    """Text people typed, as TextRuns (never read as Markdown); each run is (text, bold)."""
    inlines: list[Element] = []
    for value, bold in runs:
        if not value:
            continue
        run: Element = {"type": "TextRun", "text": value}
        if bold:
            run["weight"] = "Bolder"
        inlines.append(run)
    return {"type": "RichTextBlock", "inlines": inlines}


def by_municipality(people: tuple[Attendee, ...]) -> list[tuple[str, list[Attendee]]]:
    """People grouped under their municipality, in the order the municipalities first appear."""
    groups: dict[str, list[Attendee]] = {}
    for person in people:
        groups.setdefault(person.municipality, []).append(person)
    return list(groups.items())


def deadline_text(rsvp: RsvpState, t: Translator) -> str:
    """The RSVP deadline as a date and a clock time."""
    return t("{date}, {time}", date=t.date(rsvp.deadline_day), time=t.time(rsvp.deadline_time))


def answer_label(answer: str, t: Translator) -> str:
    """'Attending', 'Not attending' or 'Maybe' in the reader's language."""
    labels = {
        ids.ANSWER_ATTENDING: t("Attending"),
        ids.ANSWER_NOT_ATTENDING: t("Not attending"),
        ids.ANSWER_MAYBE: t("Maybe"),
        ids.ANSWER_ONLINE: t("Attending online"),
    }
    return labels.get(answer, answer)


def rsvp_section(rsvp: RsvpState, t: Translator) -> list[Element]:
    """How many municipalities answered, the counts, the deadline and who is coming."""
    answered = t(
        "{answered} of {total} municipalities have answered",
        answered=rsvp.answered_municipalities,
        total=rsvp.total_municipalities,
    )
    if rsvp.closed:
        deadline = t(
            "RSVP closed on {deadline}; answers are final.", deadline=deadline_text(rsvp, t)
        )
    else:
        deadline = t("Answer by {deadline}", deadline=deadline_text(rsvp, t))
    return [
        section_title(t("Registration")),
        text(answered),
        facts(_counts(rsvp, t)),
        text(deadline, weight="Bolder" if not rsvp.closed else "Default"),
        *_who_is_coming(rsvp.attending, t),
    ]


def _counts(rsvp: RsvpState, t: Translator) -> list[tuple[str, str]]:
    coming = str(len(rsvp.attending))
    if rsvp.capacity is not None:
        coming = t("{n} of {capacity} places taken", n=coming, capacity=rsvp.capacity)
    rows = [(t("Coming"), coming), (t("Maybe"), str(len(rsvp.maybe)))]
    if rsvp.online_allowed:
        rows.append((t("Online"), str(len(rsvp.online))))
    if rsvp.capacity is not None or rsvp.waitlist:
        rows.append((t("Waitlist"), str(len(rsvp.waitlist))))
    if rsvp.seats_per_municipality > 1:
        rows.append((t("Seats per municipality"), str(rsvp.seats_per_municipality)))
    return rows


def _who_is_coming(attending: tuple[Attendee, ...], t: Translator) -> list[Element]:
    if not attending:
        return [text(t("No one has signed up yet."), isSubtle=True)]
    groups = by_municipality(attending)
    lines = [
        plain(
            (f"{town}: ", True),
            (", ".join(shown_name(p.person, p.municipality, t) for p in people), False),
        )
        for town, people in groups
    ]
    if len(groups) <= COLLAPSE_AFTER:
        return lines
    toggle: Element = {
        "type": "Action.ToggleVisibility",
        "title": t("Show everyone coming ({n})", n=len(attending)),
        "targetElements": [COMING_ID],
    }
    hidden: Element = {"type": "Container", "id": COMING_ID, "isVisible": False, "items": lines}
    return [{"type": "ActionSet", "actions": [toggle]}, hidden]


def _notice(notice: str) -> list[Element]:
    if not notice:
        return []
    return [text(literal(notice), id=ids.NOTICE_ID, weight="Bolder", color="Accent")]


def _header(view: AgendaView, t: Translator) -> list[Element]:
    meeting = view.meeting
    out = heading(literal(f"{meeting_title(meeting, t)} – {meeting.network_name}"))
    if view.own_cost_note:
        out.append(text(t("Travel and accommodation are at each municipality's own expense.")))
    out.append(
        facts(
            [
                (t("Date"), when_text(meeting, t)),
                (t("Time"), literal(hours_text(meeting, t))),
                (t("Region"), literal(meeting.region)),
                (t("Place"), literal(meeting.place)),
                (t("Host"), literal(meeting.host_name)),
                (t("Phase"), phase_text(meeting, t)),
            ]
        )
    )
    return out


def _links(view: AgendaView, t: Translator) -> list[Element]:
    """How to take part from afar and keep the date: the Teams meeting's join link once its
    Outlook event exists, and the calendar file. In the body, next to when and where: Teams
    shows at most five actions at the card's foot, which the answers and the list fill."""
    links: list[Element] = []
    if view.meeting.join_url.startswith("https://"):
        join = t("Join the Teams meeting")
        links.append({"type": "Action.OpenUrl", "title": join, "url": view.meeting.join_url})
    if view.calendar_url:
        links.append(
            {"type": "Action.OpenUrl", "title": t("Add to calendar"), "url": view.calendar_url}
        )
    return [{"type": "ActionSet", "actions": links}] if links else []


def _programme(view: AgendaView, t: Translator) -> list[Element]:
    rows = [_programme_row(item, t) for item in view.programme] or list(view.meeting.programme)
    rows = [(literal(times), literal(title)) for times, title in rows]
    if not rows:
        return []
    return [section_title(t("Programme")), facts(rows)]


def _programme_row(item: ProgrammeItem, t: Translator) -> tuple[str, str]:
    kinds = {
        ProgrammeKind.TALK: t("talk"),
        ProgrammeKind.DISCUSSION: t("discussion"),
        ProgrammeKind.SPARRING: t("sparring"),
        ProgrammeKind.FIELD_VISIT: t("field visit"),
    }
    times = "–".join(t.time(clock) for clock in (item.starts, item.ends) if clock)
    kind = kinds.get(item.kind, "")
    if kind.casefold() in item.title.casefold():  # "Sparring on ...": the title says it already
        kind = ""
    detail = [part for part in (item.speaker, kind) if part]
    return times, f"{item.title} ({', '.join(detail)})" if detail else item.title


def _field_visit(meeting: MeetingView, t: Translator) -> list[Element]:
    if not meeting.field_visit:
        return []
    return [section_title(t("Field visit")), text(literal(meeting.field_visit))]


def _cases(cases: tuple[tuple[str, str], ...], t: Translator) -> list[Element]:
    if not cases:
        return []
    lines = [plain((title, True), (f" – {town}" if town else "", False)) for title, town in cases]
    return [section_title(t("Problem statements for sparring")), *lines]


def _material(material: tuple[tuple[str, str], ...], t: Translator) -> list[Element]:
    links = [
        _link(title, url) for title, url in material if url.startswith(("https://", "http://"))
    ]
    if not links:
        return []
    return [section_title(t("Material")), *(text(link, spacing="Small") for link in links)]


def _link(title: str, url: str) -> str:
    # The title is escaped (a bracket would end the link text); spaces and parentheses
    # are percent-encoded (they would end the URL).
    return f"[{literal(title)}]({quote(url, safe=URL_SAFE)})"


def _my_answer(mine: MyAnswer | None, closed: bool, t: Translator) -> list[Element]:
    if mine is None:
        return []
    if mine.answer == ids.ANSWER_ATTENDING and mine.waitlisted:
        line = (
            t("You are number {position} on the waitlist.", position=mine.waitlist_position)
            if mine.waitlist_position
            else t("You are on the waitlist.")
        )
    else:
        line = t("Your answer: {answer}", answer=literal(answer_label(mine.answer, t)))
    out = [text(line, weight="Bolder", color="Accent", spacing="Medium")]
    given = [(t("Dietary needs"), literal(mine.dietary)), (t("Note"), literal(mine.note))]
    if closed and any(value for _label, value in given):
        out.append(facts(given))
    return out


def _inputs(mine: MyAnswer | None, t: Translator) -> list[Element]:
    dietary: Element = {
        "type": "Input.Text",
        "id": ids.INPUT_DIETARY,
        "label": t("Dietary needs"),
        "placeholder": t("e.g. vegetarian, gluten-free"),
        "maxLength": ids.DIETARY_MAX_LENGTH,
    }
    note: Element = {
        "type": "Input.Text",
        "id": ids.INPUT_NOTE,
        "label": t("Note to the host and facilitator"),
        "placeholder": t("e.g. arriving at 11:00"),
        "maxLength": ids.NOTE_MAX_LENGTH,
        "isMultiline": True,
    }
    if mine and mine.dietary:
        dietary["value"] = mine.dietary
    if mine and mine.note:
        note["value"] = mine.note
    return [dietary, note]


def _actions(view: AgendaView, t: Translator) -> list[Element]:
    key = view.meeting_key
    out: list[Element] = []
    if not view.rsvp.closed:
        answers = ids.ANSWERS + ((ids.ANSWER_ONLINE,) if view.rsvp.online_allowed else ())
        out += [
            execute_action(
                answer_label(answer, t), ids.action_data(ids.VERB_RSVP, key, answer=answer)
            )
            for answer in answers
        ]
    who = ids.action_data(ids.VERB_ATTENDEES, key)
    out.append(execute_action(t("Who is coming"), who, inputs=False))
    return out
