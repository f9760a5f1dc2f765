"""Authentication as botbuilder does it, against the local token issuer: where each kind of
registration gets its outbound tokens, and every failure to authenticate answered with 401."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference
from pydantic import ValidationError

from bot.teams.endpoint import ADAPTER
from netpuls.app import create_app
from netpuls.settings import Settings
from tests.conftest import APP_ID, PRODUCTION_LINKS, FixedClock, issuer_settings
from tests.support import activities as act
from tests.support.fake_connector import FakeConnector
from tests.support.token_issuer import MSI_HEADER, TokenIssuer

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]
Connector = tuple[FakeConnector, str]
TENANT = "contoso.onmicrosoft.com"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any name lookup off loopback (login.microsoftonline.com, say) fails the test."""
    lookup = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK:
            raise AssertionError(f"a call left loopback: {host}")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def start(
    aiohttp_client: ClientMaker,
    database_url: str,
    engine: object,
    issuer: TokenIssuer,
    clock: FixedClock,
) -> Callable[..., Awaitable[TestClient[Any, Any]]]:
    """Starts the bot with an app id and the given registration, against the local issuer."""

    async def started(**registration: Any) -> TestClient[Any, Any]:
        values = {
            **issuer_settings(issuer),
            **PRODUCTION_LINKS,
            "app_id": APP_ID,
            "app_password": "secret",
            **registration,
        }
        settings = Settings(database_url=database_url, scheduler_enabled=False, **values)
        return await aiohttp_client(create_app(settings, clock=clock))

    return started


async def say_help(
    bot: TestClient[Any, Any], issuer: TokenIssuer, url: str, app_id: str = APP_ID
) -> int:
    """A signed `help` from the channel; the HTTP status."""
    token = issuer.sign(app_id=app_id, service_url=url)
    activity = act.message(act.personal(url), "help")
    headers = {"Authorization": f"Bearer {token}"}
    return (await bot.post("/api/messages", json=activity, headers=headers)).status


@pytest.mark.parametrize(
    ("app_type", "asked"), [("SingleTenant", TENANT), ("MultiTenant", "botframework.com")]
)
async def test_an_app_password_bot_asks_its_tenant_or_the_bot_framework_s_for_tokens(
    start: Any, issuer: TokenIssuer, connector: Connector, app_type: str, asked: str
) -> None:
    fake, url = connector
    bot = await start(app_type=app_type, app_tenant_id=TENANT)
    assert await say_help(bot, issuer, url) == 201
    assert issuer.token_tenants == [asked]
    assert fake.sent[0].authorization == f"Bearer outbound-{APP_ID}"


async def test_a_managed_identity_bot_gets_its_tokens_from_the_identity_endpoint(
    start: Any, issuer: TokenIssuer, connector: Connector, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = connector
    # msal keeps managed-identity tokens process-wide: an identity of this test's own.
    client_id = str(uuid.uuid4())
    monkeypatch.setenv("IDENTITY_ENDPOINT", issuer.msi_endpoint)  # as App Service sets them
    monkeypatch.setenv("IDENTITY_HEADER", MSI_HEADER)
    bot = await start(
        app_type="UserAssignedMSI", app_id=client_id, app_password="", app_tenant_id=TENANT
    )
    assert await say_help(bot, issuer, url, client_id) == 201
    assert issuer.identity_clients == [client_id]
    assert issuer.token_tenants == []  # no app password anywhere
    assert fake.sent[0].authorization == f"Bearer msi-{client_id}"


async def test_many_concurrent_turns_share_one_outbound_token(
    start: Any, issuer: TokenIssuer, connector: Connector
) -> None:
    fake, url = connector
    bot = await start()
    token = issuer.sign(app_id=APP_ID, service_url=url)
    turns = [act.message(act.personal(url, user_id=f"29:u{i}"), "help") for i in range(20)]
    headers = {"Authorization": f"Bearer {token}"}
    answers = await asyncio.gather(
        *(bot.post("/api/messages", json=turn, headers=headers) for turn in turns)
    )
    assert [a.status for a in answers] == [201] * 20
    assert issuer.token_requests == 1
    assert {s.authorization for s in fake.sent} == {f"Bearer outbound-{APP_ID}"}


async def test_proactive_sends_carry_the_token_and_refuse_a_foreign_app_id(
    start: Any, connector: Connector
) -> None:
    fake, url = connector
    bot = await start()
    reference = ConversationReference(
        service_url=url,
        channel_id="msteams",
        conversation=ConversationAccount(id="a:personal-29:user-1"),
        bot=ChannelAccount(id=act.BOT_ID),
        user=ChannelAccount(id="29:user-1"),
    )

    async def remind(turn: TurnContext) -> None:
        await turn.send_activity(MessageFactory.text("reminder"))

    await bot.app[ADAPTER].continue_conversation(reference, remind, APP_ID)
    assert fake.sent[-1].authorization == f"Bearer outbound-{APP_ID}"
    with pytest.raises(PermissionError):
        await bot.app[ADAPTER].continue_conversation(reference, remind, "someone-else")


async def test_signing_keys_that_cannot_be_fetched_mean_401_not_500(
    start: Any, issuer: TokenIssuer, connector: Connector
) -> None:
    fake, url = connector
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there any more
    bot = await start(openid_metadata_url=f"http://127.0.0.1:{port}/v1/.well-known/openid")
    assert await say_help(bot, issuer, url) == 401
    assert fake.sent == []


@pytest.mark.parametrize(
    ("registration", "missing"),
    [
        ({"app_type": "SingleTenant", "app_tenant_id": ""}, "MicrosoftAppTenantId"),
        ({"app_type": "SingleTenant", "app_password": ""}, "MicrosoftAppPassword"),
        ({"app_type": "UserAssignedMSI", "app_id": "", "app_tenant_id": TENANT}, "MicrosoftAppId"),
        ({"app_type": "UserAssignedMSI", "app_tenant_id": ""}, "MicrosoftAppTenantId"),
        ({"app_type": "Federated"}, "is not one of MultiTenant, SingleTenant, UserAssignedMSI"),
    ],
)
def test_an_incomplete_registration_is_refused_naming_the_setting(
    registration: dict[str, str], missing: str
) -> None:
    values = {"app_id": APP_ID, "app_password": "secret", "app_tenant_id": TENANT, **registration}
    with pytest.raises(ValidationError, match=missing):
        Settings(**values)


def test_the_registration_type_is_read_as_azure_spells_it_in_any_case() -> None:
    settings = Settings(
        app_id=APP_ID, app_password="s", app_type="singletenant", app_tenant_id=TENANT
    )
    assert settings.app_type == "SingleTenant"
    assert settings.login_url() == f"https://login.microsoftonline.com/{TENANT}"
    assert Settings(app_tenant_id=TENANT).login_url().endswith("/botframework.com")


async def test_a_refused_request_is_logged_with_its_client_address_and_no_token(
    start: Any, issuer: TokenIssuer, connector: Connector, caplog: pytest.LogCaptureFixture
) -> None:
    fake, url = connector
    bot = await start()
    token = issuer.sign(app_id="someone-else", service_url=url)
    activity = act.message(act.personal(url), "help")
    with caplog.at_level("INFO", logger="bot.teams"):
        response = await bot.post(
            "/api/messages", json=activity, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status == 401
    refused = [r.getMessage() for r in caplog.records if "unauthorized" in r.getMessage()]
    assert refused and "127.0.0.1" in refused[0]
    assert token not in caplog.text and token.split(".")[1] not in caplog.text
    assert fake.sent == []
