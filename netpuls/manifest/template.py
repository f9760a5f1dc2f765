"""The app package's template: placeholders filled, the command lists and their translations."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PLACEHOLDER_APP_ID = "{{BOT_APP_ID}}"
PLACEHOLDER_DEVELOPER_NAME = "{{DEVELOPER_NAME}}"
PLACEHOLDER_WEBSITE_URL = "{{WEBSITE_URL}}"
PLACEHOLDER_PRIVACY_URL = "{{PRIVACY_URL}}"
PLACEHOLDER_TERMS_URL = "{{TERMS_URL}}"
# webApplicationInfo: the app registration the tab's Teams SSO tokens are for, and its API.
PLACEHOLDER_SSO_APP_ID = "{{SSO_APP_ID}}"
PLACEHOLDER_SSO_RESOURCE = "{{SSO_RESOURCE}}"
PLACEHOLDER_TAB_BASE_URL = "{{TAB_BASE_URL}}"
PLACEHOLDER_TAB_DOMAIN = "{{TAB_DOMAIN}}"
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "manifest"
_COMMAND_KEY = re.compile(r"bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(\w+)")


@dataclass(frozen=True)
class CommandInfo:
    """A bot command as shown in Teams' command menu."""

    name: str
    title_en: str
    description_en: str
    # The command menus it appears in; Teams lists at most 10 commands per scope.
    scopes: frozenset[str] = frozenset({"team", "personal", "groupChat"})
    # Per localization file stem ("da", "sv"): (title, description). A title must be a name
    # the bot answers to, because Teams sends the title when the command is picked.
    localized: tuple[tuple[str, str, str], ...] = ()

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.title_en.strip():
            raise ValueError(f"command name and title must not be empty: {self!r}")


@dataclass(frozen=True)
class Publisher:
    """Who publishes the app: manifest.json's developer name and its three pages."""

    name: str
    website_url: str
    privacy_url: str
    terms_url: str

    def __post_init__(self) -> None:
        blank = [field for field, value in vars(self).items() if not value.strip()]
        if blank:
            raise ValueError(f"the app package needs the publisher's {', '.join(blank)}")

    def placeholders(self) -> dict[str, str]:
        """The template's developer placeholders, filled."""
        return {
            PLACEHOLDER_DEVELOPER_NAME: self.name,
            PLACEHOLDER_WEBSITE_URL: self.website_url,
            PLACEHOLDER_PRIVACY_URL: self.privacy_url,
            PLACEHOLDER_TERMS_URL: self.terms_url,
        }


DEFAULT_COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("help", "help", "Show what netpuls can do and which commands you can use."),
    CommandInfo(
        "next", "next", "Show the network's next meeting: date, host, programme and your RSVP."
    ),
    CommandInfo(
        "link",
        "link",
        "Link this channel to a network (facilitators only), for example: link <network>.",
    ),
)


def fill_placeholders(value: Any, replacements: Mapping[str, str]) -> Any:
    """Replace placeholders inside every string of a JSON document (never in raw JSON text)."""
    if isinstance(value, str):
        for placeholder, replacement in replacements.items():
            value = value.replace(placeholder, replacement)
        return value
    if isinstance(value, list):
        return [fill_placeholders(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: fill_placeholders(item, replacements) for key, item in value.items()}
    return value


def with_tabs(manifest: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The channel and personal tabs served from ``base_url`` (https), or no tabs without one."""
    manifest = copy.deepcopy(manifest)
    if not base_url:
        for key in ("configurableTabs", "staticTabs"):
            manifest.pop(key, None)
        manifest["validDomains"] = [
            d for d in manifest.get("validDomains", []) if d != PLACEHOLDER_TAB_DOMAIN
        ]
        return manifest
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"the tabs need an https base URL, got {base_url!r}")
    base = base_url.rstrip("/")
    domain = parts.netloc
    return fill_placeholders(  # type: ignore[no-any-return]
        manifest, {PLACEHOLDER_TAB_BASE_URL: base, PLACEHOLDER_TAB_DOMAIN: domain}
    )


def localization_files(manifest: Mapping[str, Any]) -> list[str]:
    """The localization file names the manifest lists, in its order."""
    info = manifest.get("localizationInfo") or {}
    return [
        entry["file"]
        for entry in info.get("additionalLanguages", [])
        if isinstance(entry, dict) and isinstance(entry.get("file"), str)
    ]


def with_commands(
    manifest: dict[str, Any],
    languages: Mapping[str, dict[str, Any]],
    commands: Sequence[CommandInfo],
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Put ``commands`` in every command list and re-key the localized command strings.

    Localization files address commands by index, so they are rebuilt: a command keeps the
    translation the template gives its English title, and falls back to English otherwise.
    """
    manifest = copy.deepcopy(manifest)
    bots = manifest.get("bots") or []
    if not bots:
        return manifest, dict(languages)
    bot = bots[0]
    old_lists = bot.get("commandLists") or [{"scopes": list(bot.get("scopes", []))}]
    translations = {name: _command_translations(old_lists, doc) for name, doc in languages.items()}
    per_list = [[c for c in commands if c.scopes & set(lst.get("scopes", []))] for lst in old_lists]
    bot["commandLists"] = [
        {
            **lst,
            "commands": [{"title": c.title_en, "description": c.description_en} for c in chosen],
        }
        for lst, chosen in zip(old_lists, per_list, strict=True)
    ]

    rebuilt: dict[str, dict[str, Any]] = {}
    for name, doc in languages.items():
        new_doc = {key: value for key, value in doc.items() if not _COMMAND_KEY.fullmatch(key)}
        stem = name.rsplit(".", 1)[0]
        for i, chosen in enumerate(per_list):
            for j, command in enumerate(chosen):
                given = {lang: (title, text) for lang, title, text in command.localized}
                fields = (
                    {"title": given[stem][0], "description": given[stem][1]}
                    if stem in given
                    else translations[name].get(command.title_en, {})
                )
                for field, text in fields.items():
                    new_doc[f"bots[0].commandLists[{i}].commands[{j}].{field}"] = text
        rebuilt[name] = new_doc
    return manifest, rebuilt


def _command_translations(
    command_lists: Sequence[Mapping[str, Any]], localization: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """Map each English command title in the template to its localized fields."""
    result: dict[str, dict[str, str]] = {}
    for key, text in localization.items():
        match = _COMMAND_KEY.fullmatch(key)
        if not match or not isinstance(text, str):
            continue
        i, j, field = int(match[1]), int(match[2]), match[3]
        try:
            title = command_lists[i]["commands"][j]["title"]
        except (IndexError, KeyError, TypeError):
            continue
        result.setdefault(title, {})[field] = text
    return result
