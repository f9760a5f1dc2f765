"""The secretariat's selection card: the proposal, its coverage against random draws, confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cards.agenda import execute_action, plain, section_title
from cards.elements import Element, card, facts, heading, text
from cards.membership import short
from domain.text import literal
from netpuls.i18n import Translator

VERB_PROPOSE = "propose_selection"
VERB_CONFIRM = "confirm_selection"
DATA_NETWORK = "network"
DATA_CHOSEN = "chosen"
INPUT_SEATS = "seats"
INPUT_FIX_IN = "fix_in"
INPUT_FIX_OUT = "fix_out"
NOTICE_ID = "notice"
SHOWN = 40  # characters of a municipality's name shown: three lists of every applicant


@dataclass(frozen=True, slots=True)
class Pick:
    """An applicant in the proposal or left out of it."""

    key: str
    municipality: str
    region: str
    theme_numbers: tuple[int, ...]
    fixed: bool = False  # fixed in (chosen) or fixed out (left out) by the secretariat


@dataclass(frozen=True, slots=True)
class CoverageView:
    """How a selection spreads over themes and regions."""

    themes_covered: int
    themes_total: int
    regions_covered: int
    regions_total: int
    theme_imbalance: float
    region_imbalance: float


@dataclass(frozen=True, slots=True)
class SelectionView:
    """The proposal for the secretariat, with what they can adjust."""

    network_slug: str
    network_name: str
    seats: int
    chosen: tuple[Pick, ...]
    others: tuple[Pick, ...]
    coverage: CoverageView
    best: CoverageView
    worst: CoverageView
    draws: int
    open_until: datetime | None = None  # the call is still open: no confirming yet
    notice: str = ""


@dataclass(frozen=True, slots=True)
class ConfirmedView:
    """The outcome of a confirmed selection."""

    network_name: str
    admitted: tuple[str, ...]
    declined: tuple[str, ...]
    told: int
    tell_yourself: tuple[tuple[str, str, bool], ...]  # (municipality, e-mail, admitted)
    already: bool = False


def selection_card(view: SelectionView, t: Translator) -> Element:
    """The proposed selection with its coverage, the random draws, and adjust/confirm actions."""
    title = t("Proposed selection: {network}", network=view.network_name)
    subtle = t(
        "{chosen} of {applications} applications for {seats} seats",
        chosen=len(view.chosen),
        applications=len(view.chosen) + len(view.others),
        seats=view.seats,
    )
    body: list[Element] = []
    if view.notice:
        body.append(text(literal(view.notice), id=NOTICE_ID, weight="Bolder", color="Accent"))
    body += heading(literal(title), subtle=literal(subtle))
    if view.open_until is not None:
        body.append(
            text(
                t(
                    "Applications are open until {deadline}; confirm after the call has closed.",
                    deadline=view.open_until,
                ),
                color="Attention",
            )
        )
    body += [
        text(
            t("Chosen to cover as many themes and regions as possible, then as evenly as possible.")
        ),
        facts(_coverage_rows(view.coverage, t)),
        section_title(t("Against {draws} random draws of the same size", draws=view.draws)),
        facts(
            [(t("Best draw"), _summary(view.best, t)), (t("Worst draw"), _summary(view.worst, t))]
        ),
        section_title(t("Proposed ({n})", n=len(view.chosen))),
        *(_pick(p, t, fixed=t("fixed in")) for p in view.chosen),
    ]
    if view.others:
        body.append(section_title(t("Not proposed ({n})", n=len(view.others))))
        body += [_pick(p, t, fixed=t("fixed out")) for p in view.others]
    body += _adjust(view, t)
    return card(body, actions=_actions(view, t), fallback_text=title, speak=title)


def _coverage_rows(c: CoverageView, t: Translator) -> list[tuple[str, str]]:
    return [
        (t("Themes covered"), t("{n} of {total}", n=c.themes_covered, total=c.themes_total)),
        (t("Regions covered"), t("{n} of {total}", n=c.regions_covered, total=c.regions_total)),
        (t("Imbalance across themes"), f"{c.theme_imbalance:g}"),
        (t("Imbalance across regions"), f"{c.region_imbalance:g}"),
    ]


def _summary(c: CoverageView, t: Translator) -> str:
    return t(
        "themes {themes} of {themes_total}, regions {regions} of {regions_total}, "
        "imbalance {theme_imbalance} and {region_imbalance}",
        themes=c.themes_covered,
        themes_total=c.themes_total,
        regions=c.regions_covered,
        regions_total=c.regions_total,
        theme_imbalance=f"{c.theme_imbalance:g}",
        region_imbalance=f"{c.region_imbalance:g}",
    )


def _pick(pick: Pick, t: Translator, *, fixed: str) -> Element:
    themes = ", ".join(str(n) for n in pick.theme_numbers) or "-"
    label = t("Themes")
    detail = f" ({pick.region}) · {label}: {themes}" + (f" · {fixed}" if pick.fixed else "")
    return plain((short(pick.municipality, SHOWN), True), (detail, False))


def _choices(picks: tuple[Pick, ...]) -> list[dict[str, str]]:
    return [{"title": short(p.municipality, SHOWN), "value": p.key} for p in picks]


def _adjust(view: SelectionView, t: Translator) -> list[Element]:
    everyone = tuple(sorted(view.chosen + view.others, key=lambda p: p.municipality))
    fixed_in = ",".join(p.key for p in view.chosen if p.fixed)
    fixed_out = ",".join(p.key for p in view.others if p.fixed)
    seats: Element = {
        "type": "Input.Number",
        "id": INPUT_SEATS,
        "label": t("Seats"),
        "min": 1,
        "max": len(everyone),
        "value": view.seats,
    }
    out: list[Element] = [section_title(t("Adjust")), seats]
    for key, label, value in (
        (INPUT_FIX_IN, t("Always include"), fixed_in),
        (INPUT_FIX_OUT, t("Never include"), fixed_out),
    ):
        choice: Element = {
            "type": "Input.ChoiceSet",
            "id": key,
            "label": label,
            "isMultiSelect": True,
            "style": "compact",
            "choices": _choices(everyone),
        }
        if value:
            choice["value"] = value
        out.append(choice)
    return out


def _actions(view: SelectionView, t: Translator) -> list[Element]:
    data = {"verb": VERB_PROPOSE, DATA_NETWORK: view.network_slug}
    out = [execute_action(t("Propose again"), data)]
    if view.open_until is None:
        chosen = ",".join(p.key for p in view.chosen)
        confirm = {"verb": VERB_CONFIRM, DATA_NETWORK: view.network_slug, DATA_CHOSEN: chosen}
        out.append(execute_action(t("Confirm this selection"), confirm, inputs=False))
    return out


def confirmed_card(view: ConfirmedView, t: Translator) -> Element:
    """What confirming did: members, declined, who was told and whom to tell yourself."""
    title = t("Selection confirmed: {network}", network=view.network_name)
    body: list[Element] = [*heading(literal(title))]
    if view.already:
        body.append(text(t("This selection had already been confirmed; nothing changed.")))
    body += [
        facts(
            [
                (t("New members"), str(len(view.admitted))),
                (t("Not admitted"), str(len(view.declined))),
                (t("Told in their personal chat"), str(view.told)),
            ]
        ),
        section_title(t("Members")),
        *(plain((name, False)) for name in view.admitted),
    ]
    if view.tell_yourself:
        body.append(section_title(t("Please tell these applicants yourself")))
        body += [
            plain(
                (town, True),
                (f" · {email} · ", False),
                (t("admitted") if yes else t("not admitted"), False),
            )
            for town, email, yes in view.tell_yourself
        ]
    return card(body, fallback_text=title, speak=title)
