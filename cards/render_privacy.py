"""Example data for the privacy card, in each language."""

from __future__ import annotations

from cards.elements import Element
from cards.privacy import PrivacyView, privacy_card
from netpuls.i18n import translator

HELD = (("people", 1), ("rsvps", 3), ("cases", 1), ("material", 2), ("audit_log", 4))
URL = "https://netpuls.example.org/exports/privacy/Mjk6b2RlbnNl.json?exp=1&sig=0"


def privacy_examples(language: str) -> dict[str, Element]:
    """The privacy card, and the same asking to confirm the erasure."""
    t = translator(language)
    view = PrivacyView(HELD, URL, diet_days=14, retention_months=6)
    confirming = PrivacyView(HELD, URL, diet_days=14, retention_months=6, confirming=True)
    return {
        "privacy-overview": privacy_card(view, t),
        "privacy-confirm-erase": privacy_card(confirming, t),
    }
