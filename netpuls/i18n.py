"""Translations: gettext catalogs per language (da, sv, en), compiled from .po on first use."""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from domain.model import LANGUAGES, normalise_language
from domain.text import literal

DOMAIN = "netpuls"
LOCALE_DIR = Path(__file__).with_name("locale")
_BABEL_LOCALES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}
# A hint names what to write in angle brackets ("seat add <e-mail>", "link <network>"). Teams
# reads messages and card text as Markdown, where <e-mail> is an HTML tag and vanishes, so the
# brackets are escaped (CommonMark's backslash, as domain.text.literal does); <at> mentions stay.
_HINT = re.compile(r"<(?!/?at>)([^<>{}\n]+)>")


def _hints_shown(text: str) -> str:
    return _HINT.sub(r"\\<\1\\>", text)


@dataclass(frozen=True, slots=True)
class Translator:
    """Wording and date formats in one language."""

    language: str
    catalog: gettext.NullTranslations

    def __call__(self, msgid: str, /, **params: object) -> str:
        """Translate a message and fill its {named} parameters."""
        text = _hints_shown(self.catalog.gettext(msgid))
        return text.format(**{k: self._shown(v) for k, v in params.items()}) if params else text

    def refusal(self, msgid: str, /, **params: object) -> str:
        """A message whose parameters came from people (a refusal, an error): the parameters
        are shown as typed, never as Markdown."""
        return self(
            msgid, **{k: literal(v) if isinstance(v, str) else v for k, v in params.items()}
        )

    def _shown(self, value: object) -> object:
        """Dates and times in a message, written the reader's way."""
        if isinstance(value, datetime):
            return f"{self.date(value.date(), 'long')} {self.time(value)}"
        if isinstance(value, date):
            return self.date(value, "long")
        return value

    def plural(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """Translate a message that depends on a count `n`."""
        return _hints_shown(self.catalog.ngettext(singular, plural, n)).format(n=n, **params)

    def date(self, value: date, fmt: str = "full") -> str:
        """A date as people write it in this language."""
        if type(value) is date:  # a datetime (a subclass) may carry a zone: not kept
            return _date(self.language, value, fmt)
        return format_date(value, format=fmt, locale=self.locale)

    def time(self, value: time | datetime) -> str:
        """A clock time, 24-hour style in all three languages (the value's own wall time)."""
        return _clock(self.language, value.hour, value.minute)

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        """A point in time, in the zone the value carries."""
        return format_datetime(value, format=fmt, locale=self.locale, tzinfo=value.tzinfo)

    @property
    def locale(self) -> Locale:
        """The Babel locale for this language."""
        return _locale(self.language)


# Cards show the same few dates and clock times over and over (an agenda card has a dozen),
# and Babel parses its pattern and looks up the locale's names for every call.
@lru_cache(maxsize=len(LANGUAGES))
def _locale(language: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES[language])


@lru_cache(maxsize=2048)
def _date(language: str, value: date, fmt: str) -> str:
    return format_date(value, format=fmt, locale=_locale(language))


@lru_cache(maxsize=len(LANGUAGES) * 24 * 60)
def _clock(language: str, hour: int, minute: int) -> str:
    return format_time(time(hour, minute), format="HH:mm", locale=_locale(language))


def pick_language(*candidates: str | None, default: str = "en") -> str:
    """The first candidate that is a language netpuls speaks, else the default."""
    for candidate in candidates:
        language = normalise_language(candidate)
        if language:
            return language
    return default


def catalog_files(language: str) -> list[Path]:
    """The language's .po files: netpuls.po plus one per feature (merged, in name order)."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


def read_catalog(language: str) -> Catalog:
    """Every message of a language, merged from its .po files."""
    merged = Catalog(locale=_BABEL_LOCALES[language], domain=DOMAIN)
    for path in catalog_files(language):
        with path.open("rb") as po:
            for message in read_po(po, locale=_BABEL_LOCALES[language]):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message
    return merged


@lru_cache(maxsize=len(LANGUAGES))
def translator(language: str) -> Translator:
    """The translator for a language, its catalogs compiled once from the .po files."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(language))
    buffer.seek(0)
    return Translator(language, gettext.GNUTranslations(buffer))
