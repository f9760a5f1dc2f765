"""Row <-> domain conversions, kept apart so repositories stay about queries."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from domain.model import (
    Cadence,
    ConversationKind,
    ConversationRef,
    Fee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Municipality,
    Network,
    Phase,
    ProgrammeItem,
    ProgrammeKind,
    SeatStatus,
)
from services.workdays import country_for, with_days_off
from storage.models import ConversationRow, MeetingRow, NetworkRow, PhaseRow, SeatRow


def cadence_to_json(cadence: Cadence) -> dict[str, Any]:
    """A cadence as a JSON object."""
    return {
        "step_time": cadence.step_time.strftime("%H:%M"),
        "rsvp_deadline_days": cadence.rsvp_deadline_days,
        "offsets": dict(cadence.offsets),
        "disabled": sorted(cadence.disabled),
        "pulse_every_weeks": cadence.pulse_every_weeks,
        "final_evaluation": (
            cadence.final_evaluation.isoformat() if cadence.final_evaluation else None
        ),
        "working_days_only": cadence.working_days_only,
        "country": cadence.country,
    }


def cadence_from_json(data: dict[str, Any], language: str = "en") -> Cadence:
    """A cadence from its JSON object; missing keys keep the defaults (a network stored before
    holidays counted keeps those of its language's country)."""
    default = Cadence()
    offsets = data.get("offsets")
    return Cadence(
        step_time=time.fromisoformat(data["step_time"])
        if "step_time" in data
        else default.step_time,
        rsvp_deadline_days=int(data.get("rsvp_deadline_days", default.rsvp_deadline_days)),
        offsets=tuple((str(k), int(v)) for k, v in offsets.items()) if offsets else default.offsets,
        disabled=frozenset(data.get("disabled", ())),
        pulse_every_weeks=int(data.get("pulse_every_weeks", default.pulse_every_weeks)),
        final_evaluation=(
            date.fromisoformat(data["final_evaluation"]) if data.get("final_evaluation") else None
        ),
        working_days_only=bool(data.get("working_days_only", default.working_days_only)),
        country=data["country"] if "country" in data else country_for(language),
    )


def network_from_row(row: NetworkRow) -> Network:
    """The domain network for a row."""
    return Network(
        id=row.id,
        slug=row.slug,
        name=row.name,
        language=row.language,
        timezone=row.timezone,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        seat_limit=row.seat_limit,
        themes=tuple(row.themes or ()),
        description=row.description,
        registration_deadline=row.registration_deadline,
        call_opens=row.call_opens,
        evaluation=row.evaluation,
        cadence=with_days_off(
            cadence_from_json(row.cadence or {}, row.language), row.starts_on, row.ends_on
        ),
        fees=tuple(Fee(int(f["year"]), int(f["amount"]), str(f["currency"])) for f in row.fees),
        tenants=tuple(str(t) for t in row.tenants or ()),
        application_requires=tuple(str(r) for r in row.application_requires or ()),
    )


def network_values(network: Network) -> dict[str, Any]:
    """Column values for a network."""
    return {
        "slug": network.slug,
        "name": network.name,
        "language": network.language,
        "timezone": network.timezone,
        "starts_on": network.starts_on,
        "ends_on": network.ends_on,
        "seat_limit": network.seat_limit,
        "themes": list(network.themes),
        "description": network.description,
        "registration_deadline": network.registration_deadline,
        "call_opens": network.call_opens,
        "evaluation": network.evaluation,
        "cadence": cadence_to_json(network.cadence),
        "fees": [
            {"year": f.year, "amount": f.amount, "currency": f.currency} for f in network.fees
        ],
        "tenants": list(network.tenants),
        "application_requires": list(network.application_requires),
    }


def municipality_from_seat(seat: SeatRow) -> Municipality:
    """The municipality behind a seat, with the seat's status."""
    m = seat.municipality
    return Municipality(
        key=m.key, name=m.name, region=m.region, seat_status=SeatStatus(seat.status)
    )


def meeting_from_row(row: MeetingRow) -> Meeting:
    """The domain meeting for a row, programme included."""
    return Meeting(
        number=row.number,
        kind=MeetingKind(row.kind),
        day=row.day,
        end_day=row.end_day,
        starts=row.starts,
        ends=row.ends,
        region=row.region,
        place=row.place,
        title=row.title,
        field_visit=row.field_visit,
        status=MeetingStatus(row.status),
        host=row.host.key if row.host else None,
        capacity=row.capacity,
        seats_per_municipality=row.seats_per_municipality,
        skip_steps=frozenset(row.skip_steps or ()),
        online=row.online,
        programme=tuple(
            ProgrammeItem(
                position=p.position,
                title=p.title,
                kind=ProgrammeKind(p.kind),
                starts=p.starts,
                ends=p.ends,
                speaker=p.speaker,
            )
            for p in row.programme
        ),
    )


def phase_from_row(row: PhaseRow) -> Phase:
    """The domain phase for a row."""
    return Phase(
        number=row.number,
        title=row.title,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        description=row.description,
    )


def conversation_from_row(row: ConversationRow) -> ConversationRef:
    """The stored reference for a row."""
    return ConversationRef(
        conversation_id=row.conversation_id,
        kind=ConversationKind(row.kind),
        service_url=row.service_url,
        channel_id=row.channel_id,
        tenant_id=row.tenant_id,
        bot_id=row.bot_id,
        bot_name=row.bot_name,
        team_id=row.team_id,
        team_aad_group_id=row.team_aad_group_id,
        teams_channel_id=row.teams_channel_id,
        user_id=row.user_id,
        user_aad_object_id=row.user_aad_object_id,
        network_slug=row.network.slug if row.network else None,
        installed=row.installed,
    )
