"""Builds the bot and what it needs from the notifier, storage and settings (composition)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from bot.features import default_registry
from bot.features.cadence.messages import (
    StepMessages,
    cadence_renderer,
    skipped_steps_notice,
    summary_reminder,
)
from bot.features.digest.messages import digest_message
from bot.features.engagement.files import (
    ENGAGEMENT_FILES,
    ENGAGEMENT_ROUTE,
    EngagementFiles,
    engagement_download,
)
from bot.features.material.files import MaterialFiles
from bot.features.material.intake import MaterialActions, material_hooks
from bot.features.material.pack import material_pack
from bot.features.meetings.actions import MeetingActions
from bot.features.meetings.files import FILES, FileRoutes, add_file_routes
from bot.features.membership.actions import MembershipActions
from bot.features.membership.views import call_announcement
from bot.features.network.notices import reach_notice
from bot.features.pairs.actions import PairsActions
from bot.features.pairs.messages import pair_prompt, pair_question
from bot.features.privacy.actions import PrivacyActions
from bot.features.privacy.files import (
    PRIVACY_FILES,
    PRIVACY_ROUTE,
    PrivacyFiles,
    privacy_download,
)
from bot.features.privacy.messages import retention_message
from bot.features.questions import commands as questions
from bot.features.questions.actions import QuestionActions
from bot.features.sparring.actions import SparringActions
from bot.features.sparring.final import final_message
from bot.features.sparring.report import REPORT_FILES, REPORT_ROUTE, ReportFiles, report_download
from bot.features.sparring.views import evaluation_message
from bot.routing.background import Background
from bot.routing.card_actions import CardActions
from bot.routing.commands import Edge
from bot.routing.links import Links
from bot.routing.messages import MessageRouter
from bot.teams.delivery import build_sender
from bot.teams.demo import DemoPersonas
from bot.teams.handler import NetpulsBot
from bot.teams.notifier import BotNotifier
from domain.material import rules_from
from netpuls.graph_jobs import GraphTimers
from netpuls.settings import Settings
from scheduler.privacy_jobs import RetentionJobs, RetentionSettings
from scheduler.runner import CadenceRunner, RunnerSettings
from services.digest import DigestWork
from services.pairs import PairSettings, PairWork
from services.ports import Clock, UnitOfWorkFactory
from services.privacy_ports import PrivacyUnitOfWorkFactory
from services.reach import Reach
from tab import context as tab_context
from tab.routes import add_tab_routes
from tab.signin import SIGNIN, SignIn, add_signin_routes

if TYPE_CHECKING:
    from graph.client import GraphConnection

BACKGROUND = web.AppKey("background", Background)
RUNNER = web.AppKey("runner", CadenceRunner)
MATERIAL = web.AppKey("material", MaterialFiles)
GRAPH_TIMERS = web.AppKey("graph_timers", GraphTimers)
RETENTION = web.AppKey("retention", RetentionJobs)


def build_bot(
    app: web.Application,
    settings: Settings,
    notifier: BotNotifier,
    uow: PrivacyUnitOfWorkFactory,
    clock: Clock,
) -> NetpulsBot:
    """The activity handler with its card actions, notifier and signed links."""
    key, previous = settings.link_keys()
    links = Links(settings.public_base_url, key, previous)
    app[tab_context.UOW] = uow
    background = Background()
    app[BACKGROUND] = background
    meetings = MeetingActions(uow, clock, notifier, links, background)
    commands = default_registry()
    actions = CardActions()
    actions.register(meetings.verbs(), refused=meetings.refused)
    actions.register(MembershipActions(uow, clock, notifier, background, links, commands).verbs())
    actions.register(SparringActions(uow, clock, notifier, background, meetings.agendas).verbs())
    actions.register(PairsActions(uow, clock).verbs())
    retention = (settings.diet_retention_days, settings.retention_months)
    actions.register(PrivacyActions(uow, clock, links, retention).verbs())
    app[PRIVACY_FILES] = PrivacyFiles(uow, clock, links)
    app[SIGNIN] = SignIn.build(settings, uow, clock)
    actions.register(QuestionActions(uow, clock, notifier, background).verbs())
    app[FILES] = FileRoutes(uow, clock, links)
    app[REPORT_FILES] = ReportFiles(uow, clock, links, min_answers=settings.evaluation_min_answers)
    engagement = EngagementFiles(uow, clock, links, timedelta(days=settings.engagement_quiet_days))
    app[ENGAGEMENT_FILES] = engagement
    timers = GraphTimers.from_settings(settings, uow, clock)
    app[GRAPH_TIMERS] = timers
    material = material_files(settings, uow, clock, notifier, background, timers.connection)
    app[MATERIAL] = material
    actions.register(MaterialActions(material).verbs())
    app[RUNNER] = CadenceRunner(
        uow,
        clock,
        cadence_renderer(
            StepMessages(
                agenda=meetings.shared_copy,
                material_pack=material_pack,
                evaluation=evaluation_message,
                final_evaluation=final_message,
            )
        ),
        build_sender(notifier, settings, uow),  # the tenant budget, shared by replicas
        RunnerSettings(
            grace=timedelta(hours=settings.cadence_grace_hours),
            max_attempts=settings.delivery_max_attempts,
        ),
        reminder=summary_reminder,
        skipped=skipped_steps_notice,
        announce=call_announcement,
        pairs=PairWork(
            PairSettings(settings.pairs_every_weeks, settings.pairs_follow_up_days),
            pair_prompt,
            pair_question,
        ),
        digest=DigestWork(
            settings.digest, timedelta(hours=settings.cadence_grace_hours), digest_message
        ),
        reach=Reach(notifier, reach_notice),
    )
    app[RETENTION] = RetentionJobs(
        uow,
        clock,
        RetentionSettings(settings.retention_months, settings.diet_retention_days),
        retention_message,
    )
    messages = MessageRouter(commands)
    sent_files, posted_files, links_to_bot = material_hooks(material)
    messages.on_attachments(sent_files)
    messages.on_attachments(posted_files)
    messages.on_unmatched(links_to_bot)  # links written to the bot are material
    messages.on_unmatched(questions.thread_answer)
    messages.on_overheard(questions.overheard)
    return NetpulsBot(
        uow,
        clock,
        messages,
        settings.default_language,
        Edge(
            notifier=notifier,
            links=links,
            agenda=meetings.shared_copy,
            graph=timers.jobs,
            evaluation_min_answers=settings.evaluation_min_answers,
            quiet_after=timedelta(days=settings.engagement_quiet_days),
            diet_days=settings.diet_retention_days,
            retention_months=settings.retention_months,
        ),
        actions,
        demo=DemoPersonas() if settings.demo_personas else None,
    )


def material_files(
    settings: Settings,
    uow: UnitOfWorkFactory,
    clock: Clock,
    notifier: BotNotifier,
    background: Background,
    connection: GraphConnection | None,
) -> MaterialFiles:
    """Filing on msgraph when Graph is configured; without it, files get a clear refusal.

    The connection is the app's one Graph connection (GraphTimers owns and closes it)."""
    rules = rules_from(settings.material_max_mb, settings.material_file_types)
    if connection is None:
        return MaterialFiles(uow, clock, notifier, background, rules, None)
    # msgraph is large: imported only when Graph is configured.
    from graph.files import GraphFiles
    from graph.messages import GraphChannelFiles

    files, posted = GraphFiles(connection), GraphChannelFiles(connection)
    return MaterialFiles(uow, clock, notifier, background, rules, files, posted)


def add_routes(app: web.Application, settings: Settings, clock: Clock) -> None:
    """The files the features serve behind signed links, and the tab; handlers are built at
    start."""
    app[tab_context.SETTINGS] = settings
    app[tab_context.CLOCK] = clock
    add_file_routes(app)
    add_tab_routes(app, settings.tab_assets_dir)
    app.router.add_get(REPORT_ROUTE, report_download)
    app.router.add_get(ENGAGEMENT_ROUTE, engagement_download)
    app.router.add_get(PRIVACY_ROUTE, privacy_download)
    add_signin_routes(app)
