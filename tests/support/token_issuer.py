"""A local token issuer: the channel's OpenID metadata and keys, an Entra ID authority and an
App Service managed-identity endpoint, all on loopback, recording who asked for tokens."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
# Entra ID's v2 issuer as its common metadata names it; a token carries its tenant in place.
ENTRA_ISSUER = "https://login.microsoftonline.com/{tenantid}/v2.0"
MSI_HEADER = "netpuls-test-identity-header"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _instance() -> str:
    # botbuilder caches a metadata URL's keys for the whole process: a path of its own per
    # issuer keeps one test's keys from answering for the next issuer on a reused port.
    return uuid.uuid4().hex[:12]


@dataclass
class TokenIssuer:
    """Signs Bot Framework style tokens with a key it publishes; a second key stays secret."""

    kid: str = "netpuls-test-key"
    endorsements: tuple[str, ...] = ("msteams",)
    key: rsa.RSAPrivateKey = field(default_factory=_key)
    rogue_key: rsa.RSAPrivateKey = field(default_factory=_key)
    base_url: str = ""
    instance: str = field(default_factory=_instance)
    token_tenants: list[str] = field(default_factory=list)  # the tenant of each token request
    identity_clients: list[str] = field(default_factory=list)  # managed-identity client ids

    def app(self) -> web.Application:
        """Channel metadata and keys, the authority's metadata and token endpoint, and MSI."""
        app = web.Application()
        app.router.add_get(f"/{self.instance}/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get(f"/{self.instance}/v1/.well-known/keys", self._keys)
        app.router.add_get(f"/{self.instance}/common/v2.0/metadata", self._entra_metadata)
        app.router.add_get(f"/{self.instance}/common/discovery/v2.0/keys", self._keys)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._authority)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/msi/token", self._managed_identity)
        return app

    @property
    def metadata_url(self) -> str:
        """Where the channel's OpenID metadata is served."""
        return f"{self.base_url}/{self.instance}/v1/.well-known/openidconfiguration"

    @property
    def entra_metadata_url(self) -> str:
        """Where Entra ID's v2 metadata (issuer per tenant, keys) is served."""
        return f"{self.base_url}/{self.instance}/common/v2.0/metadata"

    def access_token(
        self,
        claims: dict[str, Any],
        *,
        lifetime: int = 3600,
        rogue: bool = False,
        **replaced: Any,
    ) -> str:
        """A Teams SSO access token: documented `claims` (tests/contracts/entra), with
        `replaced` claims, the issuer of their tenant unless given, valid from now."""
        now = int(time.time())
        body = {**claims, **replaced, "iat": now, "nbf": now - 5, "exp": now + lifetime}
        if "iss" not in replaced:
            body["iss"] = ENTRA_ISSUER.replace("{tenantid}", str(body["tid"]))
        return jwt.encode(
            body,
            self.rogue_key if rogue else self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )

    @property
    def msi_endpoint(self) -> str:
        """The managed-identity endpoint, as App Service announces it in IDENTITY_ENDPOINT."""
        return f"{self.base_url}/msi/token"

    @property
    def token_requests(self) -> int:
        """How many client-credential tokens were handed out."""
        return len(self.token_tenants)

    def sign(
        self,
        *,
        app_id: str,
        service_url: str,
        lifetime: int = 3600,
        issuer: str = ISSUER,
        rogue: bool = False,
        kid: str | None = None,
        algorithm: str = "RS256",
        **extra: Any,
    ) -> str:
        """A token as the Bot Framework channel would send it (or a forged variant)."""
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 5,
            "exp": now + lifetime,
            **extra,
        }
        return jwt.encode(
            claims,
            self.rogue_key if rogue else self.key,
            algorithm=algorithm,
            headers={"kid": kid or self.kid},
        )

    async def _metadata(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ISSUER,
                "jwks_uri": f"{self.base_url}/{self.instance}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _entra_metadata(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ENTRA_ISSUER,
                "jwks_uri": f"{self.base_url}/{self.instance}/common/discovery/v2.0/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, _request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", endorsements=list(self.endorsements))
        return web.json_response({"keys": [jwk]})

    async def _authority(self, request: web.Request) -> web.Response:
        """What Entra ID publishes per tenant; msal reads it before asking for a token."""
        root = f"{self.base_url}/{request.match_info['tenant']}"
        return web.json_response(
            {
                "issuer": f"{root}/v2.0",
                "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
                "token_endpoint": f"{root}/oauth2/v2.0/token",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "client_credentials" or not form.get("client_secret"):
            return web.json_response({"error": "invalid_client"}, status=401)
        self.token_tenants.append(request.match_info["tenant"])
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": f"outbound-{form.get('client_id')}",
            }
        )

    async def _managed_identity(self, request: web.Request) -> web.Response:
        """App Service's managed-identity endpoint (what msal calls with IDENTITY_ENDPOINT)."""
        if request.headers.get("X-IDENTITY-HEADER") != MSI_HEADER:
            return web.json_response({"statusCode": 401, "message": "no header"}, status=401)
        client_id = request.query.get("client_id", "")
        self.identity_clients.append(client_id)
        return web.json_response(
            {
                "access_token": f"msi-{client_id}",
                "expires_on": str(int(time.time()) + 3600),
                "resource": request.query.get("resource"),
                "token_type": "Bearer",
            }
        )
