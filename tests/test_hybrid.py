"""Hybrid meetings: 'attending online' where the file allows it, counted apart from the seats."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.features.meetings.views import agenda_view, attendees_view
from bot.routing.links import Links
from cards.agenda import agenda_card
from cards.attendees import attendees_card
from cards.exports import attendees_csv
from domain.errors import InvalidInput
from domain.rsvp import Answer, Standing
from netpuls.i18n import translator
from services import rsvp
from services.network_file import parse_network_file
from services.networks import Actor, import_network
from tests.conftest import FixedClock
from tests.fakes import FakeDirectory
from tests.support.networks import SMALL

KEY = "kompakte-groenne-byer:1"
LINKS = Links("http://127.0.0.1:3978", b"k" * 32)
CLOCK = FixedClock(datetime(2024, 3, 1, 12, tzinfo=UTC))
ROSTER = FakeDirectory(
    {
        "29:odense": "planner.odense@example.org",
        "29:koege": "planner.koege@example.org",
        "29:aarhus": "planner.aarhus@example.org",
    }
)
HYBRID = (
    SMALL.replace(
        "    place: Odense Rådhus\n",
        "    place: Odense Rådhus\n    online: true\n    capacity: 1\n",
    )
    .replace(
        "  - {key: koege, name: Køge Kommune, region: Sjælland}\n",
        "  - {key: koege, name: Køge Kommune, region: Sjælland}\n"
        "  - {key: aarhus, name: Aarhus Kommune, region: Midtjylland}\n",
    )
    .replace(
        "municipality: odense}\n",
        "municipality: odense}\n"
        "  - {name: Planlægger Køge, email: planner.koege@example.org, municipality: koege}\n"
        "  - {name: Planlægger Aarhus, email: planner.aarhus@example.org, municipality: aarhus}\n",
    )
)


def declared(text: str = HYBRID) -> Any:
    return parse_network_file(text, name="hybrid.yaml", today=date(2024, 3, 1))


async def say(uow_factory: Any, who: str, answer: str) -> rsvp.Answered:
    actor = Actor(teams_user_id=f"29:{who}")
    return await rsvp.respond(uow_factory(), CLOCK, KEY, actor, ROSTER, answer)


async def test_online_takes_no_seat_and_is_listed_apart_on_both_databases(uow_factory: Any) -> None:
    await import_network(uow_factory(), declared())
    first = await say(uow_factory, "odense", "attending")  # the one place
    online = await say(uow_factory, "koege", "online")
    late = await say(uow_factory, "aarhus", "attending")
    assert first.outcome.rsvp.standing is Standing.CONFIRMED
    assert (online.outcome.rsvp.answer, online.outcome.rsvp.standing) == (
        Answer.ONLINE,
        Standing.CONFIRMED,
    )
    assert late.outcome.rsvp.standing is Standing.WAITLISTED  # online took no place
    state = late.state
    view = agenda_view(state, LINKS)
    assert [a.person for a in view.rsvp.online] == ["Planlægger Køge"]
    assert [a.person for a in view.rsvp.attending] == ["Planlægger Odense"]
    assert [a.person for a in view.rsvp.waitlist] == ["Planlægger Aarhus"]
    listing = attendees_view(state, LINKS, CLOCK.now())
    assert [a.person for a in listing.online] == ["Planlægger Køge"]
    assert "Deltager online" in str(attendees_card(listing, translator("da")))
    rows = attendees_csv(state, translator("en")).splitlines()
    assert any(r.startswith("Køge Kommune,Planlægger Køge,Attending online,,") for r in rows)
    # Back to the seat: an online answer changed to attending waits like anyone else.
    again = await say(uow_factory, "koege", "attending")
    assert again.outcome.rsvp.standing is Standing.WAITLISTED


async def test_online_is_refused_where_the_meeting_does_not_allow_it(uow_factory: Any) -> None:
    plain = HYBRID.replace("    online: true\n", "")
    await import_network(uow_factory(), declared(plain))
    with pytest.raises(InvalidInput):
        await say(uow_factory, "koege", "online")
    async with uow_factory() as uow:
        assert await uow.rsvps.for_meeting("kompakte-groenne-byer", 1) == []


def test_the_card_offers_attending_online_only_where_allowed() -> None:
    from cards.render import WORDING, agenda_views

    t = translator("en")
    shown = agenda_views(WORDING["en"])["open"]
    titles = [a["title"] for a in agenda_card(shown, t)["actions"]]
    assert "Attending online" not in titles
    hybrid = replace(shown, rsvp=replace(shown.rsvp, online_allowed=True))
    card = agenda_card(hybrid, t)
    assert "Attending online" in [a["title"] for a in card["actions"]]
    facts = [f for e in card["body"] if e.get("type") == "FactSet" for f in e["facts"]]
    assert {"title": "Online", "value": "0"} in facts


def test_the_file_says_which_meetings_may_be_attended_online() -> None:
    meetings = declared().meetings
    assert [m.online for m in meetings] == [True, False]


async def test_those_who_attended_online_may_evaluate_the_meeting(uow_factory: Any) -> None:
    from services import evaluations

    await import_network(uow_factory(), declared())
    await say(uow_factory, "koege", "online")
    after = FixedClock(datetime(2024, 3, 14, 15, tzinfo=UTC))
    actor = Actor(teams_user_id="29:koege")
    state = await evaluations.evaluation_form(uow_factory(), after, KEY, actor, ROSTER)
    assert state.meeting.number == 1


async def test_the_organisers_list_at_the_close_names_those_attending_online(
    uow_factory: Any,
) -> None:
    from bot.features.cadence.messages import cadence_renderer
    from domain.model import ConversationKind, ConversationRef
    from services.cadence import StepContext
    from services.ports import Outbound, StepRecord
    from tests.support.cadence_messages import step_messages

    await import_network(uow_factory(), declared())
    await say(uow_factory, "odense", "attending")
    state = (await say(uow_factory, "koege", "online")).state
    chat = ConversationRef("a:fac", ConversationKind.PERSONAL, "http://127.0.0.1:9/", "msteams")
    step = StepRecord(
        f"{KEY}:rsvp_close", state.network.slug, "rsvp_close", 1, "", CLOCK.now(), "planned", ""
    )
    context = StepContext(step, state.network, state, (), organiser_chats=(chat,))
    render = cadence_renderer(step_messages(lambda _s: Outbound(text="agenda")))
    (target,) = render(context)
    text = target.message.text
    assert "Tilmeldingen til møde 1" in text and "1 deltager" in text
    assert "Deltager online: 1\n- Køge Kommune: Planlægger Køge" in text
