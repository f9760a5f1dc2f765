"""Authentication through botbuilder's configuration-based authentication and credential factory.

botbuilder validates the channel's JWT (signature, issuer, audience, expiry, endorsement,
serviceurl) and builds the outbound credentials for MicrosoftAppType: an app password at
`<authority>/<tenant>` (SingleTenant), at the Bot Framework tenant (MultiTenant), or a
user-assigned managed identity. This module only configures it, hands it netpuls' connector
factory, and turns every failure to authenticate into one exception, for a 401.
"""

from __future__ import annotations

import logging

import aiohttp
from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ConnectorFactory,
)

from bot.teams.connector import ConnectorClients
from netpuls.settings import Settings

log = logging.getLogger(__name__)


class Unauthorized(Exception):
    """The request's credentials are missing, malformed, forged or expired."""


class FrameworkConfig:
    """The configuration botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TYPE = settings.app_type
        self.APP_TENANTID = settings.app_tenant_id
        self.TO_CHANNEL_FROM_BOT_LOGIN_URL = settings.login_url()
        self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = settings.oauth_scope
        self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = settings.token_issuer
        self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = settings.openid_metadata_url
        # Teams sends channel tokens only; a token claiming the Emulator's issuer is checked
        # against the channel's keys too, so it cannot pass.
        self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = settings.openid_metadata_url
        self.OAUTH_URL = AuthenticationConstants.OAUTH_URL


class FrameworkAuthentication(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, giving turns and proactive sends netpuls' connector factory."""

    def __init__(self, settings: Settings, http: aiohttp.ClientSession) -> None:
        config = FrameworkConfig(settings)
        credentials = ConfigurationServiceClientCredentialFactory(config)
        super().__init__(config, credentials_factory=credentials)
        self._app_id = settings.app_id
        self.connectors = ConnectorClients(
            credentials, settings.app_id, settings.login_url(), settings.oauth_scope, http
        )

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """The shared factory; botbuilder asks per turn and in continue/create_conversation."""
        claims = claims_identity.claims or {}
        app_id = claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(
            AuthenticationConstants.APP_ID_CLAIM
        )
        if app_id and app_id != self._app_id:
            raise PermissionError("unknown app id")
        return self.connectors

    async def authenticate_request(
        self, activity: Activity, auth_header: str | None
    ) -> AuthenticateRequestResult:
        """botbuilder's validation of the request, with netpuls' connector factory."""
        result = await super().authenticate_request(activity, auth_header)
        result.connector_factory = self.create_connector_factory(result.claims_identity)
        return result


async def authenticate(
    framework: FrameworkAuthentication, activity: Activity, auth_header: str | None
) -> AuthenticateRequestResult:
    """botbuilder's verdict on the request; Unauthorized for every way it can fail."""
    try:
        result: AuthenticateRequestResult = await framework.authenticate_request(
            activity, auth_header
        )
    except Exception as exc:
        # botbuilder says no in many ways: PermissionError for a wrong audience, issuer or
        # serviceurl, jwt's errors for a malformed or expired token, IndexError for an
        # unknown key id, requests' errors when the signing keys cannot be fetched. Each
        # one is the caller's missing proof of identity, never a fault of ours.
        raise Unauthorized(type(exc).__name__) from exc
    return result
