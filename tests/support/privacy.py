"""A network with one person's data in every kind of row, and a dump of the whole database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.material import Material, MaterialKind
from domain.membership import Application
from domain.model import ConversationKind, ConversationRef
from domain.questions import Answer, Asked, Question
from domain.sparring import AuditEntry, Case, CaseStatus, Summary
from services import rsvp
from services.networks import import_network
from services.ports import NewDelivery, Outbound
from tests.support.sparring import (
    BEFORE,
    EMAILS,
    KEY,
    ODENSE,
    SLUG,
    personal_ref,
    sparring_network,
)

EMAIL = "planner.odense@example.org"
NAME = "Planlægger Odense"
TEAMS_ID = "29:odense"
DIET = "Nøddeallergi og glutenfri"
CASE_TITLE = "Fortætning ved letbanen"
KEY_POINTS = "Grønne friarealer skal planlægges før fortætningen."
AT = datetime(2024, 3, 1, 12, tzinfo=UTC)


class Roster:
    """The team roster: Teams ids to e-mail addresses."""

    async def email_of(self, teams_user_id: str) -> str | None:
        """The e-mail of a Teams user."""
        return EMAILS.get(teams_user_id)


async def seed(uows: Any) -> None:
    """The sparring network where the Odense planner answered, shared, asked and applied."""
    await import_network(uows(), sparring_network())
    await rsvp.respond(uows(), BEFORE, KEY, ODENSE, Roster(), "attending", dietary=DIET, note="Tog")
    async with uows() as uow:
        await uow.conversations.save(personal_ref(TEAMS_ID))
        await uow.cases.add(
            Case(
                id=0,
                network=SLUG,
                meeting=1,
                title=CASE_TITLE,
                description=f"Spørgsmål fra {NAME}",
                themes=("Tema",),
                submitter=EMAIL,
                submitter_name=NAME,
                municipality="odense",
                municipality_name="Odense Kommune",
                submitted_at=AT,
                status=CaseStatus.ACCEPTED,
                position=1,
            )
        )
        await uow.summaries.save(
            SLUG, 1, Summary(key_points=KEY_POINTS, posted=True, author="facilitator@example.org")
        )
        await uow.questions.add(
            SLUG,
            Question(
                number=0,
                text="Hvem har erfaring med grønne tage?",
                themes=(),
                asker_key=EMAIL,
                asker_name=NAME,
                asked_at=AT,
                asker_municipality="odense",
                asked=(Asked("koege", ("planner.koege@example.org",)),),
            ),
        )
        await uow.questions.add_answer(
            SLUG, 1, Answer(1, f"Spørg {NAME}", "Planlægger Køge", AT, "planner.koege@example.org")
        )
        await uow.material.add(
            SLUG,
            Material(
                title="Helhedsplan",
                kind=MaterialKind.FILE,
                url="https://example.org/helhedsplan.pdf",
                shared_by=EMAIL,
                shared_by_name=NAME,
                shared_at=AT,
                meeting_number=1,
                file_name="helhedsplan-planlægger-odense.pdf",
            ),
        )
        await uow.membership.save_application(
            SLUG,
            Application(
                municipality_key="odense",
                municipality_name="Odense Kommune",
                region="Syddanmark",
                head_of_planning=NAME,
                email=EMAIL,
                interest="Vi vil lære af andre.",
                themes=("Tema",),
                version=1,
                submitted_at=AT,
                submitted_by=TEAMS_ID,
            ),
        )
        await uow.audit.record(AuditEntry(SLUG, EMAIL, "case.submit", NAME, AT))
        await uow.outbox.enqueue(
            [
                NewDelivery(
                    key="attendees:1:facilitator",
                    ref=ConversationRef(
                        conversation_id="a:personal-29:fac",
                        kind=ConversationKind.PERSONAL,
                        service_url="http://127.0.0.1:9/",
                        channel_id="msteams",
                        user_id="29:fac",
                    ),
                    message=Outbound(text=f"- Odense Kommune: {NAME} ({DIET})"),
                    network=SLUG,
                )
            ],
            AT,
        )
        await uow.commit()


async def dump(engine: AsyncEngine) -> str:
    """Every value of every table, as text, casefolded, one row per line in a stable order."""

    def tables(sync: Any) -> list[str]:
        return list(inspect(sync).get_table_names())

    values: list[str] = []
    async with engine.connect() as conn:
        for table in sorted(await conn.run_sync(tables)):
            rows = await conn.execute(text(f'SELECT * FROM "{table}"'))
            # Sorted: a database may return the rows of an unchanged table in another order.
            values.extend(sorted("\t".join(str(v) for v in row) for row in rows))
    return "\n".join(values).casefold()


async def privacy_bot(start_bot: Any, uows: Any) -> Any:
    """The bot on the sparring network, where the Odense planner said they come, with a diet."""
    from tests.support.sparring import EMAILS, ODENSE

    client = await start_bot(EMAILS, network=sparring_network())
    await rsvp.respond(uows(), BEFORE, KEY, ODENSE, Roster(), "attending", dietary=DIET)
    return client
