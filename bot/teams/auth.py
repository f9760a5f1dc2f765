"""Inbound JWT validation (async, cached keys) and outbound client-credential tokens."""

from __future__ import annotations

import asyncio
import json
import logging
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AppCredentials,
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
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


# The Bot Connector sends the same bearer token with every activity until it renews it (about
# an hour). A token whose signature, issuer, audience and expiry were checked is remembered for
# at most this long (bounding how long a withdrawn signing key is still honoured) and never
# past its expiry; the per-activity checks (channel endorsement, serviceurl) run every time.
VERIFIED_FOR_SECONDS = 300.0
VERIFIED_TOKENS_KEPT = 1024


@dataclass(frozen=True, slots=True)
class _Verified:
    claims: dict[str, Any]
    endorsements: tuple[str, ...]
    until: float


class InboundAuthenticator:
    """Checks the Bot Framework JWT on every request when an app id is set."""

    def __init__(
        self,
        settings: Settings,
        keys: SigningKeys,
        framework: BotFrameworkAuthentication,
        *,
        clock: Callable[[], float] = _time.time,
    ) -> None:
        self._settings = settings
        self._keys = keys
        self._framework = framework
        self._clock = clock
        self._verified: dict[str, _Verified] = {}

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
        now = self._clock()
        known = self._verified.get(token)
        if known is None or known.until <= now:
            known = await self._verify(token, now)
        if known.endorsements and activity.channel_id not in known.endorsements:
            raise Unauthorized("key not endorsed for this channel")
        if known.claims.get("serviceurl") != activity.service_url:
            raise Unauthorized("serviceurl claim does not match the activity")
        return dict(known.claims)

    async def _verify(self, token: str, now: float) -> _Verified:
        """Check the signature, issuer, audience and expiry, and remember the outcome."""
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
        until = min(now + VERIFIED_FOR_SECONDS, float(claims["exp"]) + CLOCK_SKEW_SECONDS)
        verified = _Verified(claims, key.endorsements, until)
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            self._verified = {t: v for t, v in self._verified.items() if v.until > now}
            if len(self._verified) >= VERIFIED_TOKENS_KEPT:
                self._verified.clear()
        self._verified[token] = verified
        return verified


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    fresh_until: float


class TokenError(RuntimeError):
    """The token endpoint refused or failed; carries its HTTP status."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"token endpoint answered {status}: {detail[:200]}")
        self.status = status


class OutboundTokens:
    """Client-credential tokens for the Bot Connector: async, cached, one fetch at a time."""

    def __init__(
        self,
        settings: Settings,
        http: aiohttp.ClientSession,
        *,
        clock: Callable[[], float] = _time.monotonic,
    ) -> None:
        self._http = http
        self._settings = settings
        self._clock = clock
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self._credentials = _CachedTokenCredentials(self, settings.app_id, settings.oauth_scope)

    async def token(self, *, refresh: bool = False) -> str:
        """A bearer token; `refresh` when the Connector rejected the one we had."""
        seen = self._token
        if seen is not None and not refresh and seen.fresh_until > self._clock():
            return seen.value
        async with self._lock:
            # Turns that queued here while another fetched take its token: a single flight.
            latest = self._token
            if (
                latest is not None
                and latest.fresh_until > self._clock()
                and (not refresh or latest is not seen)
            ):
                return latest.value
            self._token = await self._fetch()
            return self._token.value

    def cached(self) -> str | None:
        """The current token if it is still fresh; never fetches."""
        token = self._token
        return token.value if token is not None and token.fresh_until > self._clock() else None

    def credentials(self) -> AppCredentials:
        """msrest-style credentials for botbuilder code that builds its own client."""
        return self._credentials

    async def _fetch(self) -> _Token:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._settings.app_id,
            "client_secret": self._settings.app_password,
            "scope": self._settings.oauth_scope,
        }
        timeout = aiohttp.ClientTimeout(total=10)
        async with self._http.post(
            self._settings.token_endpoint, data=form, timeout=timeout
        ) as response:
            text = await response.text()
            if response.status != 200:
                raise TokenError(response.status, text)
        body = json.loads(text)
        lifetime = float(body.get("expires_in", 3600)) - TOKEN_REFRESH_MARGIN_SECONDS
        return _Token(str(body["access_token"]), self._clock() + max(lifetime, 30))


class _CachedTokenCredentials(AppCredentials):  # type: ignore[misc]
    """For botbuilder's synchronous Teams client (TeamsInfo team reads): the cached token only.

    Fetching here would mean blocking I/O on the event loop; bot.teams.connector's async
    `client.teams` operations are the way to make those calls.
    """

    def __init__(self, tokens: OutboundTokens, app_id: str, scope: str) -> None:
        super().__init__(app_id=app_id, oauth_scope=scope)
        self._tokens = tokens

    def get_access_token(self, force_refresh: bool = False) -> str:
        token = self._tokens.cached()
        if token is None:
            raise TokenError(0, "no outbound token cached; use bot.teams.connector's async client")
        return token


class _AnonymousCredentials(AppCredentials):  # type: ignore[misc]
    """No token at all: used only when the bot runs without an app id on loopback."""

    def get_access_token(self, force_refresh: bool = False) -> str:
        return ""


class CredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outbound credentials for the one app id netpuls runs as."""

    def __init__(self, settings: Settings, tokens: OutboundTokens | None) -> None:
        self._settings = settings
        self._tokens = tokens

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(app_id) and app_id == self._settings.app_id

    async def is_authentication_disabled(self) -> bool:
        return self._settings.anonymous

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        if self._tokens is None or not app_id:
            return _AnonymousCredentials()
        if app_id != self._settings.app_id:
            raise PermissionError("unknown app id")
        return self._tokens.credentials()


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


class FrameworkAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, giving turns and proactive sends our pooled connector."""

    def __init__(
        self, settings: Settings, connectors: ConnectorFactory, tokens: OutboundTokens | None
    ) -> None:
        factory = CredentialsFactory(settings, tokens)
        super().__init__(_FrameworkConfig(settings), credentials_factory=factory)
        self._connectors = connectors
        self._app_id = settings.app_id
        self._user_tokens: dict[str, UserTokenClient] = {}

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """The shared factory; botbuilder asks per turn and in continue/create_conversation."""
        app_id = _app_id(claims_identity)
        if app_id and app_id != self._app_id:
            raise PermissionError("unknown app id")
        return self._connectors

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """botbuilder asks for this every turn; build it once per app id (netpuls has no OAuth)."""
        app_id = _app_id(claims_identity) or ""
        if app_id not in self._user_tokens:
            client = await super().create_user_token_client(claims_identity)
            self._user_tokens[app_id] = client
        return self._user_tokens[app_id]

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        """botbuilder's own validation (unused by netpuls' edge), with our connector."""
        result = await super().authenticate_request(activity, auth_header)
        result.connector_factory = self.create_connector_factory(result.claims_identity)
        return result


def _app_id(identity: ClaimsIdentity) -> str | None:
    claims = identity.claims or {}
    value = claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(
        AuthenticationConstants.APP_ID_CLAIM
    )
    return str(value) if value else None


def framework_authentication(
    settings: Settings, connectors: ConnectorFactory, tokens: OutboundTokens | None
) -> FrameworkAuthentication:
    """botbuilder's authentication object, with our credentials, endpoints and connector."""
    return FrameworkAuthentication(settings, connectors, tokens)
