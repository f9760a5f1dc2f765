"""Build and validate the Teams app package (manifest.json, icons, localization files).

The template lives in the repository's ``manifest/`` directory. ``build_manifest`` fills in
the bot's app id and command lists, validates every JSON file against the official JSON
schemas that the npm package ``@microsoft/app-manifest`` ships
(``build/json-schemas/teams/v1.NN/``), checks the icons and writes the zip.

Validation is offline and follows Microsoft's own validator (Ajv with ``ajv-draft-04``):

* The schemas declare draft-04 but also use ``const`` and ``if``/``then``, and they put
  keywords such as ``maxLength`` next to ``$ref`` (the localization schema does this for
  ``name.short`` and friends). A plain draft-04 validator ignores both. The validator used
  here is draft-04 plus the draft-06/07 keywords Ajv knows, and applies ``$ref`` together
  with its siblings, as Ajv does.
* ``$ref`` is resolved in a ``referencing.Registry`` holding every schema file of the
  version directory under its canonical ``developer.microsoft.com`` URL. Anything else is
  reported as unavailable; nothing is ever fetched. (Without an explicit registry,
  jsonschema would fetch unknown http(s) references with urllib.)
* ``pattern`` uses ECMA-262 semantics where they differ from Python's ``re`` in ways that
  matter: ``$`` is the end of the input (not "before a final newline"), and ``\\p{..}``
  classes, which ``re`` cannot evaluate, are reported instead of crashing or passing.
* ``format``: ``uri``, ``email`` and ``regex``, the three formats Microsoft's validator
  enables (jsonschema checks none of them unless told to).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import operator
import os
import re
import struct
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema import Draft4Validator, Draft7Validator, FormatChecker, ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import create, validator_for

__all__ = [
    "DEFAULT_COMMANDS",
    "DEFAULT_TEMPLATE_DIR",
    "PLACEHOLDER_APP_ID",
    "CommandInfo",
    "ManifestError",
    "SchemaIssue",
    "build_manifest",
    "validate_package",
]

PLACEHOLDER_APP_ID = "{{BOT_APP_ID}}"
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "manifest"
SCHEMA_BASE_URL = "https://developer.microsoft.com/json-schemas/teams"
MANIFEST_SCHEMA_FILE = "MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_FILE = "MicrosoftTeams.Localization.schema.json"
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_PLACEHOLDER = re.compile(r"\{\{[A-Z0-9_]+\}\}")
_COMMAND_KEY = re.compile(r"bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(\w+)")
_SCHEMA_URL_VERSION = re.compile(
    r"/teams/v([0-9.]+)/MicrosoftTeams(?:\.Localization)?\.schema\.json$"
)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives a byte-identical zip


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


# --- public API -------------------------------------------------------------------------


def build_manifest(
    app_id: str,
    commands: Sequence[CommandInfo],
    out: Path,
    schema_root: Path,
    *,
    template_dir: Path = DEFAULT_TEMPLATE_DIR,
) -> Path:
    """Fill, validate and zip the Teams app package; return the zip's path."""
    if not isinstance(app_id, str) or not _GUID.fullmatch(app_id):
        raise ValueError(
            f"app_id must be a GUID like 00000000-0000-0000-0000-000000000000 "
            f"(the bot's Microsoft App ID), got {app_id!r}"
        )
    template = _read_json(template_dir / "manifest.json")
    manifest = _fill_placeholders(template, {PLACEHOLDER_APP_ID: app_id})
    languages = {file: _read_json(template_dir / file) for file in _localization_files(manifest)}
    manifest, languages = _with_commands(manifest, languages, commands)

    icons = {
        file: (template_dir / file).read_bytes()
        for key in ICON_SIZES
        if isinstance(file := manifest.get("icons", {}).get(key), str)
    }
    validate_package(manifest, languages, icons, schema_root)

    files: dict[str, bytes] = {"manifest.json": _dump_json(manifest)}
    files.update(icons)
    files.update({name: _dump_json(doc) for name, doc in languages.items()})
    target = out / "netpuls.zip" if out.is_dir() else out
    _write_zip(target, files)
    return target


def validate_package(
    manifest: Mapping[str, Any],
    localizations: Mapping[str, Mapping[str, Any]],
    icons: Mapping[str, bytes],
    schema_root: Path,
) -> None:
    """Check manifest, localization files and icons; raise ManifestError listing every problem."""
    version = manifest.get("manifestVersion")
    if not isinstance(version, str) or not re.fullmatch(r"[0-9]+\.[0-9]+", version):
        raise ManifestError(
            [SchemaIssue("manifest.json", "$.manifestVersion", f"not a version: {version!r}")]
        )
    schemas = _SchemaSet.load(schema_root, version)
    issues = [*_placeholder_issues("manifest.json", manifest)]
    issues += _schema_url_issues("manifest.json", manifest, version)
    issues += schemas.issues("manifest.json", manifest, MANIFEST_SCHEMA_FILE)

    expected = _localization_files(manifest)
    for name in sorted(set(expected) - set(localizations)):
        issues.append(SchemaIssue(name, "$", "listed in localizationInfo but not provided"))
    for name, doc in localizations.items():
        if name not in expected:
            issues.append(SchemaIssue(name, "$", "not listed in localizationInfo"))
        issues += _placeholder_issues(name, doc)
        issues += _schema_url_issues(name, doc, version)
        issues += schemas.issues(name, doc, LOCALIZATION_SCHEMA_FILE)

    issues += _duplicate_command_issues(manifest)
    issues += _icon_issues(manifest, icons)
    if issues:
        raise ManifestError(issues)


# --- template filling -------------------------------------------------------------------


def _fill_placeholders(value: Any, replacements: Mapping[str, str]) -> Any:
    """Replace placeholders inside every string of a JSON document (never in raw JSON text)."""
    if isinstance(value, str):
        for placeholder, replacement in replacements.items():
            value = value.replace(placeholder, replacement)
        return value
    if isinstance(value, list):
        return [_fill_placeholders(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _fill_placeholders(item, replacements) for key, item in value.items()}
    return value


def _localization_files(manifest: Mapping[str, Any]) -> list[str]:
    info = manifest.get("localizationInfo") or {}
    return [
        entry["file"]
        for entry in info.get("additionalLanguages", [])
        if isinstance(entry, dict) and isinstance(entry.get("file"), str)
    ]


def _with_commands(
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


# --- checks beyond the schema -----------------------------------------------------------


def _placeholder_issues(file: str, doc: Any, path: str = "$") -> Iterator[SchemaIssue]:
    if isinstance(doc, str) and (found := _PLACEHOLDER.search(doc)):
        yield SchemaIssue(file, path, f"unfilled placeholder {found[0]}")
    elif isinstance(doc, list):
        for index, item in enumerate(doc):
            yield from _placeholder_issues(file, item, f"{path}[{index}]")
    elif isinstance(doc, dict):
        for key, item in doc.items():
            yield from _placeholder_issues(file, item, _json_path([key], path))


def _schema_url_issues(file: str, doc: Mapping[str, Any], version: str) -> list[SchemaIssue]:
    url = doc.get("$schema")
    match = _SCHEMA_URL_VERSION.search(url) if isinstance(url, str) else None
    if url is None or (match and match[1] == version):
        return []
    return [SchemaIssue(file, "$['$schema']", f"{url!r} does not match manifestVersion {version}")]


def _duplicate_command_issues(manifest: Mapping[str, Any]) -> list[SchemaIssue]:
    issues = []
    for b, bot in enumerate(manifest.get("bots") or []):
        for i, lst in enumerate(bot.get("commandLists") or []):
            commands = [c for c in lst.get("commands") or [] if isinstance(c, dict)]
            titles = [t for c in commands if isinstance(t := c.get("title"), str)]
            for title in sorted({t for t in titles if titles.count(t) > 1}):
                path = f"$.bots[{b}].commandLists[{i}].commands"
                issues.append(SchemaIssue("manifest.json", path, f"duplicate title {title!r}"))
    return issues


def _icon_issues(manifest: Mapping[str, Any], icons: Mapping[str, bytes]) -> list[SchemaIssue]:
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


# --- schema validation ------------------------------------------------------------------


@dataclass(frozen=True)
class _SchemaSet:
    """The schema files of one manifest version, in an offline registry."""

    base_url: str
    registry: referencing.Registry[Any]
    validator_classes: Mapping[str, type[Validator]]  # by schema file name

    @classmethod
    def load(cls, schema_root: Path, version: str) -> _SchemaSet:
        directory = schema_root / f"v{version}"
        if not (directory / MANIFEST_SCHEMA_FILE).is_file():
            found = sorted(p.name for p in schema_root.glob("v*")) if schema_root.is_dir() else []
            raise FileNotFoundError(
                f"no Teams manifest schema for manifestVersion {version} under {schema_root} "
                f"(expected {directory / MANIFEST_SCHEMA_FILE}; "
                f"found: {', '.join(found) or 'nothing'})"
            )
        base_url = f"{SCHEMA_BASE_URL}/v{version}/"
        resources = []
        classes: dict[str, type[Validator]] = {}
        for file in sorted(directory.glob("*.json")):
            contents = _read_json(file)
            dialect = str(contents.get("$schema", ""))
            if "draft-04" in dialect:
                # Validator.evolve() re-picks the class from "$schema" whenever it follows a
                # $ref into a resource, which would swap in the stock Draft4Validator. Store
                # these resources without "$schema" so the Ajv-like class stays in charge.
                classes[file.name] = _ajv_draft4_validator()
                contents = {k: v for k, v in contents.items() if k != "$schema"}
                resource = referencing.jsonschema.DRAFT4.create_resource(contents)
            else:
                classes[file.name] = validator_for(contents, default=_ajv_draft4_validator())
                resource = referencing.jsonschema.specification_with(
                    dialect, default=referencing.jsonschema.DRAFT4
                ).create_resource(contents)
            resources.append((base_url + file.name, resource))
            if (own_id := resource.id()) and own_id != base_url + file.name:
                resources.append((own_id, resource))
        # A Registry built without a retrieve hook answers unknown URIs with NoSuchResource:
        # nothing is fetched. (Without a registry, jsonschema would fetch them with urllib.)
        registry: referencing.Registry[Any] = referencing.Registry()
        return cls(base_url, registry.with_resources(resources).crawl(), classes)

    def issues(self, file: str, document: Any, schema_file: str) -> list[SchemaIssue]:
        """Validate ``document`` against ``schema_file``; list every error."""
        validator = self.validator_classes[schema_file](
            {"$ref": self.base_url + schema_file},
            registry=self.registry,
            format_checker=_format_checker(),
        )
        try:
            errors = sorted(validator.iter_errors(document), key=_error_sort_key)
        except referencing.exceptions.Unresolvable as exc:
            return [SchemaIssue(file, "$", f"schema reference not available offline: {exc}")]
        return [SchemaIssue(file, _json_path(e.absolute_path), _message(e)) for e in errors]


@functools.cache
def _ajv_draft4_validator() -> type[Validator]:
    """Draft-04 as Ajv with ajv-draft-04 evaluates it (see the module docstring)."""
    keywords = dict(Draft4Validator.VALIDATORS)
    for keyword in ("const", "contains", "propertyNames", "if"):
        keywords[keyword] = Draft7Validator.VALIDATORS[keyword]
    keywords["pattern"] = _ecma_pattern
    cls: type[Validator] = create(
        meta_schema=Draft4Validator.META_SCHEMA,
        validators=keywords,
        type_checker=Draft4Validator.TYPE_CHECKER,
        format_checker=_format_checker(),
        # the stubs say id_of returns str; at run time None (no id) is what jsonschema expects
        id_of=cast("Callable[[Any], str]", referencing.jsonschema.DRAFT4.id_of),
        applicable_validators=operator.methodcaller("items"),  # $ref does not hide siblings
    )
    return cls


class _UnsupportedPatternError(ValueError):
    pass


@functools.cache
def _compile_ecma(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 (JSON Schema) pattern for Python's re, or raise."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] in "pP":
                raise _UnsupportedPatternError("Unicode property escapes are not supported by re")
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class and char == "]":
            in_class = False
        elif not in_class and char == "[":
            in_class = True
        elif not in_class and char == "$":
            char = r"\Z"  # ECMA "$" without the m flag: end of input only
        out.append(char)
        i += 1
    try:
        return re.compile("".join(out))
    except re.error as exc:
        raise _UnsupportedPatternError(str(exc)) from exc


def _ecma_pattern(
    validator: Any, pattern: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not isinstance(instance, str) or not isinstance(pattern, str):
        return
    try:
        compiled = _compile_ecma(pattern)
    except _UnsupportedPatternError as exc:
        yield ValidationError(f"cannot check pattern {pattern!r} offline ({exc})")
        return
    if not compiled.search(instance):
        yield ValidationError(f"{_short(instance)} does not match {pattern!r}")


# "uri": an absolute URI (scheme required) made of RFC 3986 characters only. ajv-formats
# checks the same with one long regex that also parses the authority and IPv6 literals.
_URI = re.compile(
    r"[a-z][a-z0-9+.\-]*:(?:[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9a-f]{2})*",
    re.IGNORECASE | re.ASCII,
)
# From ajv-formats 3.0.1 ("email").
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z",
    re.IGNORECASE | re.ASCII,
)


@functools.cache
def _format_checker() -> FormatChecker:
    """The formats Microsoft's validator enables: uri, email, regex."""
    checker = FormatChecker(formats=())

    @checker.checks("uri")
    def _uri(instance: object) -> bool:
        return not isinstance(instance, str) or bool(_URI.fullmatch(instance))

    @checker.checks("email")
    def _email(instance: object) -> bool:
        return not isinstance(instance, str) or bool(_EMAIL.match(instance))

    @checker.checks("regex", raises=_UnsupportedPatternError)
    def _regex(instance: object) -> bool:
        return not isinstance(instance, str) or bool(_compile_ecma(instance))

    return checker


def _error_sort_key(error: ValidationError) -> tuple[str, str]:
    return (_json_path(error.absolute_path), error.message)


def _message(error: ValidationError) -> str:
    bound = "at most" if str(error.validator).startswith("max") else "at least"
    if error.validator in ("maxLength", "minLength") and isinstance(error.instance, str):
        return f"must be {bound} {error.validator_value} characters, is {len(error.instance)}"
    if error.validator in ("maxItems", "minItems") and isinstance(error.instance, list):
        return f"must have {bound} {error.validator_value} items, has {len(error.instance)}"
    return error.message if len(error.message) <= 300 else error.message[:297] + "..."


def _short(value: str, limit: int = 60) -> str:
    return repr(value) if len(value) <= limit else repr(value[:limit]) + "..."


def _json_path(parts: Sequence[str | int] | Iterator[str | int], root: str = "$") -> str:
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            path += f".{part}"
        else:
            path += "[" + json.dumps(part, ensure_ascii=False).replace('"', "'") + "]"
    return path


# --- files ------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8-sig") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ManifestError([SchemaIssue(path.name, "$", "must be a JSON object")])
    return data


def _dump_json(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_zip(target: Path, files: Mapping[str, bytes]) -> None:
    """Write the zip atomically, with fixed timestamps so builds are reproducible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".netpuls-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name, data in files.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m netpuls.manifest --app-id GUID --out DIR --schema-root DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m netpuls.manifest", description="Build the netpuls Teams app package."
    )
    parser.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    parser.add_argument("--out", type=Path, required=True, help="zip file or existing directory")
    parser.add_argument(
        "--schema-root",
        type=Path,
        default=Path("node_modules/@microsoft/app-manifest/build/json-schemas/teams"),
        help="the teams/ directory of the npm package @microsoft/app-manifest",
    )
    args = parser.parse_args(argv)
    try:
        target = build_manifest(args.app_id, DEFAULT_COMMANDS, args.out, args.schema_root)
    except (ValueError, ManifestError, FileNotFoundError) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
