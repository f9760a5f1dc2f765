"""The tab's pages over HTTP: members see their network, organisers see more, strangers nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient

from domain.model import ConversationKind, ConversationRef
from tests.support.bot_app import BotStarter
from tests.support.tab import (
    FAILED_ERROR,
    KEY_POINTS,
    NETWORKS,
    SHARED_TITLE,
    example,
    seed,
    sign_in,
)


@pytest.fixture
async def tab(start_bot: BotStarter, uow_factory: Any) -> TestClient[Any, Any]:
    for slug in NETWORKS:
        await seed(uow_factory, slug)
    return await start_bot({})


async def page(client: TestClient[Any, Any], path: str) -> tuple[int, str]:
    response = await client.get(path)
    return response.status, await response.text()


@pytest.mark.parametrize("slug", list(NETWORKS))
async def test_a_facilitator_sees_the_answers_with_diets_and_the_organisers_page(
    tab: TestClient[Any, Any], slug: str
) -> None:
    facilitator = NETWORKS[slug][1]
    assert await sign_in(tab, slug, facilitator) == f"/tab/network/{slug}"
    status, year = await page(tab, f"/tab/network/{slug}?lang=en")
    assert status == 200
    assert "What netpuls does and when" in year and f"/tab/network/{slug}/organisers" in year
    status, meeting = await page(tab, f"/tab/network/{slug}/meeting/1?lang=en")
    assert status == 200
    assert "Answers per municipality" in meeting and "vegetarian" in meeting
    status, organisers = await page(tab, f"/tab/network/{slug}/organisers?lang=en")
    assert status == 200
    assert 'id="engagement"' in organisers and "Audit log" in organisers
    assert FAILED_ERROR in organisers  # the failed delivery, with its error


@pytest.mark.parametrize("slug", list(NETWORKS))
async def test_a_participant_sees_the_answers_without_diets_and_no_engagement(
    tab: TestClient[Any, Any], slug: str
) -> None:
    await sign_in(tab, slug, NETWORKS[slug][2])
    status, meeting = await page(tab, f"/tab/network/{slug}/meeting/1?lang=en")
    assert status == 200
    assert "Answers per municipality" in meeting
    assert "vegetarian" not in meeting and "Dietary needs" not in meeting
    status, year = await page(tab, f"/tab/network/{slug}")
    assert status == 200 and "/organisers" not in year
    status, organisers = await page(tab, f"/tab/network/{slug}/organisers?lang=en")
    assert status == 403
    assert "Only the facilitator or the secretariat can see the network&#39;s engagement." in (
        organisers
    )


async def test_the_facilitator_reads_who_has_not_answered_and_what_was_shared(
    tab: TestClient[Any, Any],
) -> None:
    await sign_in(tab, "kompakte-groenne-byer", NETWORKS["kompakte-groenne-byer"][1])
    _, meeting = await page(tab, "/tab/network/kompakte-groenne-byer/meeting/1?lang=en")
    unanswered = meeting.split('id="unanswered"')[1].split("</p>")[0]
    assert "Københavns Kommune" not in unanswered
    assert "Odense Kommune" in unanswered
    assert SHARED_TITLE in meeting


async def test_a_stranger_and_another_network_get_a_localized_refusal(
    tab: TestClient[Any, Any],
) -> None:
    await sign_in(tab, None, NETWORKS["skl-medborgardialog"][2])
    status, text = await page(tab, "/tab/network/kompakte-groenne-byer?lang=sv")
    assert status == 403
    assert "Kompakte" not in text
    status, text = await page(tab, "/tab/network/no-such-network/meeting/1?lang=da")
    assert status == 403


async def test_only_microsoft_365_hosts_may_frame_the_pages(tab: TestClient[Any, Any]) -> None:
    await sign_in(tab, "demo", NETWORKS["demo"][2])
    response = await tab.get("/tab/network/demo")
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("frame-ancestors 'self' https://teams.microsoft.com ")
    assert "https://*.cloud.microsoft" in policy
    assert response.headers["Cache-Control"] == "no-store"


async def test_without_a_session_nothing_is_shown(tab: TestClient[Any, Any]) -> None:
    status, text = await page(tab, "/tab/network/demo")
    assert status == 401
    assert "Demo" not in text


async def test_a_forged_link_signs_nobody_in(tab: TestClient[Any, Any]) -> None:
    response = await tab.get(
        "/tab/open?network=demo&email=demo.facilitator@example.org&exp=9999999999&sig=00",
        allow_redirects=False,
    )
    assert response.status == 403
    status, _ = await page(tab, "/tab/network/demo")
    assert status == 401


async def test_the_personal_tab_lists_the_readers_networks(tab: TestClient[Any, Any]) -> None:
    assert await sign_in(tab, None, NETWORKS["skl-medborgardialog"][2]) == "/tab/personal"
    status, text = await page(tab, "/tab/personal")
    assert status == 200
    assert "/tab/network/skl-medborgardialog" in text and "/tab/network/demo" not in text
    assert "Mina nätverk" in text  # the person's language (or the network's)


async def test_the_library_finds_shared_material_by_word_and_meeting(
    tab: TestClient[Any, Any],
) -> None:
    await sign_in(tab, "demo", NETWORKS["demo"][2])
    _, found = await page(tab, "/tab/network/demo/library?q=grønne&meeting=1")
    assert SHARED_TITLE in found
    assert KEY_POINTS in found  # the posted summary of that meeting
    _, missed = await page(tab, "/tab/network/demo/library?q=budget")
    assert SHARED_TITLE not in missed


async def test_the_settings_page_preselects_the_network_linked_to_the_channel(
    tab: TestClient[Any, Any], uow_factory: Any
) -> None:
    channel = "19:planning@thread.tacv2"
    async with uow_factory() as work:
        ref = ConversationRef(channel, ConversationKind.CHANNEL, "https://x.example.org", "msteams")
        await work.conversations.save(ref)
        await work.conversations.link(channel, "kompakte-groenne-byer")
        await work.commit()
    await sign_in(tab, None, NETWORKS["demo"][1])
    status, text = await page(tab, f"/tab/configure?channel={channel};messageid=7&lang=en")
    assert status == 200
    assert '<option value="kompakte-groenne-byer" selected>' in text
    assert '<option value="demo" >' in text


async def test_someone_in_no_network_is_not_signed_in_and_sees_no_settings_page(
    tab: TestClient[Any, Any],
) -> None:
    with pytest.raises(AssertionError, match="not valid"):
        await sign_in(tab, None, "someone@example.org")
    status, _ = await page(tab, "/tab/configure?lang=en")
    assert status == 401


async def test_the_year_shows_skipped_steps_with_their_reason_and_a_paused_cadence(
    tab: TestClient[Any, Any], uow_factory: Any
) -> None:
    await sign_in(tab, "demo", NETWORKS["demo"][2])
    async with uow_factory() as work:
        network = await work.networks.get("demo")
        assert network is not None
        start = datetime.combine(network.starts_on, time(0), network.zone) - timedelta(days=92)
        first, *_ = await work.cadence.upcoming("demo", start, start + timedelta(days=800))
        await work.cadence.finish(first.key, "skipped", "no host was named", first.due)
        await work.commit()
    _, year = await page(tab, "/tab/network/demo?lang=en")
    assert "no host was named" in year and "The cadence is paused." not in year
    async with uow_factory() as work:
        await work.cadence.set_paused("demo", True)
        await work.commit()
    _, year = await page(tab, "/tab/network/demo?lang=en")
    assert "The cadence is paused." in year
    assert "Next action" not in year  # nothing runs while paused


async def test_the_library_filters_by_theme(tab: TestClient[Any, Any]) -> None:
    await sign_in(tab, "demo", NETWORKS["demo"][2])
    first, second = example("demo").network.themes[:2]
    _, kept = await page(tab, f"/tab/network/demo/library?{urlencode({'theme_filter': first})}")
    _, left = await page(tab, f"/tab/network/demo/library?{urlencode({'theme_filter': second})}")
    assert SHARED_TITLE in kept and SHARED_TITLE not in left
