"""A minimal local Bot Connector for the benchmark: answers every send with 201 and counts.

It also answers a roster look-up for a bench user, so netpuls can find the person behind
an RSVP click the way it does in Teams (by the roster e-mail, on the first click).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from aiohttp import web

from bench.scenarios import bench_email


@dataclass
class _Counter:
    replies: int = 0


COUNTER = web.AppKey("counter", _Counter)


async def _send(request: web.Request) -> web.Response:
    await request.read()
    counter = request.app[COUNTER]
    counter.replies += 1
    return web.json_response({"id": f"reply-{counter.replies}"}, status=201)


async def _member(request: web.Request) -> web.Response:
    """The roster entry of one member: a bench user's e-mail, as Teams gives it."""
    member_id = request.match_info["mid"]
    email = bench_email(member_id)
    return web.json_response(
        {"id": member_id, "name": email, "email": email, "userPrincipalName": email}
    )


async def _stats(request: web.Request) -> web.Response:
    return web.json_response({"replies": request.app[COUNTER].replies})


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def sink_app() -> web.Application:
    """POST .../activities[/{id}] -> 201; GET .../members/{id} -> a bench user; GET /stats."""
    app = web.Application()
    app[COUNTER] = _Counter()
    app.router.add_post("/v3/conversations/{cid}/activities", _send)
    app.router.add_post("/v3/conversations/{cid}/activities/{aid}", _send)
    app.router.add_get("/v3/conversations/{cid}/members/{mid}", _member)
    app.router.add_get("/stats", _stats)
    app.router.add_get("/healthz", _healthz)
    return app


def main() -> None:
    """Serve the sink on 127.0.0.1."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(sink_app(), host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
