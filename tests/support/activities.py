"""Teams activities for tests, built from Microsoft's documented payloads (tests/contracts/teams).

Each factory loads the documented payload of its kind and puts the test's ids in the places
the payload has them (conversation, sender, bot, tenant, team, channel, service URL). A key
the page's payload lacks is not added: a channel message carries the team's id only, the
bot-added event no channel, as Teams sends them.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

from tests import contracts

TENANT = "00000000-0000-0000-0000-0000000000001"
BOT_ID = "28:00000000-0000-0000-0000-00000000000011"
BOT_NAME = "netpuls"
TEAM_ID = "19:team-general@thread.tacv2"  # the team, and its General channel (Teams: same id)
GROUP = "group-aad-1"  # the team's aadGroupId
_ids = itertools.count(1)


def personal(
    service_url: str,
    *,
    user_id: str = "29:user-1",
    aad: str | None = "aad-user-1",
    name: str = "Alex Example",
    tenant: str = TENANT,
) -> dict[str, Any]:
    """Where: a personal chat with the bot (in `tenant`)."""
    return {
        "kind": "personal",
        "tenant": tenant,
        "conversation": {"id": f"a:personal-{user_id}", "conversationType": "personal"},
        "user_id": user_id,
        "aad": aad,
        "name": name,
        "service_url": service_url,
    }


def channel(
    service_url: str,
    *,
    thread: str | None = None,
    user_id: str = "29:user-1",
    aad: str | None = "aad-user-1",
    name: str = "Alex Example",
    team_id: str = TEAM_ID,
    channel_id: str | None = None,
    group: str = GROUP,
    tenant: str = TENANT,
) -> dict[str, Any]:
    """Where: a channel of a team (its General channel unless `channel_id`), optionally a
    reply chain in it; the team is in `tenant`."""
    channel_id = channel_id or team_id
    cid = channel_id + (f";messageid={thread}" if thread else "")
    return {
        "kind": "channel",
        "tenant": tenant,
        "conversation": {"id": cid, "conversationType": "channel", "isGroup": True},
        "user_id": user_id,
        "aad": aad,
        "name": name,
        "service_url": service_url,
        "team_id": team_id,
        "channel_id": channel_id,
        "group": group,
    }


def _channel_data(documented: dict[str, Any], where: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(documented)
    if "tenant" in data:
        data["tenant"] = {"id": where.get("tenant", TENANT)}
    if where["kind"] != "channel":
        return data
    if "team" in data:
        data["team"]["id"] = where["team_id"]
        if "aadGroupId" in data["team"]:
            data["team"]["aadGroupId"] = where["group"]
    if "channel" in data:
        data["channel"]["id"] = where["channel_id"]
    if "settings" in data:
        data["settings"] = {"selectedChannel": {"id": where["channel_id"]}}
    if "teamsTeamId" in data:
        data["teamsTeamId"] = where["team_id"]
    if "teamsChannelId" in data:
        data["teamsChannelId"] = where["channel_id"]
    return data


def _activity(
    contract: str, where: dict[str, Any], *, conversation_id: str | None = None, locale: str
) -> dict[str, Any]:
    """The documented payload `contract` with the ids of `where`."""
    activity = contracts.load("teams", contract)
    sender: dict[str, Any] = {"id": where["user_id"], "name": where["name"]}
    if where["aad"] is not None:
        sender["aadObjectId"] = where["aad"]
    conversation = dict(activity["conversation"])
    conversation["id"] = conversation_id or where["conversation"]["id"]
    conversation.pop("name", None)
    if "tenantId" in conversation:
        conversation["tenantId"] = where.get("tenant", TENANT)
    activity.update(
        id=f"act-{next(_ids)}",
        serviceUrl=where["service_url"],
        locale=locale,
        recipient={"id": BOT_ID, "name": BOT_NAME},
        conversation=conversation,
        channelData=_channel_data(activity.get("channelData", {}), where),
    )
    activity["from"] = sender
    for entity in activity.get("entities", []):
        if entity.get("type") == "clientInfo":
            entity["locale"] = locale
    return activity


def _channel_itself(where: dict[str, Any]) -> str:
    """The channel's conversation id, without a reply chain."""
    return str(where["conversation"]["id"]).split(";messageid=", 1)[0]


def message(
    where: dict[str, Any], text: str, *, locale: str = "en-US", mention: bool = False
) -> dict[str, Any]:
    """A message activity; in a channel the bot is @mentioned as Teams does."""
    contract = "message-channel" if where["kind"] == "channel" else "message-personal"
    activity = _activity(contract, where, locale=locale)
    if where["kind"] == "channel" and ";messageid=" not in activity["conversation"]["id"]:
        # A new post starts its own reply chain: Teams names it by the post's id.
        activity["conversation"]["id"] += f";messageid={activity['id']}"
    entities = [e for e in activity.get("entities", []) if e.get("type") != "mention"]
    if mention:
        text = f"<at>{BOT_NAME}</at> {text}"
        entities.insert(
            0,
            {
                "type": "mention",
                "text": f"<at>{BOT_NAME}</at>",
                "mentioned": {"id": BOT_ID, "name": BOT_NAME},
            },
        )
    activity.update(text=text, entities=entities)
    return activity


def installed(where: dict[str, Any], *, locale: str = "en-US") -> dict[str, Any]:
    """installationUpdate add, as Teams sends when the app is added."""
    contract = f"installation-update-add-{'team' if where['kind'] == 'channel' else 'personal'}"
    return _activity(contract, where, conversation_id=_channel_itself(where), locale=locale)


def uninstalled(where: dict[str, Any]) -> dict[str, Any]:
    """installationUpdate remove."""
    kind = "team" if where["kind"] == "channel" else "personal"
    contract = f"installation-update-remove-{kind}"
    return _activity(contract, where, conversation_id=_channel_itself(where), locale="en-US")


def bot_added(where: dict[str, Any], *, locale: str = "en-US") -> dict[str, Any]:
    """conversationUpdate with the bot among membersAdded (sent alongside the install)."""
    kind = "team" if where["kind"] == "channel" else "personal"
    activity = _activity(
        f"conversation-update-bot-added-{kind}",
        where,
        conversation_id=_channel_itself(where),
        locale=locale,
    )
    users = [m for m in activity["membersAdded"] if not str(m["id"]).startswith("28:")]
    activity["membersAdded"] = [{"id": BOT_ID}] + [
        {"id": where["user_id"], "aadObjectId": where["aad"]} for _ in users
    ]
    return activity


def bot_removed(where: dict[str, Any]) -> dict[str, Any]:
    """conversationUpdate teamMemberRemoved naming the bot: it was removed from the team."""
    activity = _activity(
        "conversation-update-bot-removed-team",
        where,
        conversation_id=where["team_id"],
        locale="en-US",
    )
    activity["membersRemoved"] = [{"id": BOT_ID}]
    return activity


def team_renamed(where: dict[str, Any], name: str) -> dict[str, Any]:
    """conversationUpdate teamRenamed."""
    activity = _activity(
        "conversation-update-team-renamed", where, conversation_id=where["team_id"], locale="en-US"
    )
    activity["channelData"]["team"]["name"] = name
    return activity


def team_deleted(where: dict[str, Any]) -> dict[str, Any]:
    """conversationUpdate teamDeleted."""
    return _activity(
        "conversation-update-team-deleted", where, conversation_id=where["team_id"], locale="en-US"
    )


def card_invoke(where: dict[str, Any], verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """An adaptiveCard/action invoke (Action.Execute) on the card posted as 'card-1'."""
    activity = _activity("invoke-adaptive-card-action", where, locale="en-US")
    if where["kind"] != "channel":  # the documented invoke is a channel's; a chat has no team
        activity["channelData"] = {"tenant": {"id": where.get("tenant", TENANT)}}
        activity["conversation"] = dict(where["conversation"])
    activity["replyToId"] = "card-1"
    activity["value"]["action"].update(verb=verb, data=data)
    return activity


def card_submit(where: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """An Action.Submit fallback: a message with empty text and the data as its value."""
    activity = message(where, "")
    activity.update(text="", value=data, replyToId="card-1")
    return activity


def team_details(
    team_id: str = TEAM_ID, group: str = GROUP, name: str = "Network"
) -> dict[str, Any]:
    """The Connector's documented answer to GET /v3/teams/{teamId}."""
    return contracts.load(
        "teams", "connector-team-details", id=team_id, aadGroupId=group, name=name
    )
