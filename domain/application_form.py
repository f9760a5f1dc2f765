"""The application form's rules: fields, word count, e-mail, regions, themes, the SKL extras."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.errors import N_, InvalidInput
from domain.membership import MAX_WORDS, Application, Commitment, word_count
from domain.model import Network
from domain.numbers import small_number

MAX_INTEREST_CHARS = 6000  # a guard against pasted documents; 400 long words fit easily
MAX_NAME = 200
MAX_EMAIL = 254
MAX_LINKS = 10
MAX_LINK = 500
MAX_REFERENCE = 100
MAX_STEERING_GROUP = 1000
MAX_AREA_IDEA = 2000
MAX_WORKING_GROUP = 1000
MIN_COMPETENCES = 2  # "a working group with several competences"

# What a network file may require besides the basics (`application: requires: [...]`).
AREA_IDEA = "area_idea"
WORKING_GROUP = "working_group"

# The ids of the application card's inputs: the card sends them, the rules below read them.
F_MUNICIPALITY = "municipality"
F_REGION = "region"
F_HEAD = "head_of_planning"
F_EMAIL = "email"
F_INTEREST = "interest"
F_THEMES = "themes"
F_LINKS = "links"
F_BOARD_DATE = "board_date"
F_BOARD_REFERENCE = "board_reference"
F_PROJECT_LEADER = "project_leader"
F_STEERING_GROUP = "steering_group"
F_AREA_IDEA = AREA_IDEA
F_WORKING_GROUP = WORKING_GROUP

DANISH_REGIONS = (
    "Region Hovedstaden",
    "Region Sjælland",
    "Region Syddanmark",
    "Region Midtjylland",
    "Region Nordjylland",
)
SWEDISH_COUNTIES = (
    "Stockholms län", "Uppsala län", "Södermanlands län", "Östergötlands län", "Jönköpings län",
    "Kronobergs län", "Kalmar län", "Gotlands län", "Blekinge län", "Skåne län", "Hallands län",
    "Västra Götalands län", "Värmlands län", "Örebro län", "Västmanlands län", "Dalarnas län",
    "Gävleborgs län", "Västernorrlands län", "Jämtlands län", "Västerbottens län",
    "Norrbottens län",
)  # fmt: skip
REGIONS_BY_ZONE = {"Europe/Copenhagen": DANISH_REGIONS, "Europe/Stockholm": SWEDISH_COUNTIES}

# Local part and domain labels of an address; letters beyond ASCII are allowed (ærø.dk exists).
_EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+@[^\W_](?:[\w-]{0,61}[^\W_])?(?:\.[^\W_](?:[\w-]{0,61}[^\W_])?)+"
)
_SUFFIXES = ("kommune", "kommun", "stad", "municipality")
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "a", "ö": "o", "ü": "u"})


@dataclass(frozen=True, slots=True)
class ApplicationRules:
    """What a network accepts: its themes, the regions to choose from, the SKL extras."""

    themes: tuple[str, ...]
    regions: tuple[str, ...]
    needs_commitment: bool
    requires: tuple[str, ...] = ()  # AREA_IDEA, WORKING_GROUP: as the network file asks


def is_email(text: str) -> bool:
    """Whether `text` looks like one e-mail address (no display name, no spaces)."""
    return len(text) <= MAX_EMAIL and _EMAIL.fullmatch(text) is not None


def municipality_key(name: str) -> str:
    """A stable key for a municipality's name: 'Malmö stad' -> 'malmo', 'Køge' -> 'koege'."""
    words = name.casefold().split()
    if len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    folded = unicodedata.normalize("NFKD", " ".join(words).translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:80]


def same_municipality(a: str, b: str) -> bool:
    """Whether two keys name the same municipality, allowing the genitive of the official name:
    'Lunds kommun' and 'Lund', 'Københavns Kommune' and 'København'."""
    return a == b or a == f"{b}s" or b == f"{a}s"


def needs_commitment(network: Network) -> bool:
    """Networks that charge a yearly fee ask for the board's decision and a project team."""
    return bool(network.fees)


def regions_for(network: Network, known: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The regions an applicant chooses from: the country's, plus any the network already uses."""
    country = REGIONS_BY_ZONE.get(network.timezone, ())
    return country + tuple(sorted(set(known) - set(country)))


def rules_for(network: Network, known_regions: tuple[str, ...] = ()) -> ApplicationRules:
    """The rules an application to this network must meet."""
    return ApplicationRules(
        network.themes,
        regions_for(network, known_regions),
        needs_commitment(network),
        network.application_requires,
    )


def _text(raw: Mapping[str, object], key: str) -> str:
    value = raw.get(key)
    return value.strip() if isinstance(value, str) else ""


def _required(raw: Mapping[str, object], key: str, limit: int, msgid: str) -> str:
    value = _text(raw, key)
    if not value:
        raise InvalidInput(msgid)
    if len(value) > limit:
        raise InvalidInput(
            N_("A field is too long: {length} characters, at most {limit}."),
            length=len(value),
            limit=limit,
        )
    return value


def read_application(raw: Mapping[str, object], rules: ApplicationRules) -> Application:
    """An application from the card's inputs, every rule checked; InvalidInput on the first miss."""
    name = _required(raw, F_MUNICIPALITY, MAX_NAME, N_("Write the municipality's name."))
    key = municipality_key(name)
    if not key:
        raise InvalidInput(N_("Write the municipality's name."))
    head = _required(raw, F_HEAD, MAX_NAME, N_("Write the name of the head of planning."))
    email = _required(raw, F_EMAIL, MAX_EMAIL, N_("Write an e-mail address."))
    if not is_email(email):
        raise InvalidInput(
            N_("'{email}' is not an e-mail address. Write it as name@example.org."),
            email=email[:80],
        )
    return Application(
        municipality_key=key,
        municipality_name=name,
        region=_region(raw, rules),
        head_of_planning=head,
        email=email.lower(),
        interest=_interest(raw),
        themes=_themes(raw, rules),
        links=_links(raw),
        commitment=_commitment(raw) if rules.needs_commitment else None,
        area_idea=_area_idea(raw) if AREA_IDEA in rules.requires else "",
        working_group=_working_group(raw) if WORKING_GROUP in rules.requires else "",
    )


def _area_idea(raw: Mapping[str, object]) -> str:
    return _required(
        raw,
        F_AREA_IDEA,
        MAX_AREA_IDEA,
        N_("Describe the area the municipality wants to develop in the network."),
    )


def competences(text: str) -> tuple[str, ...]:
    """The working group's competences as written: one a line, empty lines left out."""
    return tuple(line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t"))


def _working_group(raw: Mapping[str, object]) -> str:
    text = _required(
        raw,
        F_WORKING_GROUP,
        MAX_WORKING_GROUP,
        N_("Describe the working group: its competences, one a line."),
    )
    if len(competences(text)) < MIN_COMPETENCES:
        raise InvalidInput(
            N_(
                "The working group needs several competences: write at least {minimum}, "
                "one a line (e.g. planner, dialogue lead, landscape architect)."
            ),
            minimum=MIN_COMPETENCES,
        )
    return "\n".join(competences(text))


def _region(raw: Mapping[str, object], rules: ApplicationRules) -> str:
    region = _text(raw, F_REGION)
    if rules.regions and region not in rules.regions:
        raise InvalidInput(N_("Choose the municipality's region."))
    if not region or len(region) > MAX_NAME:
        raise InvalidInput(N_("Choose the municipality's region."))
    return region


def _interest(raw: Mapping[str, object]) -> str:
    interest = _text(raw, F_INTEREST)
    if not interest:
        raise InvalidInput(N_("Describe the municipality's interest in the network's themes."))
    words = word_count(interest)
    if words > MAX_WORDS or len(interest) > MAX_INTEREST_CHARS:
        raise InvalidInput(
            N_("The interest text has {count} words; at most {limit} are allowed."),
            count=words,
            limit=MAX_WORDS,
        )
    return interest


def _themes(raw: Mapping[str, object], rules: ApplicationRules) -> tuple[str, ...]:
    """Themes arrive as the ChoiceSet's comma-separated values: 1-based theme numbers."""
    if not rules.themes:
        return ()
    picked: list[str] = []
    for part in _text(raw, F_THEMES).split(","):
        number = part.strip()
        if not number:
            continue
        index = small_number(number, digits=3)
        if index is None or not 1 <= index <= len(rules.themes):
            raise InvalidInput(N_("Choose themes from the network's list."))
        theme = rules.themes[index - 1]
        if theme not in picked:
            picked.append(theme)
    if not picked:
        raise InvalidInput(N_("Choose at least one of the network's themes."))
    return tuple(picked)


def _links(raw: Mapping[str, object]) -> tuple[str, ...]:
    links = tuple(dict.fromkeys(_text(raw, F_LINKS).split()))
    if len(links) > MAX_LINKS:
        raise InvalidInput(N_("At most {limit} links, please."), limit=MAX_LINKS)
    for link in links:
        if not link.startswith(("https://", "http://")) or len(link) > MAX_LINK or len(link) < 12:
            raise InvalidInput(
                N_("'{link}' is not a web address. Write links as https://..., one per line."),
                link=link[:80],
            )
    return links


def _commitment(raw: Mapping[str, object]) -> Commitment:
    day = _text(raw, F_BOARD_DATE)
    try:
        board_date = date.fromisoformat(day)
    except ValueError:
        raise InvalidInput(N_("Give the date of the municipal board's decision.")) from None
    return Commitment(
        board_date=board_date,
        board_reference=_required(
            raw,
            F_BOARD_REFERENCE,
            MAX_REFERENCE,
            N_("Give the reference (case number) of the board's decision."),
        ),
        project_leader=_required(
            raw, F_PROJECT_LEADER, MAX_NAME, N_("Name the municipality's project leader.")
        ),
        steering_group=_required(
            raw, F_STEERING_GROUP, MAX_STEERING_GROUP, N_("Name the members of the steering group.")
        ),
    )
