"""The fast edge: one pooled session, one connector client per service URL, tokens fetched once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import (
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)

from bot.teams.app import ADAPTER, CONNECTORS, create_app
from bot.teams.auth import OutboundTokens, TokenError
from bot.teams.connector import ConnectorClients, ConnectorError
from bot.teams.http1 import Http1
from netpuls.settings import Settings
from services.networks import import_network
from tests.conftest import APP_ID
from tests.support import activities as act
from tests.support.fake_connector import Failure, FakeConnector
from tests.support.networks import small_network
from tests.support.token_issuer import TokenIssuer

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]
pytestmark = pytest.mark.both_loops  # `netpuls serve` runs on uvloop where it is installed


@pytest.fixture(autouse=True)
def offline_stock_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """botbuilder's stock path (msrest client, synchronous requests) fails loudly if used."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the stock msrest/requests connector path was used")

    monkeypatch.setattr("requests.adapters.HTTPAdapter.send", refuse)
    monkeypatch.setattr("botframework.connector.aio.ConnectorClient.__init__", refuse)
    monkeypatch.setattr("botframework.connector.ConnectorClient.__init__", refuse)


@pytest.fixture
async def bot(
    aiohttp_client: ClientMaker, database_url: str, engine: object, uow_factory: Any, clock: Any
) -> TestClient[Any, Any]:
    """The anonymous bot on the test database, with the small network imported."""
    await import_network(uow_factory(), small_network())
    return await aiohttp_client(create_app(Settings(database_url=database_url), clock=clock))


async def post(client: TestClient[Any, Any], activity: dict[str, Any], token: str = "") -> int:
    """POST an activity to /api/messages; the HTTP status."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return (await client.post("/api/messages", json=activity, headers=headers)).status


def reference(url: str, conversation_id: str = "a:personal-29:user-1") -> ConversationReference:
    """A stored conversation reference, as a proactive send starts from."""
    return ConversationReference(
        service_url=url,
        channel_id="msteams",
        conversation=ConversationAccount(id=conversation_id),
        bot=ChannelAccount(id=act.BOT_ID),
        user=ChannelAccount(id="29:user-1"),
    )


async def test_a_second_turn_reuses_the_client_the_session_and_the_connection(
    bot: Any, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector
    where = act.personal(url)
    assert await post(bot, act.message(where, "help")) == 201
    assert await post(bot, act.message(where, "help")) == 201
    connectors = bot.app[CONNECTORS]
    assert len(fake.sent) == 2
    assert connectors.created == 1
    assert connectors.http.opened == 1
    assert await connectors.create(url, None) is await connectors.create(url, "other")
    assert len(set(fake.peers)) == 1, "both replies should travel on one pooled connection"


async def test_a_card_action_s_answer_skips_the_send_pipeline_and_copies_no_card(
    bot: Any, connector: tuple[FakeConnector, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, url = connector
    sent: list[str] = []
    send = TurnContext.send_activity

    async def spy(self: TurnContext, activity: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(activity, "type", "text"))
        return await send(self, activity, *args, **kwargs)

    monkeypatch.setattr(TurnContext, "send_activity", spy)
    where = act.personal(url)
    invoke = act.card_invoke(where, "rsvp", {"meeting": "nowhere:1", "answer": "attending"})
    response = await bot.post("/api/messages", json=invoke)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 400  # "a meeting I do not know", as a card message
    assert sent == []  # handed to the adapter directly
    assert fake.sent == []


async def test_many_concurrent_turns_fetch_the_outbound_token_once(
    secured_bot: Any, connector: tuple[FakeConnector, str], issuer: TokenIssuer
) -> None:
    fake, url = connector
    token = issuer.sign(app_id=APP_ID, service_url=url)
    turns = [act.message(act.personal(url, user_id=f"29:u{i}"), "help") for i in range(20)]
    statuses = await asyncio.gather(*(post(secured_bot, t, token) for t in turns))
    assert statuses == [201] * 20
    assert issuer.token_requests == 1
    assert {s.authorization for s in fake.sent} == {f"Bearer outbound-{APP_ID}"}
    assert len(fake.sent) == 20


async def test_a_401_from_the_connector_fetches_a_fresh_token_once(
    secured_bot: Any, connector: tuple[FakeConnector, str], issuer: TokenIssuer
) -> None:
    fake, url = connector
    fake.fail_next(Failure(401, "Unauthorized"))
    token = issuer.sign(app_id=APP_ID, service_url=url)
    assert await post(secured_bot, act.message(act.personal(url), "help"), token) == 201
    assert len(fake.sent) == 1
    assert issuer.token_requests == 2


async def test_a_failing_reply_reaches_the_turn_error_handler(
    bot: Any, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector
    fake.fail_next(Failure(500, "InternalServerError"))
    await post(bot, act.message(act.personal(url), "help"))
    (apology,) = fake.texts()
    assert "Something went wrong" in apology


async def test_proactive_sends_use_the_same_connector(
    bot: Any, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector
    await post(bot, act.message(act.personal(url), "help"))

    async def say(turn: TurnContext) -> None:
        await turn.send_activity(MessageFactory.text("between meetings"))

    await bot.app[ADAPTER].continue_conversation(reference(url), say, "")
    assert fake.texts()[-1] == "between meetings"
    assert fake.sent[-1].conversation_id == "a:personal-29:user-1"
    assert bot.app[CONNECTORS].created == 1


async def test_a_new_chat_is_created_through_the_same_connector(
    bot: Any, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector

    async def greet(turn: TurnContext) -> None:
        await turn.send_activity(MessageFactory.text("hello in a new chat"))

    parameters = ConversationParameters(
        is_group=False,
        bot=ChannelAccount(id=act.BOT_ID),
        members=[ChannelAccount(id="29:user-2")],
        tenant_id=act.TENANT,
    )
    await bot.app[ADAPTER].create_conversation("", greet, parameters, "msteams", url, None)
    (created,) = fake.created
    assert created["members"] == [{"id": "29:user-2"}] and created["isGroup"] is False
    assert fake.sent[-1].conversation_id.startswith("a:created-")
    assert bot.app[CONNECTORS].created == 1


async def test_proactive_sends_carry_the_token_and_refuse_a_foreign_app_id(
    secured_bot: Any, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector

    async def say(turn: TurnContext) -> None:
        await turn.send_activity(MessageFactory.text("reminder"))

    await secured_bot.app[ADAPTER].continue_conversation(reference(url), say, APP_ID)
    assert fake.sent[-1].authorization == f"Bearer outbound-{APP_ID}"
    with pytest.raises(PermissionError):
        await secured_bot.app[ADAPTER].continue_conversation(reference(url), say, "someone-else")


@pytest.fixture
async def http() -> AsyncIterator[Http1]:
    """Connections of our own, for the connector used directly."""
    connections = Http1()
    yield connections
    await connections.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session of our own, for the token endpoint."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (Failure(403, "MessageWritesBlocked", "the user blocked the bot"), 403),
        (Failure(413, "MessageSizeTooBig"), 413),
        (Failure(429, "Throttled", headers={"Retry-After": "3"}), 429),
        (Failure(502, "BadGateway"), 502),
    ],
)
async def test_a_connector_error_carries_status_code_and_retry_after(
    http: Http1,
    connector: tuple[FakeConnector, str],
    failure: Failure,
    status: int,
) -> None:
    fake, url = connector
    fake.fail_next(failure)
    client = ConnectorClients(http, None).client(url)
    with pytest.raises(ConnectorError) as caught:
        await client.conversations.send_to_conversation("19:x", MessageFactory.text("hi"))
    error = caught.value
    assert isinstance(error, ErrorResponseException)  # what botbuilder-minded code catches
    assert error.response.status_code == status
    assert error.error.error.code == failure.code == error.code
    assert error.retry_after == (3.0 if status == 429 else None)
    assert str(status) in str(error)


async def test_roster_update_delete_and_team_reads_return_schema_objects(
    http: Http1, connector: tuple[FakeConnector, str]
) -> None:
    fake, url = connector
    for n in range(3):
        fake.members[f"29:m{n}"] = {"id": f"29:m{n}", "email": f"m{n}@example.org"}
    fake.teams["19:team"] = {"id": "19:team", "name": "Network", "aadGroupId": "g-1"}
    conversations = ConnectorClients(http, None).client(url).conversations
    first = await conversations.get_teams_conversation_paged_members("19:c", 2, None)
    rest = await conversations.get_teams_conversation_paged_members(
        "19:c", 2, first.continuation_token
    )
    assert [m.email for m in first.members + rest.members] == [
        f"m{n}@example.org" for n in range(3)
    ]
    assert rest.continuation_token is None
    member = await conversations.get_conversation_member("19:c", "29:m1")
    assert member.additional_properties["email"] == "m1@example.org"
    assert len(await conversations.get_conversation_members("19:c")) == 3
    updated = await conversations.update_activity("19:c", "act-1", MessageFactory.text("new"))
    await conversations.delete_activity("19:c", "act-1")
    assert updated.id == "act-1" and fake.updated[0][2]["text"] == "new"
    assert fake.deleted == [("19:c", "act-1")]
    team = await ConnectorClients(http, None).client(url).teams.get_team_details("19:team")
    assert (team.name, team.aad_group_id) == ("Network", "g-1")


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def slow_token_endpoint(aiohttp_server: Any) -> tuple[TestServer, list[int]]:
    """A token endpoint that takes 50 ms, so concurrent callers overlap; counts requests."""
    calls: list[int] = []

    async def token(request: web.Request) -> web.Response:
        calls.append(1)
        await asyncio.sleep(0.05)
        if (await request.post()).get("client_secret") != "secret":
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response({"access_token": f"t{len(calls)}", "expires_in": 3600})

    app = web.Application()
    app.router.add_post("/token", token)
    return await aiohttp_server(app), calls


async def test_tokens_are_fetched_once_and_renewed_five_minutes_before_expiry(
    session: aiohttp.ClientSession, slow_token_endpoint: tuple[TestServer, list[int]]
) -> None:
    server, calls = slow_token_endpoint
    clock = Clock()
    settings = Settings(
        app_id=APP_ID, app_password="secret", token_endpoint=str(server.make_url("/token"))
    )
    tokens = OutboundTokens(settings, session, clock=clock)
    assert set(await asyncio.gather(*(tokens.token() for _ in range(50)))) == {"t1"}
    assert len(calls) == 1
    clock.now += 3600 - 300 - 1
    assert await tokens.token() == "t1"
    clock.now += 2
    assert tokens.cached() is None
    assert await tokens.token() == "t2"
    assert len(calls) == 2


async def test_a_refused_token_request_raises_with_the_status(
    session: aiohttp.ClientSession, slow_token_endpoint: tuple[TestServer, list[int]]
) -> None:
    server, _ = slow_token_endpoint
    settings = Settings(
        app_id=APP_ID, app_password="wrong", token_endpoint=str(server.make_url("/token"))
    )
    with pytest.raises(TokenError) as caught:
        await OutboundTokens(settings, session).token()
    assert caught.value.status == 401
