"""Teams SSO for the tab: the access token TeamsJS `authentication.getAuthToken()` hands the
page, checked with PyJWT against the signing keys Entra ID publishes.

Microsoft's guidance (Teams platform, "Configure code to enable Teams SSO", validate the access
token): the token is a JWT signed with a key from the OpenID metadata's `jwks_uri`, issued by
`https://login.microsoftonline.com/{tid}/v2.0` (the v2 metadata's issuer with `{tenantid}`
filled in), for the app registration (`aud`: its application id or its application ID URI,
the manifest's `webApplicationInfo.resource`), with the scope `access_as_user`; `oid` and
`tid` name the user and their tenant, `preferred_username` their e-mail.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

log = logging.getLogger(__name__)

SCOPE = "access_as_user"
MAX_TOKEN_CHARS = 8192  # Entra's access tokens are a few kB; anything longer is not one
METADATA_SECONDS = 24 * 3600  # Entra rotates its keys; new ones are found by their kid anyway
CLOCK_SKEW_SECONDS = 60
_GUID = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")


class TokenRefused(Exception):
    """The token is not one netpuls accepts; `reason` is for the log and never the token."""

    def __init__(self, reason: str, *, tenant: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tenant = tenant  # refused for the tenant it comes from


class KeysUnavailable(Exception):
    """The OpenID metadata or its keys could not be read: nobody can be signed in now."""


@dataclass(frozen=True, slots=True)
class TeamsUser:
    """Who a valid token names."""

    tenant_id: str
    object_id: str
    email: str | None


@dataclass(frozen=True, slots=True)
class _Metadata:
    issuer: str
    keys: jwt.PyJWKClient
    fetched: float


class TeamsTokens:
    """Checks Teams SSO tokens for one app registration; the metadata is read when first
    needed and kept for a day, the keys by PyJWT's client (refreshed for an unknown kid)."""

    def __init__(
        self,
        metadata_url: str,
        client_id: str,
        resource: str,
        tenant: str | None = None,
        *,
        timeout: float = 10.0,
    ) -> None:
        self._metadata_url = metadata_url
        self._audiences = [a for a in (client_id, resource) if a]
        self._tenant = tenant.lower() if tenant else None
        self._timeout = timeout
        self._metadata: _Metadata | None = None
        self._lock = asyncio.Lock()

    @property
    def configured(self) -> bool:
        """Whether there is an app registration to check tokens for."""
        return bool(self._audiences)

    async def user(self, token: str) -> TeamsUser:
        """The user a token names, or TokenRefused / KeysUnavailable."""
        if not self.configured:
            raise TokenRefused("no app registration for the tab is configured")
        tenant = _tenant_of(token)
        if self._tenant is not None and tenant != self._tenant:
            raise TokenRefused("a token from a tenant this app does not serve", tenant=True)
        metadata = await self._current()
        try:
            key = await asyncio.to_thread(metadata.keys.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError as exc:
            raise KeysUnavailable(str(exc)) from None
        except jwt.PyJWTError:
            raise TokenRefused("not signed with a key of the issuer") from None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self._audiences,
                issuer=metadata.issuer.replace("{tenantid}", tenant),
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud", "tid", "oid"]},
            )
        except jwt.PyJWTError as exc:
            raise TokenRefused(f"invalid: {type(exc).__name__}") from None
        if SCOPE not in str(claims.get("scp", "")).split():
            raise TokenRefused(f"without the scope {SCOPE}")
        oid = claims.get("oid")
        if not isinstance(oid, str) or not _GUID.fullmatch(oid.lower()):
            raise TokenRefused("without a user object id")
        return TeamsUser(tenant, oid.lower(), _email(claims))

    async def _current(self) -> _Metadata:
        async with self._lock:
            kept = self._metadata
            if kept is not None and time.monotonic() - kept.fetched < METADATA_SECONDS:
                return kept
            try:
                document = await self._fetch()
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                log.warning("the tab's OpenID metadata could not be read: %s", type(exc).__name__)
                raise KeysUnavailable(type(exc).__name__) from None
            issuer, jwks_uri = document.get("issuer"), document.get("jwks_uri")
            if not isinstance(issuer, str) or not isinstance(jwks_uri, str):
                raise KeysUnavailable("the OpenID metadata names no issuer or keys")
            self._metadata = _Metadata(
                issuer,
                jwt.PyJWKClient(jwks_uri, timeout=self._timeout, lifespan=3600),
                time.monotonic(),
            )
            return self._metadata

    async def _fetch(self) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.get(self._metadata_url) as response,
        ):
            response.raise_for_status()
            document = await response.json(content_type=None)
        if not isinstance(document, dict):
            raise ValueError("the OpenID metadata is not a JSON object")
        return document


def _tenant_of(token: str) -> str:
    """The tenant a token says it is from (checked against the signature later)."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise TokenRefused("not a token")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise TokenRefused("not a token") from None
    tenant = claims.get("tid")
    if not isinstance(tenant, str) or not _GUID.fullmatch(tenant.lower()):
        raise TokenRefused("without a tenant id")
    return tenant.lower()


def _email(claims: dict[str, Any]) -> str | None:
    """The user's sign-in name, an e-mail address (preferred_username, else upn)."""
    for name in ("preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value and len(value) <= 254:
            return value.strip().lower()
    return None
