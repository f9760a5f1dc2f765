"""Microsoft's documented payloads, one JSON file each, naming the page it follows.

A contract file is a JSON object:

    {
      "doc": "https://learn.microsoft.com/...",   the page the payload follows (required)
      "title": "...",                             what the payload is (required)
      "playground": "...",                        how the Agents Playground differs (or null)
      "payload": {...}                            the payload, as the page shows it (required)
    }

Values the page leaves as placeholders ("<tenant id>") are replaced by the example ids of
tests/support/activities.py, so that a test can run the payload against the app; nothing
else is changed. `load` returns a fresh copy that a test may adjust (the service URL of its
fake Connector, say).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@cache
def _read(area: str, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((HERE / area / f"{name}.json").read_text("utf-8"))
    return document


def load(area: str, name: str, **top: Any) -> dict[str, Any]:
    """A copy of the documented payload, with top-level fields replaced by `top`."""
    payload: dict[str, Any] = copy.deepcopy(_read(area, name)["payload"])
    payload.update(top)
    return payload


def page(area: str, name: str) -> str:
    """The documentation page the payload follows."""
    return str(_read(area, name)["doc"])


def names(area: str) -> list[str]:
    """Every contract of an area, by file name."""
    return sorted(p.stem for p in (HERE / area).glob("*.json"))
