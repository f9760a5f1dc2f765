"""Inbound JWT validation (async, cached keys) and outbound client-credential tokens."""

from __future__ import annotations

import asyncio
import logging
import threading
import time as _time
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
import requests
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AppCredentials,
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ServiceClientCredentialsFactory,
)

from netpuls.settings import Settings

log = logging.getLogger(__name__)
ALGORITHMS = ("RS256", "RS384", "RS512")
CLOCK_SKEW_SECONDS = 300
KEYS_TTL_SECONDS = 24 * 3600
UNKNOWN_KID_REFRESH_SECONDS = 300
TOKEN_REFRESH_MARGIN_SECONDS = 300


class Unauthorized(Exception):
    """The request's credentials are missing, malformed, forged or expired."""


@dataclass(frozen=True, slots=True)
class _Key:
    key: Any
    endorsements: tuple[str, ...]


class SigningKeys:
    """The channel's signing keys from its OpenID metadata, cached and refreshed rarely."""

    def __init__(self, metadata_url: str, http: aiohttp.ClientSession) -> None:
        self._url = metadata_url
        self._http = http
        self._keys: dict[str, _Key] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> _Key:
        """The key with this id; refetches when stale, and at most every 5 min on a miss."""
        age = _time.monotonic() - self._fetched_at
        if (kid not in self._keys and age > UNKNOWN_KID_REFRESH_SECONDS) or age > KEYS_TTL_SECONDS:
            await self._refresh()
        try:
            return self._keys[kid]
        except KeyError:
            raise Unauthorized("unknown signing key") from None

    async def _refresh(self) -> None:
        async with self._lock:
            if _time.monotonic() - self._fetched_at < 1:
                return
            timeout = aiohttp.ClientTimeout(total=10)
            async with self._http.get(self._url, timeout=timeout) as response:
                response.raise_for_status()
                metadata = await response.json(content_type=None)
            async with self._http.get(metadata["jwks_uri"], timeout=timeout) as response:
                response.raise_for_status()
                jwks = await response.json(content_type=None)
            keys: dict[str, _Key] = {}
            for entry in jwks.get("keys", []):
                if "kid" not in entry:
                    continue
                keys[entry["kid"]] = _Key(
                    jwt.PyJWK(entry).key, tuple(entry.get("endorsements", ()))
                )
            self._keys = keys
            self._fetched_at = _time.monotonic()
            log.info("signing keys refreshed: %d keys from %s", len(keys), self._url)


class InboundAuthenticator:
    """Checks the Bot Framework JWT on every request when an app id is set."""

    def __init__(
        self, settings: Settings, keys: SigningKeys, framework: BotFrameworkAuthentication
    ) -> None:
        self._settings = settings
        self._keys = keys
        self._framework = framework

    async def authenticate(
        self, auth_header: str | None, activity: Activity
    ) -> AuthenticateRequestResult:
        """A request result with claims and a connector factory, or Unauthorized."""
        if self._settings.anonymous:
            identity = ClaimsIdentity({}, True, AuthenticationConstants.ANONYMOUS_AUTH_TYPE)
        else:
            identity = ClaimsIdentity(await self._claims(auth_header, activity), True)
        result = AuthenticateRequestResult()
        result.claims_identity = identity
        result.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        result.caller_id = None
        result.connector_factory = self._framework.create_connector_factory(identity)
        return result

    async def _claims(self, auth_header: str | None, activity: Activity) -> dict[str, Any]:
        scheme, _, token = (auth_header or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("missing bearer token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"malformed token: {exc}") from None
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS or not isinstance(header.get("kid"), str):
            raise Unauthorized("token not signed with an allowed algorithm")
        try:
            key = await self._keys.get(header["kid"])
        except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as exc:
            log.warning("could not load signing keys: %s", exc)
            raise Unauthorized("signing keys unavailable") from None
        if key.endorsements and activity.channel_id not in key.endorsements:
            raise Unauthorized("key not endorsed for this channel")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self._settings.app_id,
                issuer=self._settings.token_issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid token: {exc}") from None
        if claims.get("serviceurl") != activity.service_url:
            raise Unauthorized("serviceurl claim does not match the activity")
        return claims


class _ClientSecretCredentials(AppCredentials):  # type: ignore[misc]
    """Client-credential tokens from a configurable endpoint, cached until near expiry."""

    def __init__(self, app_id: str, secret: str, endpoint: str, scope: str) -> None:
        super().__init__(app_id=app_id, oauth_scope=scope)
        self._secret = secret
        self._endpoint = endpoint
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def get_access_token(self, force_refresh: bool = False) -> str:
        """A bearer token for the Bot Connector (msrest calls this synchronously)."""
        with self._lock:
            if self._token and not force_refresh and self._token[1] > _time.monotonic():
                return self._token[0]
            response = requests.post(
                self._endpoint,
                timeout=10,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.microsoft_app_id,
                    "client_secret": self._secret,
                    "scope": self.oauth_scope,
                },
            )
            response.raise_for_status()
            body = response.json()
            lifetime = float(body.get("expires_in", 3600)) - TOKEN_REFRESH_MARGIN_SECONDS
            self._token = (str(body["access_token"]), _time.monotonic() + max(lifetime, 30))
            return self._token[0]


class _AnonymousCredentials(AppCredentials):  # type: ignore[misc]
    """No token at all: used only when the bot runs without an app id on loopback."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return ""


class CredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outbound credentials for the one app id netpuls runs as; one cached object per scope."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._cache: dict[str, AppCredentials] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(app_id) and app_id == self._settings.app_id

    async def is_authentication_disabled(self) -> bool:
        return self._settings.anonymous

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        if self._settings.anonymous or not app_id:
            return _AnonymousCredentials()
        if app_id != self._settings.app_id:
            raise PermissionError("unknown app id")
        scope = self._settings.oauth_scope
        if scope not in self._cache:
            self._cache[scope] = _ClientSecretCredentials(
                app_id, self._settings.app_password, self._settings.token_endpoint, scope
            )
        return self._cache[scope]


class _FrameworkConfig:
    """The attribute bag botbuilder's configuration-based authentication reads."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id
        self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.openid_metadata_url
        self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = settings.openid_metadata_url
        self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = settings.token_issuer
        self.VALIDATE_AUTHORITY = False


def framework_authentication(settings: Settings) -> BotFrameworkAuthentication:
    """botbuilder's authentication object, with our credentials and endpoints."""
    return ConfigurationBotFrameworkAuthentication(
        _FrameworkConfig(settings), credentials_factory=CredentialsFactory(settings)
    )
