"""Applications between rows and domain objects: current rows and the versions kept as JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.membership import Application, ApplicationStatus, Commitment
from storage.membership_models import ApplicationRow, ApplicationVersionRow


def aware(value: datetime) -> datetime:
    """A stored time with its zone (UTC)."""
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utc(value: datetime) -> datetime:
    """A time as stored: in UTC."""
    return value.astimezone(UTC)


def content_of(application: Application) -> dict[str, Any]:
    """An application as a JSON object (what a version row keeps)."""
    c = application.commitment
    return {
        "municipality_key": application.municipality_key,
        "municipality_name": application.municipality_name,
        "region": application.region,
        "head_of_planning": application.head_of_planning,
        "email": application.email,
        "interest": application.interest,
        "themes": list(application.themes),
        "links": list(application.links),
        "commitment": _commitment_json(c) if c else None,
        "area_idea": application.area_idea,
        "working_group": application.working_group,
    }


def _commitment_json(c: Commitment) -> dict[str, Any]:
    return {
        "board_date": c.board_date.isoformat(),
        "board_reference": c.board_reference,
        "project_leader": c.project_leader,
        "steering_group": c.steering_group,
    }


def _commitment(data: dict[str, Any] | None) -> Commitment | None:
    if not data:
        return None
    return Commitment(
        board_date=date.fromisoformat(data["board_date"]),
        board_reference=data["board_reference"],
        project_leader=data["project_leader"],
        steering_group=data["steering_group"],
    )


def application_from_row(row: ApplicationRow) -> Application:
    """The current version of an application, from its row."""
    return Application(
        municipality_key=row.municipality_key,
        municipality_name=row.municipality_name,
        region=row.region,
        head_of_planning=row.head_of_planning,
        email=row.email,
        interest=row.interest,
        themes=tuple(row.themes),
        links=tuple(row.links),
        commitment=_commitment(row.commitment),
        area_idea=row.area_idea,
        working_group=row.working_group,
        version=row.version,
        status=ApplicationStatus(row.status),
        submitted_at=aware(row.submitted_at),
        submitted_by=row.submitted_by,
    )


def version_from_row(row: ApplicationVersionRow, status: ApplicationStatus) -> Application:
    """An earlier version of an application, from the JSON its version row keeps."""
    data = row.content
    return Application(
        municipality_key=data["municipality_key"],
        municipality_name=data["municipality_name"],
        region=data["region"],
        head_of_planning=data["head_of_planning"],
        email=data["email"],
        interest=data["interest"],
        themes=tuple(data["themes"]),
        links=tuple(data["links"]),
        commitment=_commitment(data.get("commitment")),
        area_idea=str(data.get("area_idea", "")),
        working_group=str(data.get("working_group", "")),
        version=row.version,
        status=status,
        submitted_at=aware(row.submitted_at),
        submitted_by=row.submitted_by,
    )
