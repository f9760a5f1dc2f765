"""Build the Teams app package: fill the template, validate every file, write the zip."""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from netpuls.manifest.checks import (
    ICON_SIZES,
    ManifestError,
    SchemaIssue,
    duplicate_command_issues,
    icon_issues,
    placeholder_issues,
    schema_url_issues,
)
from netpuls.manifest.schema import LOCALIZATION_SCHEMA_FILE, MANIFEST_SCHEMA_FILE, schema_issues
from netpuls.manifest.template import (
    DEFAULT_TEMPLATE_DIR,
    PLACEHOLDER_APP_ID,
    PLACEHOLDER_SSO_APP_ID,
    PLACEHOLDER_SSO_RESOURCE,
    CommandInfo,
    Publisher,
    fill_placeholders,
    localization_files,
    with_commands,
    with_tabs,
)

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives a byte-identical zip


def build_manifest(
    app_id: str,
    commands: Sequence[CommandInfo],
    out: Path,
    *,
    publisher: Publisher,
    template_dir: Path = DEFAULT_TEMPLATE_DIR,
    schema_root: Path | None = None,
    sso: tuple[str, str] | None = None,
    tab_base_url: str = "",
) -> Path:
    """Fill, validate and zip the Teams app package; return the zip's path.

    ``publisher`` names who publishes the app (manifest.json's developer section): each
    deployment's own, never a placeholder in the repository.

    ``sso`` is webApplicationInfo's app id and resource (the application ID URI) for the
    tab's Teams SSO; by default the bot's app id and ``api://botid-<app id>``.

    ``schema_root`` replaces the schemas that @microsoft/app-manifest ships (a directory
    holding ``v1.NN/``); by default the package's own are used.

    ``tab_base_url`` is where Teams opens the channel and personal tabs (the bot's public
    https address); without it the package has the bot only.
    """
    if not isinstance(app_id, str) or not _GUID.fullmatch(app_id):
        raise ValueError(
            f"app_id must be a GUID like 00000000-0000-0000-0000-000000000000 "
            f"(the bot's Microsoft App ID), got {app_id!r}"
        )
    sso_app_id, sso_resource = sso or (app_id, f"api://botid-{app_id}")
    if not _GUID.fullmatch(sso_app_id):
        raise ValueError(f"the tab's app id must be a GUID, got {sso_app_id!r}")
    template = _read_json(template_dir / "manifest.json")
    manifest = fill_placeholders(
        template,
        {
            PLACEHOLDER_APP_ID: app_id,
            PLACEHOLDER_SSO_APP_ID: sso_app_id,
            PLACEHOLDER_SSO_RESOURCE: sso_resource,
            **publisher.placeholders(),
        },
    )
    manifest = with_tabs(manifest, tab_base_url)
    languages = {file: _read_json(template_dir / file) for file in localization_files(manifest)}
    manifest, languages = with_commands(manifest, languages, commands)

    icons = {
        file: (template_dir / file).read_bytes()
        for key in ICON_SIZES
        if isinstance(file := manifest.get("icons", {}).get(key), str)
    }
    validate_package(manifest, languages, icons, schema_root=schema_root)

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
    *,
    schema_root: Path | None = None,
) -> None:
    """Check manifest, localization files and icons; raise ManifestError listing every problem."""
    version = manifest.get("manifestVersion")
    if not isinstance(version, str) or not re.fullmatch(r"[0-9]+\.[0-9]+", version):
        raise ManifestError(
            [SchemaIssue("manifest.json", "$.manifestVersion", f"not a version: {version!r}")]
        )
    documents = {"manifest.json": (MANIFEST_SCHEMA_FILE, manifest)}
    documents.update({name: (LOCALIZATION_SCHEMA_FILE, doc) for name, doc in localizations.items()})
    by_file: dict[str, list[SchemaIssue]] = {}
    for issue in schema_issues(version, documents, schema_root):
        by_file.setdefault(issue.file, []).append(issue)

    issues = [*placeholder_issues("manifest.json", manifest)]
    issues += schema_url_issues("manifest.json", manifest, version)
    issues += by_file.pop("manifest.json", [])

    expected = localization_files(manifest)
    for name in sorted(set(expected) - set(localizations)):
        issues.append(SchemaIssue(name, "$", "listed in localizationInfo but not provided"))
    for name, doc in localizations.items():
        if name not in expected:
            issues.append(SchemaIssue(name, "$", "not listed in localizationInfo"))
        issues += placeholder_issues(name, doc)
        issues += schema_url_issues(name, doc, version)
        issues += by_file.pop(name, [])

    issues += duplicate_command_issues(manifest)
    issues += icon_issues(manifest, icons)
    if issues:
        raise ManifestError(issues)


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
