"""The tenant boundary over HTTP: a network and a person's Teams ids belong to tenants.

A network is bound to the tenants its channels were linked in (and those its file allows);
a person to the tenant they were first identified in. An activity from another tenant is
refused and changes nothing, whatever e-mail the other tenant's roster gives its sender.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support import activities as act
from tests.support.bot_app import BotStarter
from tests.support.http import link_channel, post_activity
from tests.support.networks import small_network_with_colleague

SLUG = "kompakte-groenne-byer"
KEY = f"{SLUG}:1"
OTHER = "9f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"  # another organisation's tenant
MEMBER = "planner.odense@example.org"
PEOPLE = {
    "29:fac": "facilitator@example.org",
    "29:odense": MEMBER,
    "29:odense-new": MEMBER,  # the same member with a new account in the same tenant
    "29:guest": "colleague.odense@example.org",  # a guest in the network's own team
    "29:intruder": MEMBER,  # another tenant's user whose roster e-mail is the member's
    "29:partner": "colleague.odense@example.org",  # the colleague, in an allowed tenant
}

post = post_activity


def personal(url: str, user: str, tenant: str = act.TENANT) -> dict[str, Any]:
    return act.personal(url, user_id=user, aad=f"aad-{user[3:]}", name=PEOPLE[user], tenant=tenant)


def rsvp(where: dict[str, Any], answer: str) -> dict[str, Any]:
    return act.card_invoke(where, "rsvp", {"meeting": KEY, "answer": answer})


async def started(start_bot: BotStarter, url: str, **network: Any) -> TestClient[Any, Any]:
    declared = small_network_with_colleague()
    if network:
        declared = dataclasses.replace(
            declared, network=dataclasses.replace(declared.network, **network)
        )
    bot = await start_bot(PEOPLE, network=declared)
    channel = act.channel(url, user_id="29:fac", aad="aad-fac", name=PEOPLE["29:fac"])
    await link_channel(bot, channel)
    return bot


async def stored_member(uow_factory: Any, email: str = MEMBER) -> Any:
    async with uow_factory() as uow:
        return await uow.people.find(email=email)


async def answers(uow_factory: Any) -> list[str]:
    async with uow_factory() as uow:
        return [a.answer.value for a in await uow.rsvps.for_meeting(SLUG, 1)]


async def test_another_tenants_user_with_a_members_email_neither_answers_nor_takes_the_ids(
    start_bot: BotStarter, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    bot = await started(start_bot, url)
    _, body = await post(bot, rsvp(personal(url, "29:odense"), "attending"))
    assert body["value"]["body"][0]["text"] == "Thank you: you are attending."

    status, body = await post(bot, rsvp(personal(url, "29:intruder", OTHER), "not_attending"))

    assert status == 200 and body["type"] == "application/vnd.microsoft.error"
    assert await answers(uow_factory) == ["attending"]
    member = await stored_member(uow_factory)
    assert (member.teams_user_id, member.aad_object_id) == ("29:odense", "aad-odense")
    assert member.tenant_id == act.TENANT


async def test_another_tenants_user_is_refused_the_networks_reads_in_their_language(
    start_bot: BotStarter, connector: Any, uow_factory: Any
) -> None:
    fake, url = connector
    bot = await started(start_bot, url)
    await post(bot, act.message(personal(url, "29:intruder", OTHER), "next", locale="da-DK"))
    reply = fake.texts()[-1]
    assert "Kompakte, grønne byer" in reply and "en anden organisations Teams" in reply
    assert "Netværksmøde" not in reply
    member = await stored_member(uow_factory)
    assert member.teams_user_id is None and member.tenant_id is None  # nothing bound


async def test_a_first_identification_in_the_networks_tenant_binds_the_person_there(
    start_bot: BotStarter, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    bot = await started(start_bot, url)
    _, body = await post(bot, rsvp(personal(url, "29:odense"), "maybe"))
    assert body["value"]["body"][0]["text"] == "Thank you: you might attend."
    member = await stored_member(uow_factory)
    assert (member.teams_user_id, member.tenant_id) == ("29:odense", act.TENANT)


async def test_a_new_account_inside_the_tenant_is_rebound_and_audited(
    start_bot: BotStarter, connector: Any, uow_factory: Any
) -> None:
    _, url = connector
    bot = await started(start_bot, url)
    await post(bot, rsvp(personal(url, "29:odense"), "attending"))
    _, body = await post(bot, rsvp(personal(url, "29:odense-new"), "not_attending"))
    assert body["value"]["body"][0]["text"] == "Thank you: you are not attending."
    assert await answers(uow_factory) == ["not_attending"]
    member = await stored_member(uow_factory)
    assert member.teams_user_id == "29:odense-new"
    async with uow_factory() as uow:
        entries = await uow.audit.entries(SLUG)
    rebound = [(e.action, e.subject) for e in entries if e.action == "teams_ids_rebound"]
    assert rebound == [("teams_ids_rebound", MEMBER)]  # the link is in the log too


async def test_a_guest_in_the_networks_own_team_answers_with_the_host_tenant(
    start_bot: BotStarter, connector: Any, uow_factory: Any
) -> None:
    # Teams names the conversation's tenant in a guest's activities: the host's.
    _, url = connector
    bot = await started(start_bot, url)
    guest = act.channel(url, user_id="29:guest", aad="aad-guest", name=PEOPLE["29:guest"])
    _, body = await post(bot, rsvp(guest, "attending"))
    assert body["value"]["body"][0]["text"] == "Thank you: you are attending."
    colleague = await stored_member(uow_factory, "colleague.odense@example.org")
    assert (colleague.teams_user_id, colleague.tenant_id) == ("29:guest", act.TENANT)


@pytest.mark.parametrize(("allowed", "accepted"), [((OTHER,), True), ((), False)])
async def test_a_tenant_the_network_file_allows_may_take_part(
    start_bot: BotStarter,
    connector: Any,
    uow_factory: Any,
    allowed: tuple[str, ...],
    accepted: bool,
) -> None:
    _, url = connector
    bot = await started(start_bot, url, tenants=allowed)
    _, body = await post(bot, rsvp(personal(url, "29:partner", OTHER), "attending"))
    colleague = await stored_member(uow_factory, "colleague.odense@example.org")
    if accepted:
        assert body["value"]["body"][0]["text"] == "Thank you: you are attending."
        assert (colleague.teams_user_id, colleague.tenant_id) == ("29:partner", OTHER)
        assert await answers(uow_factory) == ["attending"]
    else:
        assert body["type"] == "application/vnd.microsoft.error"
        assert colleague.teams_user_id is None and colleague.tenant_id is None
        assert await answers(uow_factory) == []
