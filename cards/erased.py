"""How a person is named in a view: by name, or once erased, as a participant of their
municipality, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

from domain.privacy import erased_from
from netpuls.i18n import Translator


def shown_name(name: str, municipality: str, t: Translator) -> str:
    """A person's name, or for an erased person "a participant from <municipality>"."""
    if name:
        return name
    if municipality:
        return t("a participant from {municipality}", municipality=municipality)
    return t("a former participant")


def keyed_name(name: str, key: str, towns: Mapping[str, str], t: Translator) -> str:
    """A name kept beside the person's key: an erased person's key names their municipality
    (by key; `towns` names municipalities)."""
    return shown_name(name, towns.get(erased_from(key) or "", ""), t)
