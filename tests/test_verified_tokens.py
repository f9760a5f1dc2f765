"""Inbound tokens: a verified token is remembered briefly, the per-activity checks always run."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest
from botbuilder.schema import Activity

from bot.teams.auth import (
    CLOCK_SKEW_SECONDS,
    VERIFIED_FOR_SECONDS,
    InboundAuthenticator,
    SigningKeys,
    Unauthorized,
)
from netpuls.settings import Settings
from tests.conftest import APP_ID
from tests.support.token_issuer import TokenIssuer

SERVICE = "http://127.0.0.1:9/"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class NoConnectors:
    def create_connector_factory(self, _identity: Any) -> None:
        return None


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every signature check the authenticator makes."""
    seen: list[str] = []
    real = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting)
    return seen


def authenticator(issuer: TokenIssuer, http: aiohttp.ClientSession, clock: Clock) -> Any:
    settings = Settings(
        app_id=APP_ID, app_password="secret", openid_metadata_url=issuer.metadata_url
    )
    keys = SigningKeys(settings.openid_metadata_url, http)
    return InboundAuthenticator(settings, keys, NoConnectors(), clock=clock)  # type: ignore[arg-type]


def activity(service_url: str = SERVICE, channel: str = "msteams") -> Activity:
    return Activity(type="message", channel_id=channel, service_url=service_url)


async def test_the_same_token_again_is_not_verified_twice(
    issuer: TokenIssuer, http: aiohttp.ClientSession, decodes: list[str]
) -> None:
    auth = authenticator(issuer, http, Clock())
    token = issuer.sign(app_id=APP_ID, service_url=SERVICE)
    for _ in range(3):
        result = await auth.authenticate(f"Bearer {token}", activity())
        assert result.claims_identity.claims["aud"] == APP_ID
    assert decodes == [token]


async def test_a_remembered_token_still_must_name_the_activitys_service_url(
    issuer: TokenIssuer, http: aiohttp.ClientSession
) -> None:
    auth = authenticator(issuer, http, Clock())
    token = issuer.sign(app_id=APP_ID, service_url=SERVICE)
    await auth.authenticate(f"Bearer {token}", activity())
    with pytest.raises(Unauthorized, match="serviceurl"):
        await auth.authenticate(f"Bearer {token}", activity("http://127.0.0.1:1/other/"))


async def test_a_remembered_token_is_verified_again_after_five_minutes(
    issuer: TokenIssuer, http: aiohttp.ClientSession, decodes: list[str]
) -> None:
    clock = Clock()
    auth = authenticator(issuer, http, clock)
    token = issuer.sign(app_id=APP_ID, service_url=SERVICE)
    await auth.authenticate(f"Bearer {token}", activity())
    clock.now += VERIFIED_FOR_SECONDS + 1
    await auth.authenticate(f"Bearer {token}", activity())
    assert decodes == [token, token]


async def test_a_token_is_remembered_no_longer_than_it_is_valid(
    issuer: TokenIssuer, http: aiohttp.ClientSession, decodes: list[str]
) -> None:
    clock = Clock()
    auth = authenticator(issuer, http, clock)
    # Expired 200 s ago: still inside the allowed skew, so valid for another 100 s only.
    token = issuer.sign(app_id=APP_ID, service_url=SERVICE, lifetime=-(CLOCK_SKEW_SECONDS - 100))
    await auth.authenticate(f"Bearer {token}", activity())
    clock.now += 99
    await auth.authenticate(f"Bearer {token}", activity())
    assert decodes == [token]
    clock.now += 2  # past expiry + skew, well inside the five minutes: checked again
    await auth.authenticate(f"Bearer {token}", activity())  # PyJWT judges by the real clock
    assert decodes == [token, token]


async def test_forged_tokens_are_never_remembered(
    issuer: TokenIssuer, http: aiohttp.ClientSession
) -> None:
    auth = authenticator(issuer, http, Clock())
    forged = issuer.sign(app_id=APP_ID, service_url=SERVICE, rogue=True)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            await auth.authenticate(f"Bearer {forged}", activity())
    assert auth._verified == {}
