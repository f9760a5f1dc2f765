"""Material cards: the receipt for a filed file or link, and the list `material` shows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from cards.agenda import plain
from cards.elements import Element, card, facts, heading, text
from netpuls.i18n import Translator

URL_SAFE = ":/?#@!$&'*+,;=%~[]"
# Bytes of JSON the list's entries may take: the whole card stays well below Teams' 80 KB.
ENTRIES_BUDGET = 60_000
FILE = "file"
LINK = "link"


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
        *heading(title, subtle=view.network_name),
        plain((item.title, True)),
        facts(
            [
                (t("Meeting"), item.meeting),
                (t("File"), item.file_name),
                (t("Folder"), view.folder),
                (t("Size"), size_text(item.size)),
                (t("Themes"), ", ".join(f"#{theme}" for theme in item.themes)),
                (t("Shared by"), item.shared_by),
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
    body: list[Element] = [*heading(title, subtle=view.network_name)]
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
    about = [item.meeting, item.shared_by, t.date(item.shared_on, "medium"), size_text(item.size)]
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
