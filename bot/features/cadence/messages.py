"""What each cadence step posts, in the network's language: the edge's renderer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cards.cadence import step_label
from cards.erased import shown_name
from domain.cadence import StepKind
from domain.errors import N_
from domain.model import ConversationRef, MeetingKind, Network, normalise_language
from domain.text import literal
from netpuls.i18n import Translator, translator
from services.cadence import GONE, MISSED, NO_AUDIENCE, Nudge, StepContext, Target, skip_cause
from services.evaluations import EvaluationState
from services.ports import Mention, Outbound, StepRecord
from services.rsvp import MeetingState


@dataclass(frozen=True, slots=True)
class StepMessages:
    """What other features post at a cadence step; the composition root hands them in."""

    agenda: Callable[[MeetingState], Outbound]  # the agenda card as everyone sees it
    material_pack: Callable[[MeetingState, Translator], Outbound]
    evaluation: Callable[[EvaluationState], Outbound]  # D+1, to each attendee
    final_evaluation: Callable[[Network], Outbound]  # the network's last step


def cadence_renderer(messages: StepMessages) -> Callable[[StepContext], list[Target]]:
    """The renderer the scheduler uses: one list of posts per due step."""

    def render(context: StepContext) -> list[Target]:
        t = translator(context.network.language)
        kind = StepKind(context.step.kind)
        if kind is StepKind.PULSE:
            text = t(
                "A question for the network: {theme} Share an example or a question of "
                "your own in this thread.",
                theme=context.step.theme,
            )
            return _to(context.channels, Outbound(text=text))
        if kind is StepKind.FINAL_EVALUATION:
            return _to(context.member_chats, messages.final_evaluation(context.network))
        if kind is StepKind.PHASE_START:
            return _to(context.channels, phase_message(context, t)) if context.phase else []
        state = context.state
        if state is None:
            return []
        if kind is StepKind.AGENDA:
            memo = {
                "posted": "agenda",
                "network": state.network.slug,
                "meeting": state.meeting.number,
            }
            fresh = [c for c in context.channels if c.conversation_id not in context.already_posted]
            return [Target(c, messages.agenda(state), memo) for c in fresh]
        return _text_step(kind, context, state, t, messages)

    return render


def _to(
    refs: tuple[ConversationRef, ...] | list[ConversationRef], message: Outbound
) -> list[Target]:
    return [Target(ref, message) for ref in refs]


def _text_step(
    kind: StepKind,
    context: StepContext,
    state: MeetingState,
    t: Translator,
    messages: StepMessages,
) -> list[Target]:
    meeting = state.meeting
    facts = {
        "network": state.network.name,
        "number": meeting.number,
        "date": t.date(meeting.day, "long"),
        "place": meeting.place or meeting.region,
        "start": t.time(meeting.starts),
        "end": t.time(meeting.ends),
    }
    trip = meeting.kind is MeetingKind.STUDY_TRIP
    if kind is StepKind.HOST_PROMPT:
        if meeting.host is None:
            return []  # nobody hosts it (a study trip): nobody to prompt
        text = t(
            "You host meeting {number} of {network} on {date}. Please propose programme "
            "items and the field visit, and bring problem statements: write case to "
            "submit one.",
            **facts,
        )
        # Guests of another tenant often cannot get a 1:1 message: the channel is the fallback.
        return _to(context.host_chats or context.channels, Outbound(text=text))
    if kind is StepKind.CALL_FOR_CASES:
        return _to(
            context.channels,
            Outbound(
                text=t(
                    N_(
                        "The study trip on {date}: which case would you like sparring on? "
                        "Write case trip to submit a problem statement."
                    )
                    if trip
                    else N_(
                        "Meeting {number} on {date}: which case would you like sparring on? "
                        "Write case to submit a problem statement."
                    ),
                    **facts,
                )
            ),
        )
    if kind is StepKind.MATERIAL_PACK:
        return _to(context.channels, messages.material_pack(state, t))
    if kind is StepKind.RSVP_REMINDER:
        return _rsvp_reminder(context, state, t, facts, trip) if context.silent else []
    if kind is StepKind.RSVP_CLOSE:
        return _to(
            context.organiser_chats + context.host_chats,
            Outbound(text=_attendee_summary(state, t, facts)),
        )
    if kind is StepKind.PRACTICAL_INFO:
        return _to(
            context.channels,
            Outbound(
                text=t(
                    N_(
                        "Tomorrow: the study trip of {network} begins, {start}–{end}, {place}. "
                        "Travel and stay are each municipality's own cost. Have a good trip!"
                    )
                    if trip
                    else N_(
                        "Tomorrow: meeting {number} of {network}, {start}–{end}, {place}. "
                        "Travel and stay are each municipality's own cost. See you there!"
                    ),
                    **facts,
                )
            ),
        )
    if kind is StepKind.FOLLOW_UP:
        evaluation = messages.evaluation(EvaluationState(state.network, state.meeting))
        return (
            _to(context.attendee_chats, evaluation)
            + _to(
                context.organiser_chats,
                Outbound(
                    text=t(
                        N_(
                            "The study trip ended yesterday: write summary trip to post the "
                            "summary."
                        )
                        if trip
                        else N_(
                            "Meeting {number} was yesterday: write summary {number} to post the "
                            "summary."
                        ),
                        **facts,
                    )
                ),
            )
            + _to(
                context.channels,
                Outbound(
                    text=t(
                        N_(
                            "Thank you for joining the study trip! How useful was it? A short "
                            "evaluation follows."
                        )
                        if trip
                        else N_(
                            "Thank you for meeting {number}! How useful was it? A short "
                            "evaluation follows."
                        ),
                        **facts,
                    )
                ),
            )
        )
    return []


def _rsvp_reminder(
    context: StepContext,
    state: MeetingState,
    t: Translator,
    facts: dict[str, object],
    trip: bool = False,
) -> list[Target]:
    """D-7: the channel post names the silent municipalities and @mentions their seat holders
    (where Teams ids are known); each seat holder also gets it in a personal chat, which the
    outbox opens (or, where Teams refuses, @mentions them again with a notice)."""
    mentions: list[Mention] = []
    towns: list[str] = []
    for name in context.silent:
        held = [n.person for n in context.nudges if n.municipality == name]
        known = [p for p in held if p.teams_user_id]
        mentions += [Mention(str(p.teams_user_id), p.name) for p in known]
        # A mention's name must match its entity's text exactly: it is not escaped.
        named = ", ".join(f"<at>{p.name}</at>" for p in known)
        towns.append(f"{literal(name)} ({named})" if named else literal(name))
    post = Outbound(
        text=t(
            N_(
                "Reminder for the study trip on {date} (optional, at your own cost): "
                "we have not heard from {towns}. Answer on the trip's card."
            )
            if trip
            else N_(
                "Reminder for meeting {number} on {date}: we have not heard from {towns}. "
                "Answer on the agenda card."
            ),
            towns=", ".join(towns),
            **facts,
        ),
        mentions=tuple(mentions),
    )
    return _to(context.channels, post) + [
        Target(n.chat, _personal_reminder(n, state)) for n in context.nudges if n.chat is not None
    ]


def _personal_reminder(nudge: Nudge, state: MeetingState) -> Outbound:
    """The seat holder's own reminder, in their language where Teams told us it."""
    t = translator(normalise_language(nudge.person.locale) or state.network.language)
    return Outbound(
        text=t(
            "We have not heard from {municipality} about meeting {number} of {network} on "
            "{date}. Will someone from {municipality} come? Please answer on the agenda card "
            "in the network's channel.",
            municipality=literal(nudge.municipality),
            number=state.meeting.number,
            network=literal(state.network.name),
            date=t.date(state.meeting.day, "long"),
        )
    )


def _attendee_summary(state: MeetingState, t: Translator, facts: dict[str, object]) -> str:
    coming = [
        r for r in state.rsvps if r.answer.value == "attending" and r.standing.value == "confirmed"
    ]
    lines = [
        t(
            N_("Registration for the study trip on {date} has closed: {count} attending.")
            if state.meeting.kind is MeetingKind.STUDY_TRIP
            else N_("Registration for meeting {number} on {date} has closed: {count} attending."),
            count=len(coming),
            **facts,
        )
    ]
    for r in sorted(coming, key=lambda r: r.municipality_name):
        diet = f" ({r.dietary})" if r.dietary else ""
        who = shown_name(r.person_name, r.municipality_name, t)
        lines.append("- " + literal(f"{r.municipality_name}: {who}{diet}"))
    online = sorted(
        (r for r in state.rsvps if r.answer.value == "online"), key=lambda r: r.municipality_name
    )
    if online:
        lines.append(t("Attending online: {count}", count=len(online)))
        for r in online:
            who = shown_name(r.person_name, r.municipality_name, t)
            lines.append("- " + literal(f"{r.municipality_name}: {who}"))
    return "\n".join(lines)


def summary_reminder(network: Network, number: int) -> Outbound:
    """The reminder to post a meeting's summary, in the network's language."""
    t = translator(network.language)
    return Outbound(
        text=t(
            "The summary of meeting {number} of {network} is not posted yet: "
            "write summary {number} to finish it.",
            number=number,
            network=literal(network.name),
        )
    )


SKIPPED_SHOWN = 8  # steps listed one by one in a notice; the rest are counted


def skipped_steps_notice(network: Network, steps: list[StepRecord]) -> Outbound:
    """The organisers' one notice of a network's skipped steps: which (the first few), why,
    and what to do."""
    t = translator(network.language)
    causes = {
        MISSED: t("too late to send"),
        NO_AUDIENCE: t("nobody to send it to"),
        GONE: t("its meeting is no longer in the network file"),
    }
    lines = [t("Steps of {network} that were skipped:", network=literal(network.name))]
    for step in steps[:SKIPPED_SHOWN]:
        name = step_label(step.kind, t)
        due = step.due.astimezone(network.zone).date()
        if step.meeting is not None:
            name += " · " + t("meeting {number}", number=step.meeting)
        lines.append(f"- {name}, {t('due {due}', due=due)}: {causes[skip_cause(step)]}")
    if len(steps) > SKIPPED_SHOWN:
        lines.append(
            t("... and {count} more: write cadence to see them.", count=len(steps) - SKIPPED_SHOWN)
        )
    found = {skip_cause(s) for s in steps}
    if MISSED in found:
        lines.append(
            t(
                "Too late to send: the step was due when netpuls was not running, or before "
                "the network was imported. If one is still needed, send it yourself."
            )
        )
    if NO_AUDIENCE in found:
        lines.append(
            t(
                "Nobody to send it to: link the network to its channel (write link {slug} in "
                "the channel) and check that the people it is for are in the network file.",
                slug=network.slug,
            )
        )
    if GONE in found:
        lines.append(
            t(
                "If a meeting that is no longer in the network file is still to be held, add "
                "it to the network file again and import it."
            )
        )
    lines.append(t("Write cadence to see what comes next."))
    return Outbound(text="\n".join(lines))


def phase_message(context: StepContext, t: Translator) -> Outbound:
    """A phase begins: its number, title and description, in the network's channels."""
    phase = context.phase
    assert phase is not None
    # A phase whose first day is a weekend or holiday is announced on the working day before.
    text = t(
        "Phase {number} of {network} begins on {date}: {title}.",
        number=phase.number,
        network=literal(context.network.name),
        title=literal(phase.title),
        date=t.date(phase.starts_on, "long"),
    )
    if phase.description:
        text += "\n\n" + literal(phase.description)
    return Outbound(text=text)
