"""Shared fixtures: databases (SQLite and PostgreSQL), the local fakes, the bot app."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork
from tests.support.fake_connector import FakeConnector
from tests.support.graph_server import FakeGraph
from tests.support.server_thread import ServerThread
from tests.support.tls import LoopbackCertificate, loopback_certificate
from tests.support.token_issuer import TokenIssuer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _require(variable: str) -> bool:
    return os.environ.get(variable, "") == "1"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a schema-reset PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'netpuls.db'}"
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if _require("NETPULS_REQUIRE_POSTGRES"):
            pytest.fail("TEST_DATABASE_URL is not set but NETPULS_REQUIRE_POSTGRES=1")
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL variant skipped")
    request.node.add_marker(pytest.mark.postgres)
    yield base


async def _reset_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database."""
    eng = create_engine(database_url)
    if make_url(database_url).get_backend_name() == "postgresql":
        await _reset_postgres(eng)
    await upgrade(database_url)
    try:
        yield eng
    finally:
        await eng.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> object:
    """Makes SQL units of work on the test database."""
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions)


@pytest.fixture
def connector() -> Iterator[tuple[FakeConnector, str]]:
    """A running fake Bot Connector and its service URL."""
    fake = FakeConnector()
    with ServerThread(fake.app) as server:
        yield fake, server.url


@pytest.fixture
def issuer(
    loopback_tls: LoopbackCertificate, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TokenIssuer]:
    """A running local token issuer on loopback TLS (msal talks to https authorities only),
    trusted by the `requests` sessions botbuilder and msal use."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(loopback_tls.cert_path))
    fake = TokenIssuer()
    with ServerThread(fake.app, ssl_context=loopback_tls.server_context()) as server:
        fake.base_url = server.url
        yield fake


def issuer_settings(issuer: TokenIssuer) -> dict[str, str]:
    """Settings that send every authentication call of the bot to the local issuer."""
    return {"openid_metadata_url": issuer.metadata_url, "login_authority": issuer.base_url}


class FixedClock:
    """A clock that says what the test tells it."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        """The time the test set."""
        return self.current


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at 2024-03-01 12:00 UTC, before the Plan22+ network's first meeting."""
    return FixedClock(datetime(2024, 3, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def today() -> date:
    """The import day for relative dates."""
    return date(2024, 3, 1)


def unique_name() -> str:
    """A name no other test uses."""
    return uuid.uuid4().hex[:10]


@pytest.fixture(scope="session")
def loopback_tls(tmp_path_factory: pytest.TempPathFactory) -> LoopbackCertificate:
    """A self-signed certificate for 127.0.0.1 that Graph clients in tests are told to trust."""
    return loopback_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def graph_api(loopback_tls: LoopbackCertificate) -> Iterator[tuple[FakeGraph, str]]:
    """A running local Microsoft Graph (TLS on loopback) and its base URL."""
    fake = FakeGraph()
    with ServerThread(fake.app, ssl_context=loopback_tls.server_context()) as server:
        yield fake, server.url


@pytest.fixture
async def graph_connection(
    graph_api: tuple[FakeGraph, str], loopback_tls: LoopbackCertificate
) -> AsyncIterator[Any]:
    """The msgraph adapter's connection to the local Graph, closed after the test."""
    from tests.support.graph_adapter import connected

    async with connected(graph_api[1], loopback_tls) as connection:
        yield connection


APP_ID = "11111111-2222-3333-4444-555555555555"
# A bot with an app id starts only with a signing key and a public https address for its links.
PRODUCTION_LINKS = {
    "signing_key": "test-only-signing-key-of-32-bytes",
    "public_base_url": "https://netpuls.example.org",
}


@pytest.fixture
async def secured_bot(
    aiohttp_client: Any, database_url: str, engine: object, issuer: TokenIssuer, clock: FixedClock
) -> Any:
    """The bot with an app id: every request needs a token from the local issuer."""
    from netpuls.app import create_app
    from netpuls.settings import Settings

    settings = Settings(
        database_url=database_url,
        app_id=APP_ID,
        app_password="secret",
        **issuer_settings(issuer),
        **PRODUCTION_LINKS,
    )
    return await aiohttp_client(create_app(settings, clock=clock))


@pytest.fixture
def start_bot(
    aiohttp_client: Any,
    database_url: str,
    uow_factory: Any,
    clock: FixedClock,
    connector: tuple[FakeConnector, str],
) -> Any:
    """Starts the anonymous bot on the test database (see tests.support.bot_app.BotStarter)."""
    from tests.support.bot_app import start_bot

    async def start(
        people: dict[str, str], *, network: Any = None, clock: Any = clock, **settings: Any
    ) -> Any:
        app = (aiohttp_client, database_url, uow_factory, clock, connector[0])
        return await start_bot(*app, people, network=network, **settings)

    return start
