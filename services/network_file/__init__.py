"""Network files: YAML in, a validated NetworkFile out, or one error naming file, line and field.

schema.py says what a file may contain, loader.py reads YAML into those models, and
conversion.py checks what spans fields and turns the models into the domain's NetworkFile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from domain.model import NetworkFile
from services.network_file.conversion import to_domain
from services.network_file.errors import NetworkFileError
from services.network_file.loader import load_models, read_text

__all__ = ["NetworkFileError", "load_network_file", "parse_network_file"]


def load_network_file(path: Path, *, today: dt.date) -> NetworkFile:
    """Read and validate a network file; `today` anchors relative dates such as +21d."""
    return parse_network_file(read_text(path), name=str(path), today=today)


def parse_network_file(text: str, *, name: str, today: dt.date) -> NetworkFile:
    """Validate a network file's text; any problem raises one NetworkFileError."""
    parsed, where = load_models(text, name=name, today=today)
    return to_domain(parsed, where)
