"""Joining a network: the call for applications, applications and their versions, fees. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from domain.errors import N_, DomainError
from domain.model import Network

MAX_WORDS = 400


class ApplicationStatus(enum.StrEnum):
    """Where an application stands."""

    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    DECLINED = "declined"


class NoOpenCall(DomainError):
    """The network is not taking applications."""


class ApplicationsClosed(DomainError):
    """The deadline has passed or the secretariat closed the call."""


class DuplicateApplication(DomainError):
    """The municipality has applied already; replacing needs a confirmation."""


@dataclass(frozen=True, slots=True)
class Call:
    """A network's call for applications: open until the end of its deadline day."""

    deadline: date
    opened_at: datetime
    closed_at: datetime | None = None  # set when the secretariat closes it early

    def closes_at(self, zone: ZoneInfo) -> datetime:
        """The last moment applications are taken: 23:59 on the deadline day, local time."""
        return datetime.combine(self.deadline, time(23, 59), zone)

    def is_open(self, now: datetime, zone: ZoneInfo) -> bool:
        """Whether applications are taken at `now`; the call closes itself after the deadline."""
        return self.closed_at is None and now <= self.closes_at(zone)

    def closed_since(self, zone: ZoneInfo) -> datetime:
        """When the call closed (or will close), in the network's zone: it is shown as such."""
        return (self.closed_at or self.closes_at(zone)).astimezone(zone)


@dataclass(frozen=True, slots=True)
class Commitment:
    """What a network with a fee asks for (the SKL case): the board's decision and the team."""

    board_date: date
    board_reference: str
    project_leader: str
    steering_group: str


@dataclass(frozen=True, slots=True)
class Application:
    """One municipality's application to a network, as its latest version says."""

    municipality_key: str
    municipality_name: str
    region: str
    head_of_planning: str
    email: str
    interest: str
    themes: tuple[str, ...]
    links: tuple[str, ...] = ()
    commitment: Commitment | None = None
    area_idea: str = ""  # the area the municipality wants to develop, where the network asks
    working_group: str = ""  # its working group's competences, one per line, where asked
    version: int = 0
    status: ApplicationStatus = ApplicationStatus.SUBMITTED
    submitted_at: datetime | None = None
    submitted_by: str = ""  # the Teams user id that sent it: where the answer goes

    @property
    def words(self) -> int:
        """How many words the interest text has."""
        return word_count(self.interest)


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


def ensure_open(network: Network, call: Call | None, now: datetime) -> Call:
    """The call, when it takes applications at `now`; else a refusal naming the deadline."""
    if call is None:
        raise NoOpenCall(N_("{network} is not taking applications."), network=network.name)
    if not call.is_open(now, network.zone):
        raise ApplicationsClosed(
            N_("Applications to {network} closed on {deadline}."),
            network=network.name,
            deadline=call.closed_since(network.zone),
        )
    return call


def accept(
    network: Network,
    call: Call | None,
    existing: Application | None,
    wanted: Application,
    *,
    base: tuple[str, int] | None,
    replace_existing: bool,
    now: datetime,
    by: str,
) -> Application:
    """The version to store, or a refusal: no call, a closed call, an unconfirmed duplicate.

    An edit names the municipality and version it started from (`base`); a new application from
    the same municipality, or an edit of an older version, replaces the stored one only when
    confirmed.
    """
    ensure_open(network, call, now)
    if existing is not None and not replace_existing:
        editing = (
            base == (existing.municipality_key, existing.version)
            and existing.status is ApplicationStatus.SUBMITTED
        )
        if not editing:
            raise DuplicateApplication(
                N_(
                    "{municipality} has already applied (version {version}). Choose "
                    "'Replace the application' to replace it with this one."
                ),
                municipality=existing.municipality_name,
                version=existing.version,
            )
    version = existing.version + 1 if existing else 1
    return replace(
        wanted,
        version=version,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
    )


class FeeState(enum.StrEnum):
    """Where a municipality's fee for one year stands (tracked only: no payments are made)."""

    OPEN = "open"
    INVOICED = "invoiced"
    PAID = "paid"


@dataclass(frozen=True, slots=True)
class FeeRecord:
    """A member municipality's yearly fee: when it was invoiced and when it was paid."""

    municipality_key: str
    year: int
    invoiced_on: date | None = None
    paid_on: date | None = None

    @property
    def state(self) -> FeeState:
        """Open, invoiced or paid."""
        if self.paid_on:
            return FeeState.PAID
        return FeeState.INVOICED if self.invoiced_on else FeeState.OPEN

    def marked(self, state: FeeState, day: date) -> FeeRecord:
        """The record after marking it invoiced or paid on `day` (paid implies invoiced)."""
        if state is FeeState.PAID:
            return replace(self, invoiced_on=self.invoiced_on or day, paid_on=day)
        if state is FeeState.INVOICED:
            return replace(self, invoiced_on=day, paid_on=None)
        return replace(self, invoiced_on=None, paid_on=None)
