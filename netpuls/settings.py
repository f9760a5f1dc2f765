"""Configuration from the environment (and an optional .env), validated once at start."""

from __future__ import annotations

import functools
import ipaddress
import secrets
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.engagement import DigestFrequency

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/netpuls.db"
# Entra ID's v2 metadata for every tenant; its issuer names {tenantid}, the token's tid.
ENTRA_OPENID_METADATA_URL = (
    "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
)
# An HMAC-SHA256 key shorter than the hash's output is weaker than the hash (RFC 2104, 3).
MIN_SIGNING_KEY_BYTES = 32
# Where the bot serves the record of processing (docs/privacy.md).
PRIVACY_RECORD_PATH = "/privacy"
# MicrosoftAppType as the Azure Bot resource names it (botbuilder reads it case-insensitively).
APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")


class Settings(BaseSettings):
    """Every setting netpuls reads; docs/operations.md's configuration table lists them."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    app_id: str = Field(default="", validation_alias=AliasChoices("MicrosoftAppId", "app_id"))
    app_password: str = Field(
        default="", validation_alias=AliasChoices("MicrosoftAppPassword", "app_password")
    )
    app_type: str = Field(
        default="MultiTenant", validation_alias=AliasChoices("MicrosoftAppType", "app_type")
    )
    app_tenant_id: str = Field(
        default="", validation_alias=AliasChoices("MicrosoftAppTenantId", "app_tenant_id")
    )
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("HOST", "host"))
    port: int = Field(default=3978, validation_alias=AliasChoices("PORT", "port"))
    openid_metadata_url: str = Field(
        default="https://login.botframework.com/v1/.well-known/openidconfiguration",
        validation_alias=AliasChoices("BOT_OPENID_METADATA_URL", "openid_metadata_url"),
    )
    token_issuer: str = Field(
        default="https://api.botframework.com",
        validation_alias=AliasChoices("BOT_TOKEN_ISSUER", "token_issuer"),
    )
    # Entra ID, where outbound tokens come from: <authority>/<MicrosoftAppTenantId> for a
    # single-tenant bot, <authority>/botframework.com for a multi-tenant one.
    login_authority: str = Field(
        default="https://login.microsoftonline.com",
        validation_alias=AliasChoices("BOT_LOGIN_AUTHORITY", "login_authority"),
    )
    oauth_scope: str = Field(
        default="https://api.botframework.com",
        validation_alias=AliasChoices("BOT_OAUTH_SCOPE", "oauth_scope"),
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:3978",
        validation_alias=AliasChoices("PUBLIC_BASE_URL", "public_base_url"),
    )
    # Signs the links on cards (calendar files, exports). Never derived from another setting:
    # with an app id it must be given (create_app refuses to start without it).
    signing_key: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_SIGNING_KEY", "signing_key")
    )
    # The key before the last rotation: links it signed stay valid until they expire.
    signing_key_previous: str = Field(
        default="",
        validation_alias=AliasChoices("NETPULS_SIGNING_KEY_PREVIOUS", "signing_key_previous"),
    )
    # The publisher the Teams app package names (manifest.json's "developer").
    developer_name: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_DEVELOPER_NAME", "developer_name")
    )
    website_url: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_WEBSITE_URL", "website_url")
    )
    # Empty: the record of processing this bot serves at PUBLIC_BASE_URL/privacy (see privacy_page).
    privacy_url: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_PRIVACY_URL", "privacy_url")
    )
    terms_url: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_TERMS_URL", "terms_url")
    )
    scheduler_enabled: bool = Field(
        default=True, validation_alias=AliasChoices("NETPULS_SCHEDULER", "scheduler_enabled")
    )
    cadence_grace_hours: float = Field(
        default=24.0, validation_alias=AliasChoices("CADENCE_GRACE_HOURS", "cadence_grace_hours")
    )
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))
    default_language: str = Field(
        default="en", validation_alias=AliasChoices("NETPULS_DEFAULT_LANGUAGE", "default_language")
    )
    # Sends per second to one tenant, for the bot as a whole: replicas share it through the
    # database (services/send_budget.py), so every replica is given the whole limit.
    delivery_tenant_rate: float = Field(
        default=30.0,
        gt=0,
        validation_alias=AliasChoices("DELIVERY_TENANT_RATE", "delivery_tenant_rate"),
    )
    delivery_max_attempts: int = Field(
        default=6,
        ge=1,
        validation_alias=AliasChoices("DELIVERY_MAX_ATTEMPTS", "delivery_max_attempts"),
    )

    # Microsoft Graph (material filing). Tenant, client id and secret fall back to the bot's.
    graph_base_url: str = Field(
        default="https://graph.microsoft.com/v1.0",
        validation_alias=AliasChoices("GRAPH_BASE_URL", "graph_base_url"),
    )
    graph_authority: str = Field(
        default="https://login.microsoftonline.com",
        validation_alias=AliasChoices("GRAPH_AUTHORITY", "graph_authority"),
    )
    graph_tenant_id: str = Field(
        default="", validation_alias=AliasChoices("GRAPH_TENANT_ID", "graph_tenant_id")
    )
    graph_client_id: str = Field(
        default="", validation_alias=AliasChoices("GRAPH_CLIENT_ID", "graph_client_id")
    )
    graph_client_secret: str = Field(
        default="", validation_alias=AliasChoices("GRAPH_CLIENT_SECRET", "graph_client_secret")
    )
    graph_ca_bundle: str = Field(
        default="", validation_alias=AliasChoices("GRAPH_CA_BUNDLE", "graph_ca_bundle")
    )
    graph_max_retries: int = Field(
        default=5,
        ge=0,
        le=10,
        validation_alias=AliasChoices("GRAPH_MAX_RETRIES", "graph_max_retries"),
    )
    graph_retry_delay: float = Field(
        default=3.0,
        ge=0,
        le=180,
        validation_alias=AliasChoices("GRAPH_RETRY_DELAY", "graph_retry_delay"),
    )
    # Evaluation totals are shown from this many answers, so one answer cannot be traced.
    evaluation_min_answers: int = Field(
        default=3,
        ge=1,
        le=100,
        validation_alias=AliasChoices("NETPULS_EVALUATION_MIN_ANSWERS", "evaluation_min_answers"),
    )
    material_max_mb: int = Field(
        default=100, ge=1, validation_alias=AliasChoices("MATERIAL_MAX_MB", "material_max_mb")
    )
    material_file_types: str = Field(
        default="", validation_alias=AliasChoices("MATERIAL_FILE_TYPES", "material_file_types")
    )
    # Sparring pairs between meetings: every N weeks from each network's start; 0 = off.
    pairs_every_weeks: int = Field(
        default=0,
        ge=0,
        le=52,
        validation_alias=AliasChoices("PAIRS_EVERY_WEEKS", "pairs_every_weeks"),
    )
    pairs_follow_up_days: int = Field(
        default=7,
        ge=1,
        le=60,
        validation_alias=AliasChoices("PAIRS_FOLLOW_UP_DAYS", "pairs_follow_up_days"),
    )
    # Outlook events with Teams links for meetings; empty: members use the agenda's .ics.
    graph_organiser_mailbox: str = Field(
        default="",
        validation_alias=AliasChoices("NETPULS_GRAPH_ORGANISER_MAILBOX", "graph_organiser_mailbox"),
    )
    # The digest of what happened, to each network's channel; a period with nothing new is
    # skipped, so weekly stays silent in quiet weeks.
    digest: DigestFrequency = Field(
        default=DigestFrequency.WEEKLY, validation_alias=AliasChoices("NETPULS_DIGEST", "digest")
    )
    # Where the tab's browser packages (Fluent UI, its tokens, TeamsJS) are: the `node_modules`
    # that `npm ci` fills; unset, the one beside the code. docs/tab.md.
    tab_assets_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("NETPULS_TAB_ASSETS", "tab_assets_dir")
    )
    engagement_quiet_days: int = Field(
        default=60,
        ge=1,
        le=3650,
        validation_alias=AliasChoices("ENGAGEMENT_QUIET_DAYS", "engagement_quiet_days"),
    )
    # Personal data is anonymised this many months after a network's end (docs/privacy.md).
    retention_months: int = Field(
        default=6,
        ge=1,
        le=120,
        validation_alias=AliasChoices("NETPULS_RETENTION_MONTHS", "retention_months"),
    )
    # Dietary needs and notes are deleted this many days after each meeting.
    diet_retention_days: int = Field(
        default=14,
        ge=0,
        le=365,
        validation_alias=AliasChoices("NETPULS_DIET_RETENTION_DAYS", "diet_retention_days"),
    )
    # The tab's sign-in (docs/tab.md): Teams SSO tokens are checked against the keys this
    # OpenID metadata names, for the app registration whose API the tab exposes.
    tab_openid_metadata_url: str = Field(
        default=ENTRA_OPENID_METADATA_URL,
        validation_alias=AliasChoices("NETPULS_TAB_OPENID_METADATA_URL", "tab_openid_metadata_url"),
    )
    tab_app_id: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_TAB_APP_ID", "tab_app_id")
    )
    tab_resource: str = Field(
        default="", validation_alias=AliasChoices("NETPULS_TAB_RESOURCE", "tab_resource")
    )
    tab_session_minutes: int = Field(
        default=480,
        ge=5,
        le=7 * 24 * 60,
        validation_alias=AliasChoices("NETPULS_TAB_SESSION_MINUTES", "tab_session_minutes"),
    )

    # The Agents Playground demo only: `demo <role>` lets one person act as each of the demo
    # network's people (bot/teams/demo.py). Refused with an app id, so never in production.
    demo_personas: bool = Field(
        default=False, validation_alias=AliasChoices("NETPULS_DEMO_PERSONAS", "demo_personas")
    )

    @model_validator(mode="after")
    def _demo_personas_only_in_the_playground(self) -> Self:
        """The persona switch lets anyone act as anyone: only for the anonymous local bot."""
        if self.demo_personas and not self.anonymous:
            raise ValueError(
                "NETPULS_DEMO_PERSONAS is for the Agents Playground only: it cannot be set "
                "together with MicrosoftAppId"
            )
        return self

    @model_validator(mode="after")
    def _app_type_is_complete(self) -> Self:
        """MicrosoftAppType names a known registration and has what that type needs."""
        kind = {t.lower(): t for t in APP_TYPES}.get(self.app_type.strip().lower())
        if kind is None:
            raise ValueError(
                f"MicrosoftAppType={self.app_type!r} is not one of {', '.join(APP_TYPES)}"
            )
        self.app_type = kind
        needs = {
            "SingleTenant": ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId"),
            # The identity's client id is the bot's app id; botbuilder also wants its tenant.
            "UserAssignedMSI": ("MicrosoftAppId", "MicrosoftAppTenantId"),
        }.get(kind, ())
        given = {
            "MicrosoftAppId": self.app_id,
            "MicrosoftAppPassword": self.app_password,
            "MicrosoftAppTenantId": self.app_tenant_id,
        }
        missing = [name for name in needs if not given[name].strip()]
        if missing:
            raise ValueError(f"MicrosoftAppType={kind} needs {' and '.join(missing)}")
        return self

    def login_url(self) -> str:
        """The Entra ID authority outbound tokens are requested from, tenant included."""
        tenant = self.app_tenant_id.strip() if self.app_type != "MultiTenant" else ""
        return f"{self.login_authority.rstrip('/')}/{tenant or 'botframework.com'}"

    def tab_client_id(self) -> str:
        """The app registration whose API the tab's SSO tokens are for: NETPULS_TAB_APP_ID,
        else the bot's MicrosoftAppId; empty when neither is set (SSO is off)."""
        return (self.tab_app_id or self.app_id).strip()

    def tab_sso_resource(self) -> str:
        """The application ID URI of that API, as the manifest's webApplicationInfo names it:
        NETPULS_TAB_RESOURCE, else api://<PUBLIC_BASE_URL's host>/botid-<app id> (the form
        Microsoft gives for an app with a bot and a tab)."""
        if self.tab_resource.strip():
            return self.tab_resource.strip()
        client = self.tab_client_id()
        if not client:
            return ""
        try:
            host = (urlsplit(self.public_base_url.strip()).hostname or "").lower()
        except ValueError:
            host = ""
        return f"api://{host}/botid-{client}" if host else f"api://botid-{client}"

    def tab_tenant(self) -> str | None:
        """The one tenant whose people may sign in to the tab, for a single-tenant app; None
        for a multi-tenant one (the networks' own tenant bindings still apply)."""
        if self.app_type == "MultiTenant":
            return None
        return self.app_tenant_id.strip().lower() or None

    def privacy_page(self) -> str:
        """The app's privacy statement: NETPULS_PRIVACY_URL, or else the record of processing the
        bot serves at its public https address; empty when there is neither."""
        if self.privacy_url.strip():
            return self.privacy_url.strip()
        if is_public_https(self.public_base_url):
            return self.public_base_url.strip().rstrip("/") + PRIVACY_RECORD_PATH
        return ""

    @property
    def anonymous(self) -> bool:
        """True when no app id is set: inbound authentication is off."""
        return not self.app_id.strip()

    def link_keys(self) -> tuple[bytes, tuple[bytes, ...]]:
        """The key new links are signed with, and the earlier key that still verifies links.

        Anonymous (loopback only) without NETPULS_SIGNING_KEY: a random key for this process,
        so links in cards posted before a restart stop working; nothing is derived."""
        previous = (self.signing_key_previous.encode(),) if self.signing_key_previous else ()
        if self.signing_key:
            return self.signing_key.encode(), previous
        if not self.anonymous:
            raise ValueError("NETPULS_SIGNING_KEY is not set")
        return _process_key(), previous

    def production_problems(self) -> list[str]:
        """What keeps a bot with an app id from being safe to serve, each naming its setting."""
        if self.anonymous:
            return []
        problems = []
        if len(self.signing_key.encode()) < MIN_SIGNING_KEY_BYTES:
            problems.append(_short_key("NETPULS_SIGNING_KEY"))
        if self.signing_key_previous and len(self.signing_key_previous.encode()) < (
            MIN_SIGNING_KEY_BYTES
        ):
            problems.append(_short_key("NETPULS_SIGNING_KEY_PREVIOUS"))
        if not is_public_https(self.public_base_url):
            problems.append(
                f"PUBLIC_BASE_URL must be the bot's public https address, not loopback, when "
                f"MicrosoftAppId is set (the links on cards point there); it is "
                f"{self.public_base_url!r}"
            )
        return problems

    def host_is_loopback(self) -> bool:
        """Whether HOST names only this machine."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def sqlite_path(self) -> Path | None:
        """The SQLite file behind DATABASE_URL, if it is one."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix) :]
            return None if rest in ("", ":memory:") else Path(rest)
        return None


def is_public_https(url: str) -> bool:
    """An https URL whose host is a name or address other than this machine's."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:  # e.g. an unbalanced [ in the address
        return False
    if parts.scheme != "https" or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always loopback
        return False
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return not (address.is_loopback or address.is_unspecified)


def _short_key(name: str) -> str:
    return (
        f"{name} must be a random secret of at least {MIN_SIGNING_KEY_BYTES} bytes when "
        f"MicrosoftAppId is set (it signs the links on cards; `openssl rand -base64 48` makes one)"
    )


@functools.cache
def _process_key() -> bytes:
    """One random link key per process, made when first asked for (not at import)."""
    return secrets.token_bytes(MIN_SIGNING_KEY_BYTES)
