"""Factories for realistic Teams activities, as the Teams service posts them."""

from __future__ import annotations

import itertools
from typing import Any

TENANT = "00000000-0000-0000-0000-0000000000001"
BOT_ID = "28:00000000-0000-0000-0000-00000000000011"
TEAM_ID = "19:team-general@thread.tacv2"
_ids = itertools.count(1)


def _base(
    service_url: str,
    conversation: dict[str, Any],
    *,
    user_id: str,
    aad: str | None,
    locale: str,
    name: str,
) -> dict[str, Any]:
    return {
        "id": f"act-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "timestamp": "2026-11-23T10:00:00.000Z",
        "locale": locale,
        "from": {"id": user_id, "name": name, "aadObjectId": aad},
        "recipient": {"id": BOT_ID, "name": "netpuls"},
        "conversation": conversation,
    }


def personal(
    service_url: str,
    *,
    user_id: str = "29:user-1",
    aad: str | None = "aad-user-1",
    name: str = "Alex Example",
) -> dict[str, Any]:
    """The conversation part of a personal chat."""
    return {
        "conversation": {
            "id": f"a:personal-{user_id}",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "user_id": user_id,
        "aad": aad,
        "name": name,
        "service_url": service_url,
        "channel_data": {"tenant": {"id": TENANT}},
    }


def channel(
    service_url: str,
    *,
    thread: str | None = None,
    user_id: str = "29:user-1",
    aad: str | None = "aad-user-1",
    name: str = "Alex Example",
) -> dict[str, Any]:
    """The conversation part of a team channel (optionally a thread in it)."""
    cid = TEAM_ID + (f";messageid={thread}" if thread else "")
    return {
        "conversation": {
            "id": cid,
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TENANT,
        },
        "user_id": user_id,
        "aad": aad,
        "name": name,
        "service_url": service_url,
        "channel_data": {
            "tenant": {"id": TENANT},
            "team": {"id": TEAM_ID, "name": "Network", "aadGroupId": "group-aad-1"},
            "channel": {"id": TEAM_ID, "name": "General"},
            "teamsTeamId": TEAM_ID,
            "teamsChannelId": TEAM_ID,
        },
    }


def message(
    where: dict[str, Any], text: str, *, locale: str = "en-US", mention: bool = False
) -> dict[str, Any]:
    """A message activity; in a channel the bot is @mentioned as Teams does."""
    activity = _base(
        where["service_url"],
        where["conversation"],
        user_id=where["user_id"],
        aad=where["aad"],
        locale=locale,
        name=where["name"],
    )
    if mention:
        text = f"<at>netpuls</at> {text}"
        activity["entities"] = [
            {
                "type": "mention",
                "text": "<at>netpuls</at>",
                "mentioned": {"id": BOT_ID, "name": "netpuls"},
            }
        ]
    activity.update(
        type="message", text=text, textFormat="plain", channelData=where["channel_data"]
    )
    return activity


def installed(where: dict[str, Any], *, locale: str = "en-US") -> dict[str, Any]:
    """installationUpdate add, as Teams sends when the app is added."""
    activity = _base(
        where["service_url"],
        where["conversation"],
        user_id=where["user_id"],
        aad=where["aad"],
        locale=locale,
        name=where["name"],
    )
    activity.update(type="installationUpdate", action="add", channelData=where["channel_data"])
    return activity


def bot_added(where: dict[str, Any], *, locale: str = "en-US") -> dict[str, Any]:
    """conversationUpdate with the bot among membersAdded (sent alongside the install)."""
    activity = _base(
        where["service_url"],
        where["conversation"],
        user_id=where["user_id"],
        aad=where["aad"],
        locale=locale,
        name=where["name"],
    )
    data = dict(where["channel_data"], eventType="teamMemberAdded")
    activity.update(type="conversationUpdate", membersAdded=[{"id": BOT_ID}], channelData=data)
    return activity


def uninstalled(where: dict[str, Any]) -> dict[str, Any]:
    """installationUpdate remove."""
    activity = installed(where)
    activity["action"] = "remove"
    return activity


def card_invoke(where: dict[str, Any], verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """An adaptiveCard/action invoke (Action.Execute) on the card posted as 'card-1'."""
    activity = message(where, "")
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        text=None,
        replyToId="card-1",
        value={
            "action": {"type": "Action.Execute", "verb": verb, "data": data},
            "trigger": "manual",
        },
    )
    return activity


def card_submit(where: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """An Action.Submit fallback: a message with empty text and the data as its value."""
    activity = message(where, "")
    activity.update(text="", value=data, replyToId="card-1")
    return activity
