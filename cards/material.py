"""Material cards: the receipt, the list `material` shows, and 'which meeting is this for?'."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from cards.agenda import execute_action, plain
from cards.elements import Element, card, facts, heading, text
from cards.ids import DATA_VERB
from domain.text import literal
from netpuls.i18n import Translator

URL_SAFE = ":/?#@!$&'*+,;=%~[]"
# Bytes of JSON the list's entries may take: the whole card stays well below Teams' 80 KB.
ENTRIES_BUDGET = 60_000
FILE = "file"
LINK = "link"
VERB_MATERIAL_MEETING = "material_meeting"
DATA_MATERIAL = "material"
INPUT_MATERIAL_MEETING = "materialMeeting"
INPUT_MATERIAL_THEMES = "materialThemes"
NOTICE_ID = "notice"


@dataclass(frozen=True, slots=True)
class MaterialItem:
    """One file or link as a card shows it, names and dates resolved."""

    title: str
    url: str
    kind: str  # FILE | LINK
    shared_by: str
    shared_on: date
    meeting: str = ""  # e.g. 'Netværksmøde 2'; empty when it belongs to no meeting
    themes: tuple[str, ...] = ()
    file_name: str = ""
    size: int | None = None


@dataclass(frozen=True, slots=True)
class FiledView:
    """The receipt after filing: the item, where it went, whether it was there already."""

    network_name: str
    item: MaterialItem
    folder: str = ""  # 'netpuls/2024-05-30 Netværksmøde 2' for files
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class MaterialListView:
    """The answer to `material`: a meeting's material or what matches the words."""

    network_name: str
    meeting: str
    words: tuple[str, ...]
    items: tuple[MaterialItem, ...]
    more: bool = False  # the list was cut at its limit


def size_text(size: int | None) -> str:
    """'812 KB' or '12.4 MB'."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _open(item: MaterialItem, t: Translator) -> Element:
    title = t("Open file") if item.kind == FILE else t("Open link")
    return {"type": "Action.OpenUrl", "title": title, "url": _safe_url(item.url)}


def _safe_url(url: str) -> str:
    return quote(url, safe=URL_SAFE)


def _web(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def filed_card(view: FiledView, t: Translator) -> Element:
    """The receipt: what was filed (or found filed already), for which meeting, where."""
    item = view.item
    if item.kind == FILE:
        title = t("Already filed") if view.duplicate else t("Filed in the channel's files")
    else:
        title = t("Already shared") if view.duplicate else t("Link saved as material")
    body: list[Element] = [
        *heading(literal(title), subtle=literal(view.network_name)),
        plain((item.title, True)),
        facts(
            [
                (t("Meeting"), literal(item.meeting)),
                (t("File"), literal(item.file_name)),
                (t("Folder"), literal(view.folder)),
                (t("Size"), size_text(item.size)),
                (t("Themes"), literal(", ".join(f"#{theme}" for theme in item.themes))),
                (t("Shared by"), literal(item.shared_by)),
                (t("Date"), t.date(item.shared_on, "long")),
            ]
        ),
    ]
    summary = f"{title}: {item.title}"
    actions = [_open(item, t)] if _web(item.url) else []
    return card(body, actions=actions, fallback_text=summary, speak=summary)


def material_card(view: MaterialListView, t: Translator) -> Element:
    """The material of a meeting, or what matches a search, newest first, each with its link."""
    if view.words:
        title = t("Material matching: {words}", words=" ".join(view.words))
    elif view.meeting:
        title = t("Material for {meeting}", meeting=view.meeting)
    else:
        title = t("Material")
    body: list[Element] = [*heading(literal(title), subtle=literal(view.network_name))]
    if not view.items:
        body.append(
            text(t("Nothing yet. Send me a file in a personal chat, or write: share <link>"))
        )
    shown, used = 0, 0
    for item in view.items:
        entry = _entry(item, t)
        used += len(json.dumps(entry).encode())
        if used > ENTRIES_BUDGET:
            break  # Teams refuses messages above 100 KB; long titles and addresses add up
        body += entry
        shown += 1
    if view.more or shown < len(view.items):
        body.append(text(t("Only the newest are shown. Add words to narrow the search.")))
    summary = f"{title} ({shown})"
    return card(body, fallback_text=summary, speak=summary)


def _entry(item: MaterialItem, t: Translator) -> list[Element]:
    label = item.title.replace("[", "(").replace("]", ")")
    kind = t("File") if item.kind == FILE else t("Link")
    about = [
        kind,
        item.meeting,
        item.shared_by,
        t.date(item.shared_on, "medium"),
        size_text(item.size),
    ]
    themes = " ".join(f"#{theme}" for theme in item.themes)
    # A link written as Markdown (as the agenda does); a title people typed is never Markdown
    # outside the link text, and anything but a web address is not a link at all.
    heading_line = (
        text(f"[{label}]({_safe_url(item.url)})", spacing="Medium")
        if _web(item.url)
        else {**plain((item.title, True)), "spacing": "Medium"}
    )
    out = [heading_line, plain((" · ".join(a for a in about if a), False))]
    if themes:
        out.append(plain((themes, False)))
    out[1]["spacing"] = "None"
    return out


@dataclass(frozen=True, slots=True)
class MeetingChoiceView:
    """'Which meeting is this for?': the item, the meeting it was filed for, the candidates."""

    network_name: str
    material_ids: str  # '7' or '7,8': the items of one message, answered together
    title: str
    kind: str  # FILE | LINK
    filed_for: str  # the meeting's name, e.g. 'Netværksmøde 2'
    meetings: tuple[tuple[str, str], ...]  # (number, name), in date order
    chosen: str  # the number of the meeting it is filed for now
    themes: tuple[str, ...] = ()  # offered: the network's themes and the item's own
    chosen_themes: tuple[int, ...] = ()  # indexes into themes
    notice: str = ""
    saved: bool = False  # answered: the card shows the outcome, without inputs


def meeting_choice_card(view: MeetingChoiceView, t: Translator) -> Element:
    """The quick question after filing when the meeting was unclear; answering moves the item."""
    body: list[Element] = []
    if view.notice:
        body.append(text(literal(view.notice), id=NOTICE_ID, weight="Bolder", color="Accent"))
    body += [
        *heading(t("Which meeting is this for?"), subtle=literal(view.network_name)),
        plain((view.title, True)),
    ]
    summary = t("Which meeting is this for?")
    if view.saved:
        return card(body, fallback_text=summary, speak=summary)
    body += [
        text(
            t(
                "I filed it for {meeting}. If it belongs to another meeting, choose it here.",
                meeting=view.filed_for,
            )
        ),
        {
            "type": "Input.ChoiceSet",
            "id": INPUT_MATERIAL_MEETING,
            "label": t("Meeting"),
            "style": "expanded",
            "isRequired": True,
            "errorMessage": t("Choose a meeting."),
            "value": view.chosen,
            "choices": [{"title": name, "value": number} for number, name in view.meetings],
        },
    ]
    if view.themes:
        themes: Element = {
            "type": "Input.ChoiceSet",
            "id": INPUT_MATERIAL_THEMES,
            "label": t("Themes"),
            "isMultiSelect": True,
            "style": "expanded",
            "choices": [{"title": theme, "value": str(i)} for i, theme in enumerate(view.themes)],
        }
        if view.chosen_themes:
            themes["value"] = ",".join(str(i) for i in view.chosen_themes)
        body.append(themes)
    if view.kind == FILE:
        body.append(
            text(
                t(
                    "A file I filed moves to that meeting's folder; a file posted in the "
                    "channel stays where it is and only its meeting changes."
                ),
                isSubtle=True,
                size="Small",
            )
        )
    data = {DATA_VERB: VERB_MATERIAL_MEETING, DATA_MATERIAL: view.material_ids}
    return card(
        body,
        actions=[execute_action(t("Save"), data)],
        fallback_text=summary,
        speak=summary,
    )
