"""A small Bot Connector client: one client per service URL, kept connections underneath.

botbuilder's stock path builds a fresh msrest `ConnectorClient` for every turn and sends
through synchronous `requests` in a thread pool. This module replaces it behind botbuilder's
own seam (`ConnectorFactory.create`), implementing the Connector REST calls botbuilder's
`CloudAdapterBase` and `TeamsInfo` make, with botbuilder's schema objects in and out, over
the process's one `bot.teams.http1.Http1` (keep-alive HTTP/1.1 connections per origin).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import orjson
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationResourceResponse,
    ErrorResponseException,
    PagedMembersResult,
    ResourceResponse,
)
from botbuilder.schema.teams import TeamDetails, TeamsPagedMembersResult
from botframework.connector import models as connector_models
from botframework.connector.auth import AppCredentials, ConnectorFactory
from msrest.exceptions import ClientException

from bot.teams.codec import Codec
from bot.teams.http1 import Answer, Http1, Origin

log = logging.getLogger(__name__)
USER_AGENT = "netpuls (Microsoft-BotFramework/3.1)"
MAX_CLIENTS = 256
_SENT = (200, 201, 202)
_NO_BODY = {"Accept": "application/json", "User-Agent": USER_AGENT}
_JSON_BODY = {**_NO_BODY, "Content-Type": "application/json; charset=utf-8"}


class Tokens(Protocol):
    """Where outbound bearer tokens come from (bot.teams.auth.OutboundTokens)."""

    async def token(self, *, refresh: bool = False) -> str: ...

    def credentials(self) -> AppCredentials: ...


@dataclass(frozen=True, slots=True)
class ConnectorResponse:
    """The parts of an HTTP answer botbuilder code reads from `exc.response`."""

    status_code: int
    reason: str
    headers: Mapping[str, str]
    text: str

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


class ConnectorError(ErrorResponseException):  # type: ignore[misc]
    """A non-2xx answer, shaped as botbuilder's ErrorResponseException (`response.status_code`)."""

    def __init__(self, method: str, url: str, response: ConnectorResponse, error: Any) -> None:
        # HttpOperationError.__init__ wants msrest's response object; set its fields directly.
        self.response = response
        self.status_code = response.status_code
        self.error = error
        code = getattr(getattr(error, "error", None), "code", None)
        self.code: str | None = code
        self.message = f"{method} {url} answered {response.status_code} {code or response.reason}"
        ClientException.__init__(self, self.message)

    @property
    def retry_after(self) -> float | None:
        """Seconds the Connector asked us to wait (429/503), if it said."""
        value = self.response.headers.get("Retry-After")
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None


@functools.cache
def codec() -> Codec:
    """Built once per process: msrest builds its (de)serializers anew on every call."""
    models = {k: v for k, v in connector_models.__dict__.items() if isinstance(v, type)}
    return Codec(models)


@dataclass(slots=True)
class _Endpoint:
    """One service URL on the shared connections; adds the token and maps errors."""

    http: Http1
    tokens: Tokens | None
    base_url: str
    codec: Codec
    origin: Origin = field(init=False)

    def __post_init__(self) -> None:
        self.origin = Origin.of(self.base_url)

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> Any:
        """Send one request; the JSON answer, or ConnectorError on an unexpected status."""
        target = path  # the ids in it are quoted already, exactly as msrest quotes them
        given = {k: v for k, v in (query or {}).items() if v is not None}
        if given:
            target += "?" + urlencode(given)
        data = None if body is None else _dumps(body)
        for attempt in (1, 2):
            sent = _JSON_BODY if data is not None else _NO_BODY
            if headers or self.tokens is not None:
                sent = {**sent, **(headers or {})}
            if self.tokens is not None:
                sent["Authorization"] = "Bearer " + await self.tokens.token(refresh=attempt == 2)
            response = await self.http.request(self.origin, method, target, sent, data)
            if response.status == 401 and self.tokens is not None and attempt == 1:
                # A token revoked or rotated before its expiry: fetch a new one, once.
                log.info("connector answered 401; retrying with a fresh token")
                continue
            if response.status not in ok:
                raise self._error(method, self.base_url + target, response)
            raw = response.body
            return orjson.loads(raw) if raw.strip() else None
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, method: str, url: str, response: Answer) -> ConnectorError:
        text = response.body.decode(errors="replace")
        answer = ConnectorResponse(response.status, response.reason, response.headers, text)
        try:
            error = self.codec.from_json("ErrorResponse", answer.json())
        except Exception:  # an HTML error page or an empty body: keep the status only
            error = None
        return ConnectorError(method, url, answer, error)

    def model(self, type_name: str, value: Any) -> Any:
        """A botbuilder schema object from JSON, as msrest's client returns it."""
        return self.codec.from_json(type_name, value)

    def json(self, model: Any) -> Any:
        """A botbuilder schema object as JSON data for a request body."""
        return self.codec.to_json(model)


def _id(value: str) -> str:
    return quote(str(value), safe="")


class ConversationsOperations:
    """The `client.conversations` calls botbuilder's adapter and TeamsInfo make."""

    def __init__(self, endpoint: _Endpoint) -> None:
        self._e = endpoint

    async def send_to_conversation(
        self, conversation_id: str, activity: Activity
    ) -> ResourceResponse:
        """POST /v3/conversations/{id}/activities."""
        path = f"/v3/conversations/{_id(conversation_id)}/activities"
        answer = await self._e.call("POST", path, self._e.json(activity), ok=_SENT)
        return self._e.model("ResourceResponse", answer)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        """POST /v3/conversations/{id}/activities/{activityId}."""
        path = f"/v3/conversations/{_id(conversation_id)}/activities/{_id(activity_id)}"
        headers = {"x-ms-conversation-id": conversation_id}
        answer = await self._e.call("POST", path, self._e.json(activity), headers=headers, ok=_SENT)
        return self._e.model("ResourceResponse", answer)

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        """PUT /v3/conversations/{id}/activities/{activityId}."""
        path = f"/v3/conversations/{_id(conversation_id)}/activities/{_id(activity_id)}"
        answer = await self._e.call("PUT", path, self._e.json(activity), ok=_SENT)
        return self._e.model("ResourceResponse", answer)

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None:
        """DELETE /v3/conversations/{id}/activities/{activityId}."""
        path = f"/v3/conversations/{_id(conversation_id)}/activities/{_id(activity_id)}"
        await self._e.call("DELETE", path, ok=(200, 202, 204))

    async def create_conversation(
        self, parameters: ConversationParameters
    ) -> ConversationResourceResponse:
        """POST /v3/conversations: a 1:1 chat or a new channel thread."""
        answer = await self._e.call("POST", "/v3/conversations", self._e.json(parameters), ok=_SENT)
        return self._e.model("ConversationResourceResponse", answer)

    async def get_conversation_members(self, conversation_id: str) -> list[ChannelAccount]:
        """GET /v3/conversations/{id}/members."""
        answer = await self._e.call("GET", f"/v3/conversations/{_id(conversation_id)}/members")
        return list(self._e.model("[ChannelAccount]", answer) or [])

    async def get_conversation_member(self, conversation_id: str, member_id: str) -> ChannelAccount:
        """GET /v3/conversations/{id}/members/{memberId}; Teams fields in additional_properties."""
        path = f"/v3/conversations/{_id(conversation_id)}/members/{_id(member_id)}"
        return self._e.model("ChannelAccount", await self._e.call("GET", path))

    async def get_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> PagedMembersResult:
        """GET /v3/conversations/{id}/pagedmembers."""
        return self._e.model(
            "PagedMembersResult", await self._paged(conversation_id, page_size, continuation_token)
        )

    async def get_teams_conversation_paged_members(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> TeamsPagedMembersResult:
        """The paged roster with Teams fields (what TeamsInfo.get_paged_members calls)."""
        answer = await self._paged(conversation_id, page_size, continuation_token)
        return self._e.model("TeamsPagedMembersResult", answer)

    async def _paged(self, conversation_id: str, size: int | None, token: str | None) -> Any:
        path = f"/v3/conversations/{_id(conversation_id)}/pagedmembers"
        query = {"pageSize": size, "continuationToken": token}
        return await self._e.call("GET", path, query=query)


class TeamsOperations:
    """Teams-only reads, async (botbuilder's TeamsInfo uses a synchronous client for these)."""

    def __init__(self, endpoint: _Endpoint) -> None:
        self._e = endpoint

    async def get_team_details(self, team_id: str) -> TeamDetails:
        """GET /v3/teams/{teamId}: name, AAD group id, channel and member counts."""
        return self._e.model("TeamDetails", await self._e.call("GET", f"/v3/teams/{_id(team_id)}"))


@dataclass(frozen=True, slots=True)
class _Config:
    """What botbuilder reads from `client.config` (TeamsInfo builds a Teams client from it)."""

    base_url: str
    credentials: AppCredentials | None


class ConnectorClient:
    """The Bot Connector for one service URL; stateless apart from the shared session."""

    def __init__(self, endpoint: _Endpoint, credentials: AppCredentials | None) -> None:
        self.config = _Config(endpoint.base_url, credentials)
        self.conversations = ConversationsOperations(endpoint)
        self.teams = TeamsOperations(endpoint)


@dataclass(eq=False)
class ConnectorClients(ConnectorFactory):  # type: ignore[misc]
    """botbuilder's connector factory: clients reused per service URL, all on one Http1."""

    http: Http1
    tokens: Tokens | None
    created: int = 0
    _clients: dict[str, ConnectorClient] = field(default_factory=dict)

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The client for this service URL (netpuls runs as one app id, so one audience)."""
        return self.client(service_url)

    def client(self, service_url: str) -> ConnectorClient:
        """The client for this service URL, built on first use."""
        client = self._clients.get(service_url)
        if client is None:
            if len(self._clients) >= MAX_CLIENTS:
                # Teams uses a handful of regional URLs; a bound keeps a flood of odd ones cheap.
                self._clients.pop(next(iter(self._clients)))
            endpoint = _Endpoint(
                self.http,
                self.tokens,
                service_url.rstrip("/"),
                codec(),
            )
            credentials = self.tokens.credentials() if self.tokens is not None else None
            client = self._clients[service_url] = ConnectorClient(endpoint, credentials)
            self.created += 1
        return client


def _dumps(body: Any) -> bytes:
    """A request body as UTF-8 JSON: orjson for what JSON has, the json module otherwise."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, separators=(",", ":")).encode()
