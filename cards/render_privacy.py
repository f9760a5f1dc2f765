"""Example data for the privacy card, in each language."""

from __future__ import annotations

from cards.elements import Element
from cards.privacy import LeavingView, PrivacyView, leaving_card, privacy_card
from netpuls.i18n import translator

HELD = (("people", 1), ("rsvps", 3), ("cases", 1), ("material", 2), ("audit_log", 4))
URL = "https://netpuls.example.org/exports/privacy/Mjk6b2RlbnNl.json?exp=1&sig=0"


def privacy_examples(language: str) -> dict[str, Element]:
    """The privacy card, the same asking to confirm the erasure, and the secretariat's
    confirmation before a leaving municipality's people are erased."""
    t = translator(language)
    view = PrivacyView(HELD, URL, diet_days=14, retention_months=6)
    confirming = PrivacyView(HELD, URL, diet_days=14, retention_months=6, confirming=True)
    return {
        "privacy-overview": privacy_card(view, t),
        "privacy-confirm-erase": privacy_card(confirming, t),
        "privacy-municipality-leaving": leaving_card(
            LeavingView(
                "kompakte-groenne-byer", "Kompakte, grønne byer", "esbjerg", "Esbjerg Kommune", 3
            ),
            t,
        ),
    }
