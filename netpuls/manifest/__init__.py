"""The Teams app package: manifest.json, icons and localization files, validated and zipped.

The template lives in the repository's ``manifest/`` directory. ``build_manifest`` fills in
the bot's app id, its publisher and its command lists (template.py), validates every JSON
file with Microsoft's own npm package ``@microsoft/app-manifest`` against the schemas it
ships (schema.py, through node), checks what the schemas cannot (checks.py: icons, placeholders,
duplicate commands) and writes a reproducible zip (package.py).
"""

from __future__ import annotations

from netpuls.manifest.checks import ManifestError, SchemaIssue
from netpuls.manifest.package import build_manifest, validate_package
from netpuls.manifest.schema import ValidatorUnavailableError
from netpuls.manifest.template import (
    DEFAULT_COMMANDS,
    DEFAULT_TEMPLATE_DIR,
    PLACEHOLDER_APP_ID,
    CommandInfo,
    Publisher,
)

__all__ = [
    "DEFAULT_COMMANDS",
    "DEFAULT_TEMPLATE_DIR",
    "PLACEHOLDER_APP_ID",
    "CommandInfo",
    "ManifestError",
    "Publisher",
    "SchemaIssue",
    "ValidatorUnavailableError",
    "build_manifest",
    "validate_package",
]
