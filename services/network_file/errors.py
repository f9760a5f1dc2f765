"""The one error a network file can raise, and how a field's path becomes a line number."""

from __future__ import annotations

from dataclasses import dataclass

Loc = tuple[str | int, ...]  # a field's path in the file: ("meetings", 0, "date")


@dataclass  # neither frozen nor slotted: Python sets an exception's __traceback__
class NetworkFileError(Exception):
    """A network file that cannot be imported: where, and why."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Locator:
    """The file's name and the line of every node, to name where a problem lies."""

    name: str
    lines: dict[Loc, int]

    def fail(self, loc: Loc, message: str) -> NetworkFileError:
        """The error for the field at `loc`, on the nearest line the file has for it."""
        return NetworkFileError(self.name, self.line_for(loc), dotted(loc), message)

    def line_for(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest enclosing node."""
        for cut in range(len(loc), -1, -1):
            if loc[:cut] in self.lines:
                return self.lines[loc[:cut]]
        return None


def dotted(loc: Loc) -> str:
    """A field path as the file's author writes it: meetings[0].date."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"
