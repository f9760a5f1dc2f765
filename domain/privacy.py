"""Personal data rights: who a request is about, what erasure did, why it was refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import N_, DomainError

# What an erased person's name becomes in a contribution kept for the network; the views show
# "a participant from <municipality>" in the reader's language for it.
ERASED_NAME = ""
# What replaces an erased person's identity in the audit log and in references between rows.
ERASED = "erased"
# A stand-in replaces identifiers in place, so it fits where a Teams object id (64) fits.
STAND_IN_MAX = 64


def stand_in(municipality: str | None, token: str) -> str:
    """The key an erased person's rows keep: unique, naming only their municipality, which the
    views need to show "a participant from <municipality>" where no other column has it."""
    named = f"{ERASED}-{token}-{municipality}"
    return named if municipality and len(named) <= STAND_IN_MAX else f"{ERASED}-{token}"


def erased_from(key: str) -> str | None:
    """The municipality key in an erased person's stand-in key; None for anyone else."""
    parts = key.split("-", 2)
    if len(parts) == 3 and parts[0] == ERASED and parts[2]:
        return parts[2]
    return None


@dataclass(frozen=True, slots=True)
class Subject:
    """The person a privacy request is about: every identifier netpuls may hold for them."""

    email: str = ""
    teams_user_id: str | None = None
    key: str | None = None
    name: str = ""
    aad_object_id: str | None = None
    municipality: str | None = None
    person_id: int | None = None

    @property
    def identifiers(self) -> tuple[str, ...]:
        """E-mail, person key and Teams ids: the values that point at this person."""
        values = (self.email, self.key, self.teams_user_id, self.aad_object_id)
        return tuple(dict.fromkeys(v.strip() for v in values if v and len(v.strip()) >= 3))


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure changed, counted per kind (nothing names the person)."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many rows were changed or deleted."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """What a retention run did (or would do, on a dry run), per network."""

    networks: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def total(self) -> int:
        """How many rows were (or would be) changed or deleted."""
        return sum(sum(c.values()) for c in self.networks.values())


class ErasureRefused(DomainError):
    """Erasure would break an open call where the person is an applicant."""

    msgid = N_(
        "Your data cannot be erased while the call of {network} is open and you have applied. "
        "Withdraw the application or wait until the call closes."
    )


class UnknownSubject(DomainError):
    """No person, application or identity matches the request."""

    msgid = N_("netpuls holds nothing about this person.")
