"""What the digest says: its card, in the network's language (a channel has many readers)."""

from __future__ import annotations

from cards.digest import ComingStep, DigestItem, DigestView, digest_card
from cards.erased import keyed_name
from cards.meeting import meeting_name
from domain.engagement import DigestFrequency
from domain.model import local_day
from netpuls.i18n import Translator, translator
from services.digest import Digest
from services.ports import Outbound


def period_text(digest: Digest, t: Translator) -> str:
    """'Week 11, 2024' or 'March 2024'."""
    start = local_day(digest.period.start, digest.network.zone)
    if digest.frequency is DigestFrequency.MONTHLY:
        return t.date(start, "LLLL y").capitalize()
    year, week, _ = start.isocalendar()
    return t("Week {week}, {year}", week=week, year=year)


def digest_view(digest: Digest, t: Translator) -> DigestView:
    """The digest with names, dates and local times resolved."""
    zone = digest.network.zone
    items = tuple(
        DigestItem(
            m.title,
            m.url,
            keyed_name(m.shared_by_name, m.shared_by, digest.towns, t),
            local_day(m.shared_at, zone),
        )
        for m in digest.material
    )
    coming = []
    for step in digest.coming:
        local = step.due.astimezone(zone)
        coming.append(
            ComingStep(
                local_day(local, zone),
                local.time(),
                step.kind,
                step.meeting,
                step.meeting in digest.trips,
            )
        )
    meeting = digest.next_meeting
    upcoming = ""
    if meeting is not None:
        parts = [meeting_name(meeting, t), t.date(meeting.day, "long"), meeting.place]
        upcoming = ", ".join(p for p in parts if p)
    return DigestView(
        network_name=digest.network.name,
        period=period_text(digest, t),
        items=items,
        questions_asked=digest.questions_asked,
        questions_answered=digest.questions_answered,
        coming=tuple(coming),
        next_meeting=upcoming,
    )


def digest_message(digest: Digest) -> Outbound:
    """The digest card in the network's language."""
    t = translator(digest.network.language)
    return Outbound(card=digest_card(digest_view(digest, t), t))
