"""Applications as the application card sends them, for the example networks (placeholders)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.model import NetworkFile
from services.network_file import load_network_file
from tests.conftest import EXAMPLES

PLAN22 = "kompakte-groenne-byer"
SKL = "skl-medborgardialog"
# Before Plan22+'s declared deadline (2024-02-24) and before SKL's (2015-11-15).
PLAN22_NOW = datetime(2024, 2, 1, 12, tzinfo=UTC)
SKL_NOW = datetime(2015, 11, 2, 12, tzinfo=UTC)
PLAN22_SECRETARIAT = "sekretariat@example.org"
SKL_SECRETARIAT = "skl-kansliet@example.org"
# Municipalities that are not in the example file: new applicants.
NEWCOMERS = (
    ("Esbjerg Kommune", "Region Syddanmark"),
    ("Randers Kommune", "Region Midtjylland"),
    ("Kalundborg Kommune", "Region Sjælland"),
    ("Furesø Kommune", "Region Hovedstaden"),
    ("Brønderslev Kommune", "Region Nordjylland"),
)


def plan22(today: date = date(2024, 2, 1)) -> NetworkFile:
    """The Plan22+ example network."""
    return load_network_file(EXAMPLES / "plan22-kompakte-groenne-byer.yaml", today=today)


def skl(today: date = date(2015, 11, 2)) -> NetworkFile:
    """The SKL example network (a fee, so it asks for the board's decision)."""
    return load_network_file(EXAMPLES / "skl-medborgardialog.yaml", today=today)


def slugified(name: str) -> str:
    return name.split()[0].lower().replace("ø", "oe").replace("æ", "ae").replace("å", "aa")


def form(
    municipality: str = "Esbjerg Kommune",
    region: str = "Region Syddanmark",
    themes: str = "1,5",
    **changes: Any,
) -> dict[str, Any]:
    """A valid Plan22+ application for `municipality`, as the card's inputs."""
    town = slugified(municipality)
    return {
        "municipality": municipality,
        "region": region,
        "head_of_planning": f"Planchef, {municipality}",
        "email": f"planchef.{town}@example.org",
        "interest": f"{municipality} vil udvikle kompakte, grønne byer og lære af de andre.",
        "themes": themes,
        "links": f"https://example.org/{town}/planstrategi",
        **changes,
    }


def skl_form(municipality: str = "Lunds kommun", region: str = "Skåne län") -> dict[str, Any]:
    """A valid SKL application: the board's decision, project leader and steering group, the area
    idea and a working group of three competences."""
    return form(
        municipality,
        region,
        "1,3",
        interest="Vi vill pröva tidig medborgardialog i ett område under omvandling.",
        board_date="2015-10-28",
        board_reference="KS 2015/123",
        project_leader="Projektledare, Lund",
        steering_group="Stadsbyggnadsdirektör, kommunikationschef",
        area_idea="Stationsområdet i Lund: ett område under omvandling.",
        working_group="Planarkitekt\nDialogansvarig\nLandskapsarkitekt",
    )
