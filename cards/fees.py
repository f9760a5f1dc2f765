"""The secretariat's list of yearly fees: invoiced and paid, per member and year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cards.agenda import plain
from cards.elements import Element, card, heading, text
from domain.text import literal
from netpuls.i18n import Translator


@dataclass(frozen=True, slots=True)
class FeeRow:
    """One member's fee for one year."""

    municipality: str
    year: int
    amount: str  # '5 000 SEK'
    state: str  # translated
    invoiced_on: date | None = None
    paid_on: date | None = None


@dataclass(frozen=True, slots=True)
class FeesView:
    """Every member's fee for every year the network charges."""

    network_name: str
    rows: tuple[FeeRow, ...]


def fees_card(view: FeesView, t: Translator) -> Element:
    """Fees per year: who is invoiced, who has paid, who has neither (no payments are made)."""
    title = t("Fees: {network}", network=view.network_name)
    paid = sum(1 for r in view.rows if r.paid_on)
    body: list[Element] = [
        *heading(
            literal(title), subtle=t("{paid} of {total} paid", paid=paid, total=len(view.rows))
        ),
    ]
    for year in sorted({r.year for r in view.rows}):
        body.append(text(str(year), weight="Bolder", spacing="Medium"))
        body += [_row(r, t) for r in view.rows if r.year == year]
    body.append(
        text(t("Mark a fee with: fees invoiced|paid|open <municipality> <year>"), isSubtle=True)
    )
    return card(body, fallback_text=title, speak=title)


def _row(row: FeeRow, t: Translator) -> Element:
    when = row.paid_on or row.invoiced_on
    detail = f" · {row.amount} · {row.state}" + (f" ({t.date(when, 'medium')})" if when else "")
    return plain((row.municipality, True), (detail, False))
