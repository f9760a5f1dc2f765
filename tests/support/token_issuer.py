"""A local token issuer: OpenID metadata, JWKS, a client-credentials endpoint, signed tokens."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class TokenIssuer:
    """Signs Bot Framework style tokens with a key it publishes; a second key stays secret."""

    kid: str = "netpuls-test-key"
    endorsements: tuple[str, ...] = ("msteams",)
    key: rsa.RSAPrivateKey = field(default_factory=_key)
    rogue_key: rsa.RSAPrivateKey = field(default_factory=_key)
    base_url: str = ""
    token_requests: int = 0

    def app(self) -> web.Application:
        """Metadata, keys and token endpoint."""
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_post("/token", self._token)
        return app

    @property
    def metadata_url(self) -> str:
        """Where the OpenID metadata is served."""
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

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
                "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, _request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", endorsements=list(self.endorsements))
        return web.json_response({"keys": [jwk]})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests += 1
        if form.get("grant_type") != "client_credentials" or not form.get("client_secret"):
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": f"outbound-{form.get('client_id')}",
            }
        )
