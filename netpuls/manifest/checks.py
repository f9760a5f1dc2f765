"""What the schemas cannot say: placeholders left, $schema versions, duplicate commands, icons."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}
_PLACEHOLDER = re.compile(r"\{\{[A-Z0-9_]+\}\}")
_SCHEMA_URL_VERSION = re.compile(
    r"/teams/v([0-9.]+)/MicrosoftTeams(?:\.Localization)?\.schema\.json$"
)


@dataclass(frozen=True)
class SchemaIssue:
    """One problem found in one file of the package."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class ManifestError(Exception):
    """The app package is invalid; ``issues`` names each file, JSON path and problem."""

    def __init__(self, issues: Sequence[SchemaIssue]) -> None:
        self.issues: tuple[SchemaIssue, ...] = tuple(issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(f"invalid Teams app package ({len(self.issues)} problem(s)):\n{lines}")


def placeholder_issues(file: str, doc: Any, path: str = "$") -> Iterator[SchemaIssue]:
    """Every {{PLACEHOLDER}} left unfilled in a document, with its JSON path."""
    if isinstance(doc, str) and (found := _PLACEHOLDER.search(doc)):
        yield SchemaIssue(file, path, f"unfilled placeholder {found[0]}")
    elif isinstance(doc, list):
        for index, item in enumerate(doc):
            yield from placeholder_issues(file, item, f"{path}[{index}]")
    elif isinstance(doc, dict):
        for key, item in doc.items():
            yield from placeholder_issues(file, item, json_path([key], path))


def schema_url_issues(file: str, doc: Mapping[str, Any], version: str) -> list[SchemaIssue]:
    """A $schema URL naming another manifest version than manifestVersion."""
    url = doc.get("$schema")
    match = _SCHEMA_URL_VERSION.search(url) if isinstance(url, str) else None
    if url is None or (match and match[1] == version):
        return []
    return [SchemaIssue(file, "$['$schema']", f"{url!r} does not match manifestVersion {version}")]


def duplicate_command_issues(manifest: Mapping[str, Any]) -> list[SchemaIssue]:
    """Command titles used twice in one command list (Teams refuses them)."""
    issues = []
    for b, bot in enumerate(manifest.get("bots") or []):
        for i, lst in enumerate(bot.get("commandLists") or []):
            commands = [c for c in lst.get("commands") or [] if isinstance(c, dict)]
            titles = [t for c in commands if isinstance(t := c.get("title"), str)]
            for title in sorted({t for t in titles if titles.count(t) > 1}):
                path = f"$.bots[{b}].commandLists[{i}].commands"
                issues.append(SchemaIssue("manifest.json", path, f"duplicate title {title!r}"))
    return issues


def icon_issues(manifest: Mapping[str, Any], icons: Mapping[str, bytes]) -> list[SchemaIssue]:
    """Icons missing, outside the zip root, not PNG, of the wrong size, or without alpha."""
    issues = []
    for key, size in ICON_SIZES.items():
        file = (manifest.get("icons") or {}).get(key)
        path = f"$.icons.{key}"
        if not isinstance(file, str):
            continue  # the schema reports the missing icon
        if Path(file).name != file:
            issues.append(SchemaIssue("manifest.json", path, f"{file!r} must be at the zip root"))
        elif file not in icons:
            issues.append(SchemaIssue("manifest.json", path, f"icon file {file!r} not provided"))
        else:
            problem = _png_problem(icons[file], size, needs_alpha=key == "outline")
            if problem:
                issues.append(SchemaIssue(file, path, problem))
    return issues


def _png_problem(data: bytes, size: tuple[int, int], *, needs_alpha: bool) -> str | None:
    """Read the PNG header (signature + IHDR) and compare it with what Teams requires."""
    if len(data) < 33 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return "not a PNG file"
    width, height, _depth, color_type = struct.unpack(">IIBB", data[16:26])
    if (width, height) != size:
        return f"must be {size[0]}x{size[1]} pixels, is {width}x{height}"
    if needs_alpha and color_type not in (4, 6):  # grey+alpha or RGBA
        return "outline icon must have an alpha channel (white on transparent)"
    return None


def json_path(parts: Sequence[str | int] | Iterator[str | int], root: str = "$") -> str:
    """A JSON path such as $.bots[0].commandLists[1] or $['name.short']."""
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            path += f".{part}"
        else:
            path += "[" + json.dumps(part, ensure_ascii=False).replace('"', "'") + "]"
    return path
