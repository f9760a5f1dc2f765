"""The fake Bot Connector as its own process, for the fan-out benchmark.

    .venv/bin/python -m bench.fanout_connector --port 8123 --rate 30 --p429 0.05 --p5xx 0.02

tests/support/fake_connector.py with Teams' limits enforced (per conversation windows, the
tenant rate) and failures injected from a seeded RNG; GET /stats tells how many messages
each conversation received, what the fake refused, and when each POST came and how it was
answered. `--roster-networks N` puts the people of bench.day_world's first N networks on
the roster, so the bot finds who clicked.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from aiohttp import web

from bench.day_world import members
from tests.support.connector_limits import ConnectorLimits
from tests.support.fake_connector import FakeConnector

FAKE = web.AppKey("fake", FakeConnector)
POSTS = web.AppKey("posts", list[tuple[float, str, int]])


async def _stats(request: web.Request) -> web.Response:
    fake = request.app[FAKE]
    limits = fake.limits
    assert limits is not None
    return web.json_response(
        {
            "deliveries": dict(fake.deliveries()),
            "throttled": dict(limits.throttled),
            "injected": dict(limits.injected),
            # (seconds on this process's monotonic clock, conversation, answer status)
            "posts": request.app[POSTS],
        }
    )


@web.middleware
async def _log_posts(request: web.Request, handler: Any) -> web.StreamResponse:
    response: web.StreamResponse = await handler(request)
    if request.method == "POST":
        cid = request.match_info.get("cid", "")
        request.app[POSTS].append((time.monotonic(), cid, response.status))
    return response


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def connector_app(limits: ConnectorLimits, roster_networks: int = 0) -> web.Application:
    """The fake's routes plus /stats and /healthz."""
    fake = FakeConnector(limits=limits)
    for person in members(roster_networks):
        fake.members[person.user_id] = {
            "id": person.user_id,
            "name": person.email,
            "email": person.email,
            "userPrincipalName": person.email,
            "aadObjectId": person.aad,
        }
    app = fake.app()
    app.middlewares.insert(0, _log_posts)  # outermost: it sees the final answer
    app[FAKE] = fake
    app[POSTS] = []
    app.router.add_get("/stats", _stats)
    app.router.add_get("/healthz", _healthz)
    return app


def main() -> None:
    """Serve the fake Connector on 127.0.0.1."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, default=30.0, help="tenant limit, requests/s")
    parser.add_argument("--jitter", type=float, default=0.1, help="tenant pacing tolerance, s")
    parser.add_argument("--p429", type=float, default=0.05)
    parser.add_argument("--p5xx", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--roster-networks", type=int, default=0)
    args = parser.parse_args()
    limits = ConnectorLimits(
        tenant_rate=args.rate,
        tenant_jitter=args.jitter,
        p429=args.p429,
        p5xx=args.p5xx,
        seed=args.seed,
    )
    web.run_app(
        connector_app(limits, args.roster_networks),
        host="127.0.0.1",
        port=args.port,
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    main()
