"""The anonymous bot under test: the fake Connector knows the people, the app uses the test DB."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from aiohttp.test_utils import TestClient

from domain.model import NetworkFile
from netpuls.app import create_app
from netpuls.settings import Settings
from netpuls.wiring import RUNNER
from services.networks import import_network
from services.ports import Clock, UnitOfWorkFactory
from tests.support.fake_connector import FakeConnector
from tests.support.graph_adapter import stand_in
from tests.support.tls import LoopbackCertificate

ClientMaker = Callable[..., Awaitable[TestClient[Any, Any]]]


class BotStarter(Protocol):
    """The `start_bot` fixture: import `network` if given, then start the app on the test DB.

    `people` go on the fake Connector's roster; `clock` replaces the test's clock; `settings`
    add to or override the anonymous, scheduler-off defaults.
    """

    async def __call__(
        self,
        people: Mapping[str, str],
        *,
        network: NetworkFile | None = None,
        clock: Clock | None = None,
        **settings: Any,
    ) -> TestClient[Any, Any]: ...


def know(fake: FakeConnector, people: Mapping[str, str]) -> None:
    """Put people (Teams user id: e-mail) on the fake Connector's roster, named by their e-mail."""
    for user_id, email in people.items():
        fake.members[user_id] = {"id": user_id, "name": email, "email": email}


async def start_bot(
    aiohttp_client: ClientMaker,
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    fake: FakeConnector,
    people: Mapping[str, str],
    *,
    network: NetworkFile | None = None,
    **settings: Any,
) -> TestClient[Any, Any]:
    """The bot without an app id, its scheduler off unless `settings` turn it on."""
    if network is not None:
        await import_network(uow_factory(), network)
    know(fake, people)
    values: dict[str, Any] = {"app_id": "", "scheduler_enabled": False} | settings
    client = await aiohttp_client(
        create_app(Settings(database_url=database_url, **values), clock=clock)
    )
    if values["scheduler_enabled"]:
        await client.app[RUNNER].caught_up()  # what was missed before the start is posted
    return client


def graph_settings(graph_url: str, tls: LoopbackCertificate) -> dict[str, Any]:
    """Settings that point the bot's Graph client at the local stand-in, trusting its TLS."""
    return {f"graph_{name}": value for name, value in stand_in(graph_url, tls).items()}
