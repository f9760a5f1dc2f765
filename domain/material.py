"""Shared material: files and links filed for a meeting, and the rules that keep filing safe."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from domain.errors import N_, DomainError, InvalidInput

MIB = 1024 * 1024
DEFAULT_MAX_MB = 100
# Documents, spreadsheets, slides, images, audio and video a planning network shares.
# Nothing executable or scriptable (no .exe, .js, .html, .svg) and no archives to unpack.
DEFAULT_FILE_TYPES = frozenset(
    {"pdf", "doc", "docx", "odt", "rtf", "txt", "md", "csv", "xls", "xlsx", "ods", "ppt", "pptx"}
    | {"odp", "png", "jpg", "jpeg", "gif", "webp", "heic", "tif", "tiff"}
    | {"mp3", "m4a", "wav", "mp4", "mov"}
)
MAX_NAME = 120  # SharePoint allows more, but the whole path must stay under 400 characters
MAX_EXTENSION = 10
MAX_TITLE = 300
MAX_URL = 2000
MAX_THEMES = 10
# Refused by SharePoint (and Windows) in a name; a name is never allowed to be a path. '%' too:
# a server that decodes a path twice must not find a separator in '%2F'.
FORBIDDEN = set('"*:<>?/\\|%')
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(10)}
THEME = re.compile(r"#([^\W\d_][\w-]{0,39})")
LEADING_NUMBER = re.compile(r"^\s*#?(\d{1,3})\b")
# A search word: letters and digits only, so no input reaches FTS5's or tsquery's syntax.
SEARCH_WORD = re.compile(r"[^\W_]+")
MAX_SEARCH_WORDS = 8
# A web address in a message: up to whitespace or characters that cannot be in one.
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
MAX_LINKS = 5


class MaterialKind(enum.StrEnum):
    """A file stored in the channel's folder, or a link to something elsewhere."""

    FILE = "file"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Material:
    """One shared item: what it is, which meeting it belongs to, who shared it and when."""

    title: str
    kind: MaterialKind
    url: str
    shared_by: str  # person key (e-mail)
    shared_by_name: str
    shared_at: datetime
    meeting_number: int | None = None
    themes: tuple[str, ...] = ()
    file_name: str = ""
    size: int | None = None
    sha256: str | None = None
    drive_id: str | None = None
    drive_item_id: str | None = None
    id: int | None = None

    def search_text(self) -> str:
        """What a text search looks in: its words, folded for comparison without case."""
        parts = (self.title, self.file_name, " ".join(self.themes), self.shared_by_name, self.url)
        return " ".join(search_words(" ".join(parts), limit=None))


class FileRefused(DomainError):
    """A file netpuls will not file: wrong type, too large, or unusable."""


@dataclass(frozen=True, slots=True)
class FileRules:
    """The largest file and the file types accepted."""

    max_bytes: int = DEFAULT_MAX_MB * MIB
    file_types: frozenset[str] = DEFAULT_FILE_TYPES

    def safe_name(self, name: str, file_type: str = "") -> str:
        """The sanitised name of an accepted file; refuses a type not on the list."""
        clean = sanitise_name(name)
        extension = extension_of(clean) or _type(file_type)
        if extension and not extension_of(clean):
            clean = sanitise_name(f"{clean}.{extension}")
        if extension not in self.file_types:
            raise FileRefused(
                N_(
                    "I can't file {name}: files of type {type} are not accepted here. "
                    "I accept: {types}."
                ),
                name=clean,
                type=f".{extension}" if extension else "?",
                types=", ".join(sorted(self.file_types)),
            )
        return clean

    def too_large(self, name: str) -> FileRefused:
        """The refusal for a file above the size limit."""
        return FileRefused(
            N_("I can't file {name}: it is larger than {limit} MB."),
            name=name,
            limit=self.max_bytes // MIB,
        )


def rules_from(max_mb: int, file_types: str) -> FileRules:
    """Rules from settings: a size in MB and a comma-separated list (empty: the defaults)."""
    listed = frozenset(_type(t) for t in file_types.split(",") if _type(t))
    return FileRules(max_bytes=max_mb * MIB, file_types=listed or DEFAULT_FILE_TYPES)


def _type(value: str) -> str:
    value = value.strip().lower().lstrip(".")
    return value if value.isalnum() and len(value) <= MAX_EXTENSION else ""


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, or ''."""
    stem, dot, extension = name.rpartition(".")
    return _type(extension) if dot and stem else ""


def sanitise_name(raw: str, limit: int = MAX_NAME) -> str:
    """A file or folder name that is safe in a Graph path and that SharePoint accepts.

    No path separators or other characters SharePoint refuses, no '..', no control or
    invisible formatting characters, no leading or trailing dots and spaces, no Windows
    device names, at most `limit` characters with the extension kept.
    """
    name = unicodedata.normalize("NFC", raw)
    name = "".join("" if unicodedata.category(c).startswith("C") else c for c in name)
    name = "".join("_" if c in FORBIDDEN else c for c in name)
    name = re.sub(r"\.{2,}", ".", " ".join(name.split())).strip(" .")
    name = re.sub("_vti_", "_vti-", name, flags=re.IGNORECASE)
    if name.startswith("~"):
        name = "_" + name[1:]  # SharePoint refuses '~$' (Office lock files)
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem and extension_of(name)):
        stem, dot, extension = name, "", ""
    if stem.split(".")[0].strip().upper() in RESERVED:
        stem = "_" + stem
    tail = f"{dot}{extension}"
    stem = stem[: max(1, limit - len(tail))].rstrip(" .")
    return f"{stem or 'file'}{tail}"


def meeting_folder(day: date, title: str) -> str:
    """The folder for a meeting's material: '2024-05-30 Netværksmøde 2'."""
    return sanitise_name(f"{day.isoformat()} {title}")


def themes_in(text: str) -> tuple[str, ...]:
    """The #themes written in a text, each once, in order."""
    seen: dict[str, str] = {}
    for theme in THEME.findall(text):
        seen.setdefault(theme.casefold(), theme)
    return tuple(seen.values())[:MAX_THEMES]


def search_words(text: str, limit: int | None = MAX_SEARCH_WORDS) -> tuple[str, ...]:
    """The words of a text as a search sees them: letters and digits, without case."""
    words = tuple(SEARCH_WORD.findall(unicodedata.normalize("NFC", text).casefold()))
    return words if limit is None else words[:limit]


def split_meeting_number(text: str) -> tuple[int | None, str]:
    """A meeting number written first ('2', '#2 notes') and the rest of the text."""
    found = LEADING_NUMBER.match(text)
    if found is None:
        return None, text.strip()
    return int(found.group(1)), text[found.end() :].strip()


def links_in(text: str) -> tuple[tuple[str, ...], str, int]:
    """The http(s) links in a text (each once, at most MAX_LINKS), the text without them, and
    how many were left out for being longer than MAX_URL."""
    found: list[str] = []
    pieces: list[str] = []
    too_long, last = 0, 0
    for match in URL_IN_TEXT.finditer(text):
        # Sentence punctuation after a link is not part of it.
        url = match.group(0).rstrip(".,;:!?)]}'")
        pieces.append(text[last : match.start()])
        last = match.start() + len(url)
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            continue
        if len(url) > MAX_URL:
            too_long += 1
        elif url not in found:
            found.append(url)
    rest = " ".join("".join([*pieces, text[last:]]).split())
    return tuple(found[:MAX_LINKS]), rest, too_long


def parse_link(args: str) -> tuple[str, str]:
    """`<url> [title]` from `share`: an http(s) URL and an optional title."""
    url, _, title = args.strip().partition(" ")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
        raise InvalidInput(
            N_("Write a web address after share, e.g. share https://example.org/report.pdf Title")
        )
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise InvalidInput(
            N_("The title is too long: {length} characters, at most {limit}."),
            length=len(title),
            limit=MAX_TITLE,
        )
    return url, title
