"""The Bot Connector through botbuilder's own client, on the process's one aiohttp session.

botbuilder's stock factory builds a new `ConnectorClient` and new credentials for every turn,
and its default transport is synchronous `requests` in a thread pool. `ConnectorClients` is
botbuilder's `ConnectorFactory` seam: the same client class and credentials, built once per
service URL (credentials once per audience, so msal's token cache lives with the process),
sending through botbuilder's `AsyncBfPipeline` with an msrest driver on a shared aiohttp session.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from botframework.connector import AsyncBfPipeline
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    ConnectorFactory,
    MicrosoftAppCredentials,
    ServiceClientCredentialsFactory,
)
from msal import ConfidentialClientApplication
from msrest.authentication import Authentication
from msrest.universal_http import ClientRequest
from msrest.universal_http.async_abc import AsyncClientResponse, AsyncHTTPSender
from multidict import CIMultiDict

USER_AGENT = "Microsoft-BotFramework/3.1 (netpuls)"
MAX_CLIENTS = 256
TOKEN_TIMEOUT_SECONDS = 10


class ConnectorAnswer(AsyncClientResponse):
    """An answer read whole, shaped as msrest's responses (status_code, reason, headers, text()).

    It is its own raw response: msrest's errors (botbuilder's ErrorResponseException) expose
    a response's `internal_response` as `exc.response`, and this is all there is of it.
    """

    def __init__(
        self, request: ClientRequest, status: int, reason: str, headers: Any, content: bytes
    ) -> None:
        super().__init__(request, None)
        self.internal_response = self
        self.status_code = status
        self.reason = reason
        self.headers = CIMultiDict(headers)
        self.content = content

    def body(self) -> bytes:
        """The whole body."""
        return self.content


class _Headers:
    """Where msrest's credentials policy writes the bearer header (`signed_session(session)`)."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class SessionDriver(AsyncHTTPSender):
    """msrest's async HTTP driver interface, sending on a shared aiohttp session.

    botbuilder's AsyncBfPipeline signs `driver.session` with the client's credentials and
    then calls `send`; the shared session outlives every client, so entering and leaving a
    client's pipeline neither opens nor closes it.
    """

    def __init__(self, http: aiohttp.ClientSession) -> None:
        self._http = http
        self.session = _Headers()

    async def __aenter__(self) -> SessionDriver:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None

    async def send(self, request: ClientRequest, **_config: Any) -> ConnectorAnswer:
        """Send one request with the signed headers; the answer with its body read."""
        headers = {**dict(request.headers), **self.session.headers}
        async with self._http.request(
            request.method, request.url, headers=headers, data=request.data
        ) as response:
            content = await response.read()
            return ConnectorAnswer(
                request, response.status, response.reason or "", response.headers, content
            )


class ConnectorClients(ConnectorFactory):  # type: ignore[misc]
    """botbuilder's connector factory for the one app id netpuls runs as."""

    def __init__(
        self,
        credentials: ServiceClientCredentialsFactory,
        app_id: str,
        login_url: str,
        scope: str,
        http: aiohttp.ClientSession,
    ) -> None:
        self._credentials = credentials
        self._app_id = app_id
        self._login_url = login_url
        self._scope = scope
        self._http = http
        self._signed: dict[str, Authentication] = {}
        self._clients: dict[tuple[str, str], ConnectorClient] = {}

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The client for this service URL and audience, built on first use."""
        scope = audience or self._scope
        client = self._clients.get((service_url, scope))
        if client is None:
            if len(self._clients) >= MAX_CLIENTS:
                # Teams uses a handful of regional URLs; a bound keeps a flood of odd ones cheap.
                self._clients.pop(next(iter(self._clients)))
            credentials = await self.credentials(scope)
            client = ConnectorClient(
                credentials,
                base_url=service_url,
                pipeline_type=AsyncBfPipeline,
                driver=SessionDriver(self._http),
            )
            client.config.add_user_agent(USER_AGENT)
            self._clients[(service_url, scope)] = client
        return client

    async def credentials(self, scope: str) -> Authentication:
        """botbuilder's credentials for this audience, kept for the life of the process."""
        known = self._signed.get(scope)
        if known is None:
            known = await self._credentials.create_credentials(
                self._app_id, scope, self._login_url, True
            )
            _configure_msal(known)
            self._signed[scope] = known
        return known


def _configure_msal(credentials: Authentication) -> None:
    """Give botbuilder's app-password credentials the msal application they would build,
    with two options botbuilder 4.17.1 does not pass: a timeout (its token requests run on
    the event loop) and no instance discovery (msal would ask login.microsoftonline.com
    whether the configured authority is a known cloud; the authority is our configuration,
    and Microsoft's own hosts are known to msal without asking)."""
    if not isinstance(credentials, MicrosoftAppCredentials) or not credentials.microsoft_app_id:
        return  # no app id (local use) or a managed identity: botbuilder's own path
    credentials.app = ConfidentialClientApplication(
        client_id=credentials.microsoft_app_id,
        client_credential=credentials.microsoft_app_password,
        authority=credentials.oauth_endpoint,
        instance_discovery=False,
        timeout=TOKEN_TIMEOUT_SECONDS,
    )
