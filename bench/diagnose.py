"""`netpuls serve` with one part of a turn changed, to show where a turn's time goes.

    python -m bench.diagnose VARIANT serve --port N

Not for production: it patches netpuls at start-up. Variants:
  edge-only      the handler replies with the help text and touches no storage: what the
                 edge (aiohttp, authentication, botbuilder's turn, the connector) costs alone
  claim-only     the handler claims the activity id (one write unit of work), then replies
  no-pre-ping    netpuls as is, without pool_pre_ping on PostgreSQL (one round trip less
                 per unit of work)
  asyncio-loop   netpuls as is, on asyncio's own event loop instead of uvloop's
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from botbuilder.core import MessageFactory, TurnContext

VARIANTS = ("edge-only", "claim-only", "no-pre-ping", "asyncio-loop")
HELP_TEXT = "Here is what I can do:\n- **help**: show this list\n- **next**: the next meeting"


async def _reply(turn_context: TurnContext) -> None:
    reply = MessageFactory.text(HELP_TEXT)
    reply.text_format = "markdown"
    await turn_context.send_activity(reply)


async def _edge_only(_bot: Any, turn_context: TurnContext) -> None:
    await _reply(turn_context)


async def _claim_only(bot: Any, turn_context: TurnContext) -> None:
    from services import networks

    activity = turn_context.activity
    if await networks.claim_activity(bot._uow(), activity.conversation.id, activity.id):
        await _reply(turn_context)


def _engine_options(backend: str, **changes: Any) -> None:
    # Wrapped where storage.engine looks it up, so its SQLite pragmas and defaults stay.
    engine: Any = importlib.import_module("storage.engine")
    original = engine.create_async_engine

    def create(url: str, **kwargs: Any) -> Any:
        if url.startswith(backend):
            kwargs.update(changes)
        return original(url, **kwargs)

    engine.create_async_engine = create


def patch(variant: str) -> None:
    """Apply one variant before the app is built."""
    from bot.teams.handler import NetpulsBot

    if variant == "edge-only":
        NetpulsBot.on_message_activity = _edge_only  # type: ignore[method-assign,assignment]
    elif variant == "claim-only":
        NetpulsBot.on_message_activity = _claim_only  # type: ignore[method-assign,assignment]
    elif variant == "no-pre-ping":
        _engine_options("postgresql", pool_pre_ping=False)
    elif variant == "asyncio-loop":
        os.environ["NETPULS_EVENT_LOOP"] = "asyncio"  # read by Settings() in netpuls.cli
    else:
        raise SystemExit(f"unknown variant {variant!r}; one of {', '.join(VARIANTS)}")


def main() -> None:
    """Patch, then run the netpuls command line with the remaining arguments."""
    patch(sys.argv[1])
    from netpuls.cli import main as netpuls_main

    raise SystemExit(netpuls_main(sys.argv[2:]))


if __name__ == "__main__":
    main()
