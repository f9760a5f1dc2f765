"""Example data for the material cards (the receipt and the list), in each language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cards.elements import Element
from cards.material import (
    FILE,
    LINK,
    FiledView,
    MaterialItem,
    MaterialListView,
    MeetingChoiceView,
    filed_card,
    material_card,
    meeting_choice_card,
)
from netpuls.i18n import translator

SITE = "https://contoso.sharepoint.com/sites/Network/Shared%20Documents/General/netpuls"
# The example network's own words: the meeting, its folder, two files and a link.
WORDS = {
    "da": ("Netværksmøde 1", "Baggrundsnotat om stationsnær fortætning", "Planlægger, Odense"),
    "sv": ("Nätverksmöte 1", "Bakgrundsnotat om stationsnära förtätning", "Planerare, Odense"),
    "en": (
        "Network meeting 1",
        "Background note on densification near stations",
        "Planner, Odense",
    ),
}
NETWORK = {
    "da": "Kompakte, grønne byer",
    "sv": "Kompakta, gröna städer",
    "en": "Compact, green cities",
}


def items(language: str) -> tuple[MaterialItem, ...]:
    """A file and a link for meeting 1, and a file without a meeting."""
    meeting, note, planner = WORDS[language]
    folder = f"{SITE}/2024-03-14%20{meeting.replace(' ', '%20')}"
    return (
        MaterialItem(
            title=note,
            url=f"{folder}/Baggrundsnotat.pdf",
            kind=FILE,
            shared_by=planner,
            shared_on=date(2024, 3, 4),
            meeting=meeting,
            themes=("fortætning", "grøn"),
            file_name="Baggrundsnotat.pdf",
            size=845_312,
        ),
        MaterialItem(
            title="Plan22+ [2024]",
            url="https://example.org/plan22/rapport (endelig).pdf",
            kind=LINK,
            shared_by=planner,
            shared_on=date(2024, 3, 2),
            meeting=meeting,
        ),
        MaterialItem(
            title="optagelse.mp4",
            url=f"{SITE}/optagelse.mp4",
            kind=FILE,
            shared_by=planner,
            shared_on=date(2024, 3, 1),
            file_name="optagelse.mp4",
            size=12 * 1024 * 1024,
        ),
    )


def material_examples(language: str) -> dict[str, Element]:
    """Every material card with example data, named '<card>-<state>'."""
    t = translator(language)
    meeting = WORDS[language][0]
    file, link, _ = items(language)
    folder = f"netpuls/2024-03-14 {meeting}"
    network = NETWORK[language]
    return {
        "material-filed": filed_card(FiledView(network, file, folder), t),
        "material-already-filed": filed_card(FiledView(network, file, folder, duplicate=True), t),
        "material-link": filed_card(FiledView(network, link), t),
        "material-meeting": material_card(
            MaterialListView(network, meeting, (), items(language)[:2]), t
        ),
        "material-search": material_card(
            MaterialListView(network, "", ("fortætning",), items(language), more=True), t
        ),
        "material-empty": material_card(MaterialListView(network, meeting, (), ()), t),
        "material-which-meeting": meeting_choice_card(choice(language), t),
        "material-which-meeting-saved": meeting_choice_card(
            replace(
                choice(language),
                saved=True,
                notice=t("Moved to the folder of {meeting}.", meeting=meeting),
            ),
            t,
        ),
    }


def choice(language: str) -> MeetingChoiceView:
    """A file filed for meeting 2 right after meeting 1: which one is it for?"""
    t = translator(language)
    first, second = (t("Network meeting {number}", number=n) for n in (1, 2))
    file = items(language)[0]
    return MeetingChoiceView(
        network_name=NETWORK[language],
        material_ids="7",
        title=file.title,
        kind=FILE,
        filed_for=second,
        meetings=(("1", first), ("2", second)),
        chosen="2",
        themes=("Fortætning", "Grøn mobilitet", "grøn"),
        chosen_themes=(2,),
    )
