"""A small network file used across tests (the Plan22+ shape, placeholder people)."""

from __future__ import annotations

import dataclasses
from datetime import date

from domain.model import NetworkFile, Person, RoleKind
from services.network_file import parse_network_file

SMALL = """\
network:
  slug: kompakte-groenne-byer
  name: Kompakte, grønne byer
  language: da
  timezone: Europe/Copenhagen
  period: {start: 2024-01-01, end: 2026-03-31}
  seats: 25
  themes:
    - Hvordan planlægger vi for en kompakt by, hvor klima og kvalitet går hånd i hånd?
    - Hvilken rolle spiller det grønne i den kompakte by?
municipalities:
  - {key: odense, name: Odense Kommune, region: Syddanmark}
  - {key: koege, name: Køge Kommune, region: Sjælland}
people:
  - {name: Netværksfacilitator, email: facilitator@example.org, roles: [facilitator]}
  - {name: Planlægger Odense, email: planner.odense@example.org, municipality: odense}
meetings:
  - number: 1
    date: 2024-03-14
    time: 10:00-15:00
    region: Fyn
    host: odense
    place: Odense Rådhus
    field_visit: Byomdannelse ved havnen
    programme:
      - {time: 10:00-10:15, title: Velkomst, kind: talk}
      - {time: 13:00-14:30, title: Besøg i felten, kind: field_visit}
  - number: 2
    date: 2024-05-30
    time: 10:00-15:00
    region: Sjælland
    host: koege
"""

# A study trip to add to SMALL's meetings (SMALL + TRIP).
TRIP = """\
  - number: 3
    kind: study_trip
    date: 2024-09-10
    end_date: 2024-09-12
    time: 08:00-18:00
    region: Holland
"""


def small_network() -> NetworkFile:
    """The small Plan22+-shaped network."""
    return parse_network_file(SMALL, name="small.yaml", today=date(2024, 3, 1))


COLLEAGUE_ODENSE = Person(
    key="colleague.odense@example.org",
    name="Kollega Odense",
    email="colleague.odense@example.org",
    municipality="odense",
    roles=frozenset({RoleKind.PARTICIPANT}),
)


def small_network_with_colleague() -> NetworkFile:
    """The small network with a second participant from Odense, Kollega Odense."""
    declared = small_network()
    return dataclasses.replace(declared, people=(*declared.people, COLLEAGUE_ODENSE))
