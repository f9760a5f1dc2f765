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
from bot.digest_messages import digest_message
from bot.engagement_files import ENGAGEMENT_FILES, EngagementFiles
from bot.features import default_registry
from bot.files import FILES, FileRoutes
from bot.graph_jobs import GraphTimers
from bot.handler import NetpulsBot
from bot.links import Links
from bot.material_files import MaterialFiles
from bot.material_intake import MaterialActions
from bot.membership_views import call_announcement
from bot.notifier import BotNotifier
from bot.pairs_messages import pair_prompt, pair_question
from bot.report_files import REPORT_FILES, ReportFiles
from netpuls.settings import Settings
from scheduler.runner import CadenceRunner, RunnerSettings
from services.digest import DigestWork
from services.pairs import PairSettings, PairWork
from services.ports import Clock, UnitOfWorkFactory

BACKGROUND = web.AppKey("background", Background)
RUNNER = web.AppKey("runner", CadenceRunner)
MATERIAL = web.AppKey("material", MaterialFiles)
GRAPH_TIMERS = web.AppKey("graph_timers", GraphTimers)


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
    app[REPORT_FILES] = ReportFiles(uow, clock, links, min_answers=settings.evaluation_min_answers)
    engagement = EngagementFiles(uow, clock, links, timedelta(days=settings.engagement_quiet_days))
    app[ENGAGEMENT_FILES] = engagement
    timers = GraphTimers.from_settings(settings, uow, clock)
    app[GRAPH_TIMERS] = timers
    material = MaterialFiles.from_settings(
        settings, uow, clock, notifier, background, timers.connection
    )
    app[MATERIAL] = material
    actions.extend(MaterialActions(material).verbs())
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
        announce=call_announcement,
        pairs=PairWork(
            PairSettings(settings.pairs_every_weeks, settings.pairs_follow_up_days),
            pair_prompt,
            pair_question,
        ),
        digest=DigestWork(
            settings.digest, timedelta(hours=settings.cadence_grace_hours), digest_message
        ),
    )
    return NetpulsBot(
        uow,
        clock,
        default_registry(),
        settings.default_language,
        Edge(
            notifier=notifier,
            links=links,
            actions=actions,
            material=material,
            engagement=engagement,
            graph=timers.jobs,
            evaluation_min_answers=settings.evaluation_min_answers,
        ),
    )
