"""Errors a user can cause. Each carries a message id and parameters, translated at the edge."""

from __future__ import annotations

from collections.abc import Mapping


def N_(msgid: str) -> str:
    """Mark a message id for extraction; it is translated where it is shown."""
    return msgid


class DomainError(Exception):
    """A refusal with a user-safe, translatable message (gettext msgid + parameters)."""

    msgid: str = "That did not work."

    def __init__(self, msgid: str | None = None, **params: object) -> None:
        self.msgid = msgid or type(self).msgid
        self.params: Mapping[str, object] = params
        super().__init__(self.msgid.format(**params) if params else self.msgid)


class NotFound(DomainError):
    """Something the user named does not exist."""


class NotAllowed(DomainError):
    """The user lacks the role for this action."""


class NotLinked(DomainError):
    """The conversation is not linked to a network yet."""


class InvalidInput(DomainError):
    """The input is malformed or out of bounds."""
