"""Who may read a network in the tab: members from the network's tenants, nobody else."""

from __future__ import annotations

from typing import Any

import pytest

from domain.errors import NotAllowed
from domain.model import ConversationKind, ConversationRef, RoleKind
from tab.access import my_networks, open_network
from tab.signin import TabReader
from tests.support.tab import NETWORKS, seed

TENANT = "11111111-1111-1111-1111-111111111111"
OTHER = "22222222-2222-2222-2222-222222222222"
CHANNEL = "19:general@thread.tacv2"


@pytest.fixture
async def bound(uow_factory: Any) -> Any:
    """The demo network, its channel linked in TENANT."""
    await seed(uow_factory, "demo")
    async with uow_factory() as work:
        ref = ConversationRef(
            CHANNEL, ConversationKind.CHANNEL, "https://smba.example.org", "msteams", TENANT
        )
        await work.conversations.save(ref)
        await work.conversations.link(CHANNEL, "demo")
        await work.commit()
    return uow_factory


async def test_a_member_from_the_networks_tenant_reads_it_with_their_roles(bound: Any) -> None:
    async with bound() as work:
        access = await open_network(work, TabReader(TENANT, None, NETWORKS["demo"][1]), "demo")
    assert access.organiser and RoleKind.FACILITATOR in access.roles


async def test_the_same_member_from_another_tenant_sees_nothing(bound: Any) -> None:
    reader = TabReader(OTHER, None, NETWORKS["demo"][1])
    async with bound() as work:
        with pytest.raises(NotAllowed) as refused:
            await open_network(work, reader, "demo")
        assert await my_networks(work, reader) == []
    assert refused.value.msgid == "This network's tab is only for its members."


async def test_an_unknown_network_is_refused_like_a_strangers(bound: Any) -> None:
    async with bound() as work:
        for slug, email in (("nope", NETWORKS["demo"][1]), ("demo", "someone@example.org")):
            with pytest.raises(NotAllowed) as refused:
                await open_network(work, TabReader(None, None, email), slug)
            assert refused.value.msgid == "This network's tab is only for its members."


async def test_only_organisers_and_the_hosts_contacts_see_diets(bound: Any) -> None:
    async with bound() as work:
        meetings = await work.networks.meetings("demo")
        first = next(m for m in sorted(meetings, key=lambda m: m.day) if m.host == "odense")
        host = await open_network(work, TabReader(None, None, "planner.odense@example.org"), "demo")
        other = await open_network(work, TabReader(None, None, NETWORKS["demo"][2]), "demo")
    assert first.host == "odense"
    assert host.sees_diets(first) and not other.sees_diets(first)
