"""YAML in, validated schema models out, with the line of every node kept for errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from services.network_file.errors import Loc, Locator, NetworkFileError, dotted
from services.network_file.schema import FileModel


def read_text(path: Path) -> str:
    """The file's text; an unreadable file raises NetworkFileError."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NetworkFileError(str(path), None, "-", f"cannot read the file: {exc}") from None


def load_models(text: str, *, name: str, today: dt.date) -> tuple[FileModel, Locator]:
    """Parse and validate the text; `today` anchors relative dates such as +21d."""
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NetworkFileError(
            name,
            mark.line + 1 if mark else None,
            "-",
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
        ) from None
    if node is None:
        raise NetworkFileError(name, 1, "-", "the file is empty")
    where = Locator(name, {})
    data = _construct(node, (), where)
    if data is None:  # a lone "---" or "~": a document with nothing in it
        raise NetworkFileError(name, 1, "-", "the file is empty")
    try:
        parsed = FileModel.model_validate(data, context={"today": today})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise where.fail(tuple(first["loc"]), first["msg"]) from None
    return parsed, where


def _construct(node: yaml.Node, path: Loc, where: Locator) -> Any:
    """Plain data from the YAML nodes (every scalar a string), noting each node's line."""
    where.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                raise NetworkFileError(
                    where.name,
                    key_node.start_mark.line + 1,
                    dotted((*path, key)),
                    "this key appears twice",
                )
            out[key] = _construct(value_node, (*path, key), where)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), where) for i, v in enumerate(node.value)]
    value = str(node.value)
    if isinstance(node, yaml.ScalarNode) and node.style is None and value in ("", "~", "null"):
        return None
    return value
