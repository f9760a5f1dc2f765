"""Teams SSO for the tab: POST /tab/session with the token getAuthToken() gives, checked
against a local Entra ID (its v2 metadata and keys); forged, expired, misaddressed and
other-tenant tokens get a localized 401 and no session."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from services.ports import UnitOfWorkFactory
from tab.signin import COOKIE, TabReader
from tests.conftest import APP_ID, PRODUCTION_LINKS
from tests.contracts import load
from tests.support.bot_app import BotStarter
from tests.support.networks import small_network
from tests.support.server_thread import ServerThread
from tests.support.tab import reader
from tests.support.token_issuer import TokenIssuer

TAB_APP = "22222222-3333-4444-5555-666666666666"
TENANT = "fec4f964-8bc9-4fac-b972-1c1da35adbcd"  # the documented token's
OTHER_TENANT = "0a0b0c0d-1111-2222-3333-444455556666"
OID = "6467882c-fdfd-4354-a1ed-4e13f064be25"
FACILITATOR = "facilitator@example.org"
KEY = "the-tab-test-signing-key-0123456789"


@pytest.fixture
def entra() -> Iterator[TokenIssuer]:
    """A local Entra ID on loopback: v2 metadata (issuer per tenant) and its signing keys."""
    fake = TokenIssuer()
    with ServerThread(fake.app) as server:
        fake.base_url = server.url
        yield fake


def token(entra: TokenIssuer, **replaced: Any) -> str:
    """The documented Teams SSO token for the facilitator, for the tab's app registration."""
    claims = load("entra", "teams-sso-access-token")
    claims.update(aud=TAB_APP, tid=TENANT, oid=OID, preferred_username=FACILITATOR)
    return entra.access_token(claims, **replaced)


async def tab_bot(
    start_bot: BotStarter, entra: TokenIssuer, tenants: tuple[str, ...] = (), **settings: Any
) -> Any:
    declared = small_network()
    if tenants:  # the network's file binds it to these tenants
        declared = dataclasses.replace(
            declared, network=dataclasses.replace(declared.network, tenants=tenants)
        )
    values = {
        "tab_app_id": TAB_APP,
        "signing_key": KEY,
        "tab_openid_metadata_url": entra.entra_metadata_url,
    } | settings
    return await start_bot({}, network=declared, **values)


async def sign_in(bot: TestClient[Any, Any], bearer: str | None, query: str = "") -> Any:
    headers = {} if bearer is None else {"Authorization": f"Bearer {bearer}"}
    return await bot.post(f"/tab/session{query}", headers=headers)


async def test_a_teams_token_signs_the_member_in_and_binds_their_ids(
    start_bot: BotStarter, entra: TokenIssuer, uow_factory: UnitOfWorkFactory
) -> None:
    bot = await tab_bot(start_bot, entra)

    response = await sign_in(bot, token(entra))

    assert response.status == 204
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"]
    assert await reader(bot, cookie.value) == TabReader(TENANT, OID, FACILITATOR)
    async with uow_factory() as uow:
        person = await uow.people.find(email=FACILITATOR)
    assert person is not None and (person.aad_object_id, person.tenant_id) == (OID, TENANT)


async def test_the_application_id_uri_is_an_audience_too(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(start_bot, entra, public_base_url="https://netpuls.example.org")

    response = await sign_in(bot, token(entra, aud=f"api://netpuls.example.org/botid-{TAB_APP}"))

    assert response.status == 204


async def test_the_object_id_finds_the_person_when_the_e_mail_changed(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(start_bot, entra)
    assert (await sign_in(bot, token(entra))).status == 204

    response = await sign_in(bot, token(entra, preferred_username="renamed@example.org"))

    assert response.status == 204
    assert (await reader(bot, response.cookies[COOKIE].value)) == TabReader(
        TENANT, OID, FACILITATOR
    )


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("forged: signed with a key the issuer does not publish", {"rogue": True}),
        ("expired", {"lifetime": -3600}),
        ("for another app", {"aud": "33333333-4444-5555-6666-777777777777"}),
        ("for the bot's Bot Framework audience", {"aud": "https://api.botframework.com"}),
        ("issued for another tenant than its tid", {"iss": f"https://x/{OTHER_TENANT}/v2.0"}),
        ("without the tab's scope", {"scp": "User.Read"}),
    ],
)
async def test_a_bad_token_gets_a_401_and_no_session(
    start_bot: BotStarter, entra: TokenIssuer, case: str, change: dict[str, Any]
) -> None:
    bot = await tab_bot(start_bot, entra)

    response = await sign_in(bot, token(entra, **change))

    assert response.status == 401, case
    assert (await response.json())["error"] == "invalid_token"
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("bearer", [None, "", "not.a.token", "a.b." * 2000])
async def test_no_token_or_garbage_gets_a_401(
    start_bot: BotStarter, entra: TokenIssuer, bearer: str | None
) -> None:
    bot = await tab_bot(start_bot, entra)

    response = await sign_in(bot, bearer)

    assert response.status == 401 and COOKIE not in response.cookies


async def test_a_single_tenant_app_refuses_a_token_from_another_tenant(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(
        start_bot,
        entra,
        tab_app_id="",  # the bot's own registration
        app_id=APP_ID,
        app_password="secret",
        app_type="SingleTenant",
        app_tenant_id=TENANT,
        **PRODUCTION_LINKS,
    )

    other = await sign_in(bot, token(entra, aud=APP_ID, tid=OTHER_TENANT))
    own = await sign_in(bot, token(entra, aud=APP_ID))

    assert other.status == 401 and (await other.json())["error"] == "tenant_not_allowed"
    assert own.status == 204


async def test_a_person_bound_to_one_tenant_is_never_signed_in_from_another(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(start_bot, entra)
    assert (await sign_in(bot, token(entra))).status == 204  # binds the facilitator to TENANT

    same_account = await sign_in(bot, token(entra, tid=OTHER_TENANT))
    same_email = await sign_in(
        bot, token(entra, tid=OTHER_TENANT, oid="99999999-8888-7777-6666-555555555555")
    )

    for response in (same_account, same_email):
        assert response.status == 401 and (await response.json())["error"] == "unknown_user"


async def test_a_person_is_not_bound_to_a_tenant_their_network_does_not_allow(
    start_bot: BotStarter, entra: TokenIssuer, uow_factory: UnitOfWorkFactory
) -> None:
    bot = await tab_bot(start_bot, entra, tenants=(TENANT,))

    response = await sign_in(bot, token(entra, tid=OTHER_TENANT))

    assert response.status == 401 and (await response.json())["error"] == "unknown_user"
    async with uow_factory() as uow:
        person = await uow.people.find(email=FACILITATOR)
    assert person is not None and (person.aad_object_id, person.tenant_id) == (None, None)


async def test_another_account_with_a_known_persons_e_mail_is_refused(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(start_bot, entra)
    assert (await sign_in(bot, token(entra))).status == 204

    response = await sign_in(bot, token(entra, oid="99999999-8888-7777-6666-555555555555"))

    assert response.status == 401 and COOKIE not in response.cookies


async def test_someone_netpuls_does_not_know_is_told_so_in_their_language(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(start_bot, entra)
    stranger = token(
        entra, oid="99999999-8888-7777-6666-555555555555", preferred_username="x@example.org"
    )

    response = await sign_in(bot, stranger, "?locale=da-dk")

    assert response.status == 401
    body = await response.json()
    assert body["error"] == "unknown_user" and body["message"].startswith("netpuls kender dig")


async def test_without_an_app_registration_sso_is_off(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(start_bot, entra, tab_app_id="")

    response = await sign_in(bot, token(entra))

    assert response.status == 401 and (await response.json())["error"] == "not_configured"


async def test_when_the_keys_cannot_be_read_nobody_is_signed_in_and_the_answer_says_so(
    start_bot: BotStarter, entra: TokenIssuer
) -> None:
    bot = await tab_bot(
        start_bot, entra, tab_openid_metadata_url=f"{entra.base_url}/no-such-metadata"
    )

    response = await sign_in(bot, token(entra))

    assert response.status == 503 and COOKIE not in response.cookies
