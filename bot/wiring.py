"""Builds the bot and what it needs from the adapter, storage and settings (composition)."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter

from bot.background import Background
from bot.cadence_messages import cadence_renderer, summary_reminder
from bot.card_actions import CardActions
from bot.commands import Edge
from bot.delivery import build_sender
from bot.features import default_registry
from bot.files import FILES, FileRoutes
from bot.handler import NetpulsBot
from bot.links import Links
from bot.material_files import MaterialFiles
from bot.notifier import BotNotifier
from bot.report_files import REPORT_FILES, ReportFiles
from netpuls.settings import Settings
from scheduler.runner import CadenceRunner, RunnerSettings
from services.ports import Clock, UnitOfWorkFactory

BACKGROUND = web.AppKey("background", Background)
RUNNER = web.AppKey("runner", CadenceRunner)
MATERIAL = web.AppKey("material", MaterialFiles)


def build_bot(
    app: web.Application,
    settings: Settings,
    adapter: CloudAdapter,
    uow: UnitOfWorkFactory,
    clock: Clock,
) -> NetpulsBot:
    """The activity handler with its card actions, notifier and signed links."""
    links = Links(settings.public_base_url, settings.link_key())
    background = Background()
    app[BACKGROUND] = background
    notifier = BotNotifier(adapter, settings.app_id)
    actions = CardActions(uow, clock, notifier, links, background)
    app[FILES] = FileRoutes(uow, clock, links)
    app[REPORT_FILES] = ReportFiles(uow, clock, links)
    material = MaterialFiles.from_settings(settings, uow, clock, notifier, background)
    app[MATERIAL] = material
    app[RUNNER] = CadenceRunner(
        uow,
        clock,
        cadence_renderer(actions.shared_copy),
        build_sender(notifier, settings),
        RunnerSettings(
            grace=timedelta(hours=settings.cadence_grace_hours),
            max_attempts=settings.delivery_max_attempts,
        ),
        reminder=summary_reminder,
    )
    return NetpulsBot(
        uow,
        clock,
        default_registry(),
        settings.default_language,
        Edge(notifier=notifier, links=links, actions=actions, material=material),
    )
