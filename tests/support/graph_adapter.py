"""The msgraph adapter connected to the local Graph stand-in, for the adapter's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graph.client import GraphConnection
from graph.config import GraphConfig
from tests.support.graph_server import CLIENT_ID, CLIENT_SECRET, TENANT
from tests.support.tls import LoopbackCertificate


def stand_in(url: str, tls: LoopbackCertificate) -> dict[str, Any]:
    """Where the stand-in at `url` is, how to sign in to it, what TLS to trust; no retry waits."""
    return {
        "base_url": f"{url}/v1.0",
        "authority": url,
        "tenant_id": TENANT,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "ca_bundle": str(tls.cert_path),
        "retry_delay": 0.0,
    }


def config(url: str, tls: LoopbackCertificate, **changes: Any) -> GraphConfig:
    """The adapter's configuration for the stand-in at `url`."""
    return GraphConfig(**(stand_in(url, tls) | changes))


@asynccontextmanager
async def connected(
    url: str, tls: LoopbackCertificate, **changes: Any
) -> AsyncIterator[GraphConnection]:
    """A connection to the stand-in at `url`, closed on the way out."""
    connection = GraphConnection(config(url, tls, **changes))
    try:
        yield connection
    finally:
        await connection.aclose()
