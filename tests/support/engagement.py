"""A seeded history for engagement and the digest: answers, cases and material, hand-counted.

The network is the sparring network (Odense, Køge) plus Svendborg, who never does anything.
Meeting 1 is on 2024-03-14, meeting 2 on 2024-05-30 (10:00 Copenhagen time).

| municipality | RSVPs | attended | cases | material | asked | answered | pair calls | last       |
|--------------|-------|----------|-------|----------|-------|----------|------------|------------|
| Køge         | 2     | 0        | 1     | 1        | 0     | 1        | 1          | 2024-05-03 |
| Odense       | 2     | 2        | 1     | 1        | 1     | 0        | 1          | 2024-05-30 |
| Svendborg    | 0     | 0        | 0     | 0        | 0     | 0        | 0          | never      |

Køge answered meeting 1 'attending' and changed to 'not attending': one answer, no attendance.
Odense has two people answering meeting 1 (one yes, one no): still one meeting answered.
The facilitator's link belongs to no municipality and counts for nobody, nor does an answer
from someone the bot could not place. Køge and Odense were paired on 8 April; both said they
met (Køge first, on 20 April): one call each, on 20 April.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

from domain.material import Material, MaterialKind
from domain.model import Municipality
from domain.questions import Answer as Reply
from domain.questions import Question
from domain.rsvp import Answer, Rsvp, Standing
from domain.sparring import Case, CaseStatus
from services.networks import import_network
from tests.support.sparring import SLUG, sparring_network

NOW = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 9) -> datetime:
    """A moment in 2024, UTC."""
    return datetime(2024, month, day, hour, 0, tzinfo=UTC)


def _rsvp(person: str, town: str, answer: Answer, when: datetime) -> Rsvp:
    return Rsvp(person, person, town, town, answer, Standing.CONFIRMED, when)


def _case(number: int, person: str, town: str, when: datetime, status: CaseStatus) -> Case:
    return Case(
        0, SLUG, number, "Fortætning", "Hvordan?", (), person, person, town, town, when, status
    )


def _link(title: str, person: str, when: datetime) -> Material:
    return Material(
        title, MaterialKind.LINK, f"https://example.org/{title}", person, person, when, None
    )


async def seed_history(uow_factory: Any) -> None:
    """Import the network and write its history."""
    declared = sparring_network()
    svendborg = Municipality("svendborg", "Svendborg Kommune", "Syddanmark")
    await import_network(
        uow_factory(),
        dataclasses.replace(declared, municipalities=(*declared.municipalities, svendborg)),
    )
    odense, host, koege = (
        "planner.odense@example.org",
        "host.odense@example.org",
        "planner.koege@example.org",
    )
    answers = [
        (1, _rsvp(odense, "odense", Answer.ATTENDING, at(3, 1))),
        (1, _rsvp(host, "odense", Answer.NOT_ATTENDING, at(3, 2))),
        (1, _rsvp(koege, "koege", Answer.ATTENDING, at(3, 5))),
        (1, _rsvp(koege, "koege", Answer.NOT_ATTENDING, at(3, 10))),
        (2, _rsvp(odense, "odense", Answer.ATTENDING, at(5, 1))),
        (2, _rsvp(koege, "koege", Answer.MAYBE, at(5, 2))),
    ]
    async with uow_factory() as uow:
        for number, answer in answers:
            await uow.rsvps.save(
                SLUG, number, answer, changed_by=answer.person, at=answer.answered_at
            )
        await uow.cases.add(_case(1, odense, "odense", at(2, 20), CaseStatus.ACCEPTED))
        await uow.cases.add(_case(2, koege, "koege", at(4, 15), CaseStatus.DECLINED))
        await uow.material.add(SLUG, _link("odense-notat", odense, at(3, 20)))
        await uow.material.add(
            SLUG, _link("facilitator-link", "facilitator@example.org", at(3, 21))
        )
        await uow.material.add(SLUG, _link("koege-link", koege, at(5, 3)))
        await uow.questions.add(
            SLUG, Question(0, "Hvem har erfaring?", (), odense, odense, at(4, 2), "odense")
        )
        await uow.questions.add_answer(
            SLUG, 1, Reply(0, "Vi har!", koege, at(4, 3), koege, "koege")
        )
        await uow.questions.add_answer(SLUG, 1, Reply(0, "Også vi", "Gæst", at(4, 4)))
        pairs = await uow.pairs.create_round(
            SLUG, date(2024, 4, 8), [(("odense", "koege"), ())], by="netpuls", now=at(4, 8)
        )
        assert pairs is not None
        group = pairs.groups[0].id
        await uow.pairs.answer(group, "koege", True, by=koege, now=at(4, 20))
        await uow.pairs.answer(group, "odense", True, by=odense, now=at(4, 22))
        await uow.commit()
