"""Configuration from the environment (and an optional .env), validated once at start."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./var/netpuls.db"


class Settings(BaseSettings):
    """Every setting netpuls reads; the README's configuration table lists them."""

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
    token_endpoint: str = Field(
        default="https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token",
        validation_alias=AliasChoices("BOT_TOKEN_ENDPOINT", "token_endpoint"),
    )
    oauth_scope: str = Field(
        default="https://api.botframework.com/.default",
        validation_alias=AliasChoices("BOT_OAUTH_SCOPE", "oauth_scope"),
    )
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))
    default_language: str = Field(
        default="en", validation_alias=AliasChoices("NETPULS_DEFAULT_LANGUAGE", "default_language")
    )

    @property
    def anonymous(self) -> bool:
        """True when no app id is set: inbound authentication is off."""
        return not self.app_id.strip()

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
