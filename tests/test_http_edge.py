"""The HTTP edge: real Activity JSON posted to /api/messages, replies caught by a fake connector."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import ChannelAccount, ConversationParameters, ErrorResponseException

from bot.teams.endpoint import ADAPTER, AUTHENTICATION
from netpuls.app import create_app
from netpuls.settings import Settings
from services.networks import import_network
from tests.conftest import APP_ID, FixedClock
from tests.support import activities as act
from tests.support.bot_app import know
from tests.support.fake_connector import Failure
from tests.support.networks import small_network
from tests.support.token_issuer import TokenIssuer

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
async def bot(
    aiohttp_client: ClientMaker,
    database_url: str,
    engine: object,
    uow_factory: Any,
    clock: FixedClock,
) -> TestClient[Any, Any]:
    """The anonymous bot on the test database, with the small network imported."""
    await import_network(uow_factory(), small_network())
    settings = Settings(database_url=database_url, app_id="")
    return await aiohttp_client(create_app(settings, clock=clock))


async def post(
    client: TestClient[Any, Any], activity: dict[str, Any], token: str | None = None
) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/api/messages", json=activity, headers=headers)
    return response.status


async def test_help_lists_every_command_in_english(bot: Any, connector: Any) -> None:
    fake, url = connector
    status = await post(bot, act.message(act.personal(url), "help"))
    assert status in (200, 201)
    (reply,) = fake.texts()
    assert "help" in reply and "next" in reply and "link \\<network\\>" in reply


async def test_help_answers_in_danish_for_a_danish_client(bot: Any, connector: Any) -> None:
    fake, url = connector
    await post(bot, act.message(act.personal(url), "hjælp", locale="da-DK"))
    assert "Det kan jeg hjælpe med" in fake.texts()[0]


async def test_next_shows_the_first_meeting_as_a_card(bot: Any, connector: Any) -> None:
    fake, url = connector
    know(fake, {"29:user-1": "planner.odense@example.org"})  # a member of the network
    await post(bot, act.message(act.personal(url), "next"))
    (sent,) = fake.sent
    assert "attachments" in sent.activity, fake.texts()
    card = sent.activity["attachments"][0]["content"]
    flat = str(card)
    assert "Network meeting 1" in flat and "Odense Kommune" in flat and "10:00" in flat


async def test_next_in_a_channel_hears_only_mentions_and_replies_in_the_thread(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    await post(bot, act.message(act.channel(url, thread="1700"), "next", mention=True))
    (sent,) = fake.sent
    assert sent.conversation_id == act.TEAM_ID + ";messageid=1700"


async def test_install_greets_once_although_teams_announces_it_twice(
    bot: Any, connector: Any
) -> None:
    fake, url = connector
    where = act.channel(url)
    await post(bot, act.installed(where))
    await post(bot, act.bot_added(where))
    assert len(fake.sent) == 1
    assert "link \\<network\\>" in fake.texts()[0]


async def test_reinstall_after_removal_greets_again(bot: Any, connector: Any) -> None:
    fake, url = connector
    where = act.personal(url)
    await post(bot, act.installed(where))
    await post(bot, act.uninstalled(where))
    await post(bot, act.installed(where))
    assert len(fake.sent) == 2


async def test_a_redelivered_activity_is_answered_once(bot: Any, connector: Any) -> None:
    fake, url = connector
    activity = act.message(act.personal(url), "help")
    await post(bot, activity)
    await post(bot, activity)
    assert len(fake.sent) == 1


async def test_unknown_command_gets_a_hint(bot: Any, connector: Any) -> None:
    fake, url = connector
    await post(bot, act.message(act.personal(url), "dance please"))
    assert "dance" in fake.texts()[0] and "help" in fake.texts()[0]


async def test_link_is_refused_for_someone_without_a_role(bot: Any, connector: Any) -> None:
    fake, url = connector
    where = act.channel(url)
    await post(bot, act.installed(where))
    await post(bot, act.message(where, "link kompakte-groenne-byer", mention=True))
    assert "Only the facilitator" in fake.texts()[-1]


async def test_link_by_the_facilitator_found_through_the_roster(bot: Any, connector: Any) -> None:
    fake, url = connector
    where = act.channel(url, user_id="29:fac", aad="aad-fac")
    fake.members["29:fac"] = {
        "id": "29:fac",
        "name": "Facilitator",
        "email": "Facilitator@example.org",
        "aadObjectId": "aad-fac",
    }
    await post(bot, act.installed(where))
    await post(bot, act.message(where, "link kompakte-groenne-byer", mention=True))
    assert "now linked to Kompakte, grønne byer" in fake.texts()[-1]


async def test_link_to_an_unknown_network_names_the_known_ones(bot: Any, connector: Any) -> None:
    fake, url = connector
    await post(bot, act.message(act.personal(url), "link atlantis"))
    assert "atlantis" in fake.texts()[0] and "kompakte-groenne-byer" in fake.texts()[0]


async def test_an_over_long_message_is_refused_with_the_limit(bot: Any, connector: Any) -> None:
    fake, url = connector
    await post(bot, act.message(act.personal(url), "help " + "x" * 5000))
    assert "2000" in fake.texts()[0]


@pytest.mark.parametrize("body", ["{not json", "[]", '{"type": "message"}', '{"text": "hi"}'])
async def test_a_malformed_body_gets_400(bot: Any, body: str) -> None:
    response = await bot.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400


@pytest.mark.parametrize("shape", ["activity", "bare"])
async def test_a_deeply_nested_body_gets_400_not_500(bot: Any, connector: Any, shape: str) -> None:
    _, url = connector
    if shape == "activity":  # channelData 5,000 objects deep
        activity = act.message(act.personal(url), "help")
        activity["channelData"] = "@"
        body = json.dumps(activity).replace('"@"', '{"a": ' * 5_000 + "1" + "}" * 5_000)
    else:  # 100,000 nested lists, still under the 256 KB limit
        body = "[" * 100_000 + "]" * 100_000
    response = await bot.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert "nested" in (await response.json())["message"]


async def test_a_body_that_is_not_json_by_its_type_gets_415(bot: Any) -> None:
    response = await bot.post(
        "/api/messages", data="type=message", headers={"Content-Type": "text/plain"}
    )
    assert response.status == 415


async def test_a_body_over_256_kb_gets_413(bot: Any, connector: Any) -> None:
    _, url = connector
    activity = act.message(act.personal(url), "help " + "x" * 300_000)
    assert await post(bot, activity) == 413


async def test_anonymous_mode_refuses_a_service_url_off_loopback(bot: Any) -> None:
    activity = act.message(act.personal("https://smba.example.org/emea/"), "help")
    assert await post(bot, activity) == 400


async def test_health_and_readiness(bot: Any) -> None:
    assert (await bot.get("/healthz")).status == 200
    assert (await bot.get("/readyz")).status == 200


async def test_a_valid_token_is_accepted_and_the_reply_carries_our_token(
    secured_bot: Any, connector: Any, issuer: TokenIssuer
) -> None:
    fake, url = connector
    token = issuer.sign(app_id=APP_ID, service_url=url)
    assert await post(secured_bot, act.message(act.personal(url), "help"), token) in (200, 201)
    assert fake.sent[0].authorization == f"Bearer outbound-{APP_ID}"


@pytest.mark.parametrize(
    "forgery",
    [
        "not-a-jwt",
        "a.b.c",
        "eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.",
    ],
)
async def test_a_malformed_token_gets_401(secured_bot: Any, connector: Any, forgery: str) -> None:
    _, url = connector
    assert await post(secured_bot, act.message(act.personal(url), "help"), forgery) == 401


async def test_a_missing_token_gets_401(secured_bot: Any, connector: Any) -> None:
    _, url = connector
    assert await post(secured_bot, act.message(act.personal(url), "help")) == 401


@pytest.mark.parametrize(
    "variant",
    [
        {"rogue": True},
        {"app_id": "someone-else"},
        {"lifetime": -3600},
        {"issuer": "https://evil.example.org"},
        {"kid": "unknown-kid"},
        {"algorithm": "HS256"},
        {"service_url": "http://127.0.0.1:1/other"},
    ],
)
async def test_a_forged_token_gets_401_and_nothing_is_sent(
    secured_bot: Any, connector: Any, issuer: TokenIssuer, variant: dict[str, Any]
) -> None:
    fake, url = connector
    claims: dict[str, Any] = {"app_id": APP_ID, "service_url": url, **variant}
    if claims.get("algorithm") == "HS256":
        import jwt

        token = jwt.encode(
            {"aud": APP_ID},
            "a-shared-secret-of-at-least-32-bytes",
            algorithm="HS256",
            headers={"kid": issuer.kid},
        )
    else:
        token = issuer.sign(**claims)
    assert await post(secured_bot, act.message(act.personal(url), "help"), token) == 401
    assert fake.sent == []


async def test_a_chosen_language_wins_over_the_client_locale(bot: Any, connector: Any) -> None:
    fake, url = connector
    where = act.personal(url)
    await post(bot, act.message(where, "language sv"))
    await post(bot, act.message(where, "help"))
    assert fake.texts()[0] == "Från och med nu svarar jag dig på svenska."
    assert fake.texts()[1].startswith("Det här kan jag hjälpa till med:")


async def test_an_unknown_language_is_refused_with_the_choices(bot: Any, connector: Any) -> None:
    fake, url = connector
    await post(bot, act.message(act.personal(url), "language klingon"))
    assert "da (dansk), sv (svenska) and en (English)" in fake.texts()[0]


async def test_a_failing_reply_reaches_the_turn_error_handler(bot: Any, connector: Any) -> None:
    fake, url = connector
    # The writer is no one the network knows: the roster is asked first (a failure there only
    # means no e-mail), then the reply is sent and fails.
    fake.fail_next(Failure(500, "InternalServerError"), Failure(500, "InternalServerError"))
    await post(bot, act.message(act.personal(url), "help"))
    (apology,) = fake.texts()
    assert "Something went wrong" in apology


async def test_a_card_action_is_answered_in_the_invoke_response(bot: Any, connector: Any) -> None:
    fake, url = connector
    invoke = act.card_invoke(
        act.personal(url), "rsvp", {"meeting": "nowhere:1", "answer": "attending"}
    )
    response = await bot.post("/api/messages", json=invoke)
    assert response.status == 200
    assert (await response.json())["statusCode"] == 400  # "a meeting I do not know"
    assert fake.sent == []


async def test_a_new_chat_is_created_through_the_connector(bot: Any, connector: Any) -> None:
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
    assert fake.texts() == ["hello in a new chat"]


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (Failure(403, "MessageWritesBlocked", "the user blocked the bot"), 403),
        (Failure(413, "MessageSizeTooBig"), 413),
        (Failure(429, "Throttled", headers={"Retry-After": "3"}), 429),
        (Failure(502, "BadGateway"), 502),
    ],
)
async def test_a_refused_send_raises_botbuilder_s_error_with_status_code_and_headers(
    bot: Any, connector: Any, failure: Failure, status: int
) -> None:
    fake, url = connector
    fake.fail_next(failure)
    client = await bot.app[AUTHENTICATION].connectors.create(url, None)
    with pytest.raises(ErrorResponseException) as caught:
        await client.conversations.send_to_conversation("19:x", MessageFactory.text("hi"))
    error = caught.value
    assert error.response.status_code == status
    assert error.error.error.code == failure.code
    assert error.response.headers.get("Retry-After") == failure.headers.get("Retry-After")
    assert failure.code in error.response.text()
