"""Schema validation by Microsoft's npm package @microsoft/app-manifest, run through node.

scripts/validate_manifest.cjs hands every document, with the schema file the package ships
for its manifestVersion, to the package's validator (Ajv, as Microsoft's tools use it) and
answers with the errors as JSON. Nothing is downloaded: the schemas are read from disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from netpuls.manifest.checks import SchemaIssue, json_path

MANIFEST_SCHEMA_FILE = "MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_FILE = "MicrosoftTeams.Localization.schema.json"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "validate_manifest.cjs"
_TIMEOUT_S = 120  # node's start and Ajv's compile of the large schema take a second or two


class ValidatorUnavailableError(RuntimeError):
    """The manifest cannot be validated here: node or the npm package is missing."""


def schema_issues(
    version: str,
    documents: Mapping[str, tuple[str, Mapping[str, Any]]],
    schema_root: Path | None = None,
) -> list[SchemaIssue]:
    """Validate each ``file -> (schema file, document)``; list every problem found.

    ``schema_root`` holds one ``v1.NN`` directory per version; by default, the schemas the
    npm package ships.
    """
    node = shutil.which("node")
    if node is None:
        raise ValidatorUnavailableError(
            "node (Node.js 20 or newer) is needed to validate the Teams manifest with "
            "Microsoft's @microsoft/app-manifest; install it, then run `npm ci`"
        )
    request = {
        "version": version,
        "schemaRoot": str(schema_root) if schema_root else None,
        "documents": [
            {"file": file, "schema": schema, "document": document}
            for file, (schema, document) in documents.items()
        ],
    }
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
        check=False,
        cwd=SCRIPT.parent,
    )
    if result.returncode != 0:
        raise ValidatorUnavailableError(result.stderr.strip() or f"{SCRIPT.name} failed")
    answer = json.loads(result.stdout)
    issues = [
        SchemaIssue(i["file"], json_path(_pointer_parts(i["pointer"])), i["message"])
        for i in answer["issues"]
    ]
    order = list(documents)
    return sorted(issues, key=lambda i: (order.index(i.file), i.path, i.message))


def _pointer_parts(pointer: str) -> Sequence[str | int]:
    """A JSON pointer (/bots/0/title) as path parts; digits name an array index."""
    if not pointer:
        return []
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return [int(p) if p.isdigit() else p for p in parts]
