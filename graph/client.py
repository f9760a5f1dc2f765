"""The Graph connection: one pooled httpx client with msgraph's middleware, app-only tokens."""

from __future__ import annotations

import ssl
from collections.abc import Awaitable
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from azure.core.exceptions import ClientAuthenticationError
from azure.identity.aio import ClientSecretCredential
from kiota_abstractions.api_error import APIError
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.middleware.middleware import REQUEST_OPTIONS_KEY
from kiota_http.middleware.options import RetryHandlerOption
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.graph_request_adapter import GraphRequestAdapter
from msgraph.graph_service_client import GraphServiceClient
from msgraph_core import GraphClientFactory  # type: ignore[import-untyped]

from graph.config import GraphConfig
from services.graph_port import GraphFailure

T = TypeVar("T")

# App-only tokens are always for the whole API: the app's granted application permissions.
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
# msgraph's transport runs its middleware (retries included) only for requests carrying kiota's
# request options; raw transfers on the same client pass this (empty) set to get them too.
THROUGH_MIDDLEWARE: dict[str, object] = {REQUEST_OPTIONS_KEY: {}}


class GraphConnection:
    """msgraph's GraphServiceClient on a pooled httpx client that the file transfers share.

    Every request, the SDK's and the raw transfers alike, passes kiota's RetryHandler: 429, 503
    and 504 are retried up to `max_retries` times, after `Retry-After` when Graph sends it and
    with exponential backoff otherwise. There is no second retry loop anywhere in netpuls.
    """

    def __init__(self, config: GraphConfig) -> None:
        self.config = config
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=config.ca_bundle) if config.ca_bundle else True
        )
        client = httpx.AsyncClient(
            base_url=config.base_url,
            timeout=httpx.Timeout(config.timeout, connect=30.0),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            verify=verify,
        )
        retry = RetryHandlerOption(delay=config.retry_delay, max_retries=config.max_retries)
        self.http: httpx.AsyncClient = GraphClientFactory.create_with_default_middleware(
            client=client, options={RetryHandlerOption.get_key(): retry}
        )
        # No instance discovery: the authority is used as configured, nothing else is called.
        self.credential = ClientSecretCredential(
            config.tenant_id,
            config.client_id,
            config.client_secret,
            authority=config.authority,
            disable_instance_discovery=True,
            connection_verify=config.ca_bundle or True,
        )
        host = urlsplit(config.base_url).hostname or ""
        # Tokens go to the Graph host only; upload and download URLs never get one.
        auth = AzureIdentityAuthenticationProvider(
            self.credential, scopes=[GRAPH_SCOPE], allowed_hosts=[host]
        )
        self.adapter = GraphRequestAdapter(auth, client=self.http)
        # httpx appends a slash to its base URL; the SDK's URL templates bring their own.
        self.adapter.base_url = config.base_url.rstrip("/")
        self.client = GraphServiceClient(request_adapter=self.adapter)

    async def aclose(self) -> None:
        """Close the pooled connections and the credential's session."""
        await self.http.aclose()
        await self.credential.close()


async def call(pending: Awaitable[T | None]) -> T:
    """The SDK call's result; every failure becomes a GraphFailure with Graph's error code."""
    try:
        result = await pending
    except ODataError as exc:
        main = exc.error
        code = (main.code if main else None) or "unknown"
        message = (main.message if main else None) or str(exc)
        raise GraphFailure(exc.response_status_code or 0, code, message) from exc
    except APIError as exc:
        raise GraphFailure(exc.response_status_code or 0, "apiError", str(exc.message)) from exc
    except ClientAuthenticationError as exc:
        raise GraphFailure(401, "authenticationFailed", exc.message) from exc
    except httpx.HTTPError as exc:
        raise GraphFailure(0, "network", str(exc)) from exc
    if result is None:
        raise GraphFailure(502, "emptyResponse", "Graph answered without a body")
    return result
