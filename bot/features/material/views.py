"""Material's card views and replies from service results. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from cards.erased import keyed_name
from cards.material import MaterialItem, MeetingChoiceView, meeting_choice_card
from cards.meeting import meeting_name
from domain.material import Material
from domain.model import Meeting, Network, local_day
from domain.text import literal
from netpuls.i18n import Translator
from services import material_intake
from services.ports import Outbound


def item_of(
    found: Material,
    meeting: str,
    t: Translator,
    zone: tzinfo,
    towns: Mapping[str, str] | None = None,
) -> MaterialItem:
    """The card view of recorded material, dated in the network's time zone; `towns` names
    municipalities by key (an erased person reads as a participant of theirs)."""
    return MaterialItem(
        title=found.title,
        url=found.url,
        kind=found.kind.value,
        shared_by=keyed_name(found.shared_by_name, found.shared_by, towns or {}, t),
        shared_on=local_day(found.shared_at, zone),
        meeting=meeting,
        themes=found.themes,
        file_name=found.file_name,
        size=found.size,
    )


def choice_view(
    network: Network,
    items: tuple[Material, ...],
    meeting: Meeting | None,
    candidates: tuple[Meeting, ...],
    t: Translator,
    notice: str = "",
    saved: bool = False,
) -> MeetingChoiceView:
    """The 'which meeting?' card's view for items recorded together (one message)."""
    first = items[0]
    offered = material_intake.offered_themes(network, first)
    own = {theme.casefold() for theme in first.themes}
    return MeetingChoiceView(
        network_name=network.name,
        material_ids=",".join(str(m.id) for m in items if m.id is not None),
        title=first.title if len(items) == 1 else ", ".join(m.title for m in items),
        kind=first.kind.value,
        filed_for=meeting_name(meeting, t) if meeting else "",
        meetings=tuple((str(m.number), meeting_name(m, t)) for m in candidates),
        chosen=str(meeting.number) if meeting else "",
        themes=offered,
        chosen_themes=tuple(i for i, theme in enumerate(offered) if theme.casefold() in own),
        notice=notice,
        saved=saved,
    )


def recorded_text(recorded: material_intake.Recorded, t: Translator) -> str:
    """One short line per outcome: what was recorded, what was there already, what was left."""
    meeting = meeting_name(recorded.meeting, t) if recorded.meeting else t("no meeting")
    lines = []
    if recorded.items:
        lines.append(
            t(
                "Recorded as material for {meeting}: {titles}",
                meeting=literal(meeting),
                titles=literal(", ".join(m.title for m in recorded.items)),
            )
        )
    if recorded.known:
        lines.append(
            t(
                "Already recorded: {titles}",
                titles=literal(", ".join(m.title for m in recorded.known)),
            )
        )
    if recorded.too_long:
        lines.append(
            t("Left out {count} address(es) longer than 2,000 characters.", count=recorded.too_long)
        )
    return "\n\n".join(lines)


def recorded_reply(recorded: material_intake.Recorded, t: Translator) -> Outbound:
    """The answer: the short text, and the 'which meeting?' card when the meeting is unclear."""
    card = None
    if recorded.candidates and recorded.items:
        view = choice_view(
            recorded.network, recorded.items, recorded.meeting, recorded.candidates, t
        )
        card = meeting_choice_card(view, t)
    return Outbound(text=recorded_text(recorded, t), card=card)
