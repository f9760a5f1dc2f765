"""Graph settings, read without importing msgraph (it is large; only a configured bot loads it)."""

from __future__ import annotations

from dataclasses import dataclass

from netpuls.settings import Settings


@dataclass(frozen=True, slots=True)
class GraphConfig:
    """Where Graph and its token authority are, who the app is, and how hard to retry."""

    base_url: str
    authority: str
    tenant_id: str
    client_id: str
    client_secret: str
    ca_bundle: str = ""
    max_retries: int = 5
    retry_delay: float = 3.0
    timeout: float = 100.0


def graph_config(settings: Settings) -> GraphConfig | None:
    """The Graph configuration, or None when no tenant, client id or secret is known."""
    tenant = settings.graph_tenant_id or settings.app_tenant_id
    client_id = settings.graph_client_id or settings.app_id
    secret = settings.graph_client_secret or settings.app_password
    if not (tenant and client_id and secret):
        return None
    return GraphConfig(
        base_url=settings.graph_base_url.rstrip("/"),
        authority=settings.graph_authority.rstrip("/"),
        tenant_id=tenant,
        client_id=client_id,
        client_secret=secret,
        ca_bundle=settings.graph_ca_bundle,
        max_retries=settings.graph_max_retries,
        retry_delay=settings.graph_retry_delay,
    )
