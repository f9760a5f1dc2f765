"""The fields of an inbound activity the bot uses, validated before any turn runs.

botbuilder's `Activity.deserialize` accepts any shape (a string where Teams sends an object,
None where it sends an account); the bot then fails deep in a turn, after it stored part of
the activity. These pydantic models state what Teams sends for the fields the bot reads (the
Bot Framework activity schema and Teams' channelData), with lengths the database holds, so a
malformed activity is refused with a 400 and changes nothing.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

# Invoke names the bot answers; botbuilder answers any other with 501 Not Implemented.
HANDLED_INVOKES = ("adaptiveCard/action",)
# Fields holding what people typed or clicked: their features clean them or refuse with a message.
TYPED = ("text", "value")


def _printable(value: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError("control characters")
    return value


def _service_url(value: str) -> str:
    _printable(value)
    parts = urlsplit(value)  # raises ValueError on an unclosed IPv6 bracket
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL with a host")
    _ = parts.port  # raises ValueError on a port that is not a number or out of range
    if parts.netloc.endswith(":"):  # an empty port, which urlsplit lets through
        raise ValueError("an empty port")
    if parts.username is not None or parts.password is not None:
        raise ValueError("credentials in the URL")
    return value


Id400 = Annotated[str, StringConstraints(min_length=1, max_length=400), AfterValidator(_printable)]
Id200 = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_printable)]
Id64 = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_printable)]
Name = Annotated[str, StringConstraints(max_length=400)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


class Account(_Model):
    """A ChannelAccount: the sender or the bot."""

    id: Id200
    name: Name | None = None
    aad_object_id: Id64 | None = Field(default=None, alias="aadObjectId")


class Conversation(_Model):
    """A ConversationAccount."""

    id: Id400
    conversation_type: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, alias="conversationType"
    )
    tenant_id: Id64 | None = Field(default=None, alias="tenantId")
    is_group: bool | None = Field(default=None, alias="isGroup")


class Tenant(_Model):
    """channelData.tenant."""

    id: Id64


class Team(_Model):
    """channelData.team."""

    id: Id400
    name: Name | None = None
    aad_group_id: Id64 | None = Field(default=None, alias="aadGroupId")


class Channel(_Model):
    """channelData.channel."""

    id: Id400
    name: Name | None = None


class ChannelData(_Model):
    """Teams' channelData: the parts the bot reads."""

    tenant: Tenant | None = None
    team: Team | None = None
    channel: Channel | None = None


class Inbound(_Model):
    """The activity's fields the bot reads."""

    type: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    id: Id200 | None = None
    name: Annotated[str, StringConstraints(max_length=200)] | None = None
    service_url: Annotated[str, StringConstraints(max_length=400), AfterValidator(_service_url)] = (
        Field(alias="serviceUrl")
    )
    channel_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        alias="channelId"
    )
    sender: Account = Field(alias="from")
    recipient: Account
    conversation: Conversation
    channel_data: ChannelData | None = Field(default=None, alias="channelData")
    locale: Annotated[str, StringConstraints(max_length=20)] | None = None
    reply_to_id: Id200 | None = Field(default=None, alias="replyToId")


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refusal(body: dict[str, object]) -> str | None:
    """Why the activity in `body` is refused, or None when its fields are as Teams sends them."""
    # No Teams field carries NUL and PostgreSQL cannot store it in text. What people typed
    # (text) and card data (value) are cleaned or refused with a message by their features.
    if _has_nul({key: value for key, value in body.items() if key not in TYPED}):
        return "the activity contains a NUL character"
    try:
        inbound = Inbound.model_validate(body)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
        return "the activity has malformed fields: " + ", ".join(fields)[:300]
    if inbound.type == "invoke" and inbound.name not in HANDLED_INVOKES:
        return "the bot handles no invoke of that name"
    return None
