"""What the tab's handlers find on the app, put there by the composition root."""

from __future__ import annotations

from aiohttp import web

from netpuls.settings import Settings
from services.ports import Clock, UnitOfWorkFactory

SETTINGS = web.AppKey("tab_settings", Settings)
CLOCK = web.AppKey("tab_clock", Clock)
UOW = web.AppKey("tab_uow", UnitOfWorkFactory)
