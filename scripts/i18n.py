"""`make i18n`: bring the per-feature gettext catalogs up to date with the code, in place.

netpuls keeps one .po file per feature and language (netpuls/locale/<lang>/LC_MESSAGES/*.po,
merged by netpuls/i18n.py). `pybabel update` knows one catalog per domain: it would pour every
message into netpuls.po and re-sort it. This does what the split needs instead:

- every message stays in the file that holds it, in its place, its text untouched;
- a message in the code that no Danish or Swedish file holds is appended to the catalog named
  with `--catalog` (default `netpuls`; created from netpuls.po's header if new), with an empty
  translation (English needs no entry: gettext shows the message itself);
- a message a file holds that the code no longer uses is listed, to be deleted by hand.

Running it twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "netpuls" / "locale"
PACKAGES = ("bot", "cards", "domain", "services", "scheduler", "netpuls", "tab")
KEYWORDS = {"t": None, "N_": None, "plural": (1, 2)}  # t("..."), N_("..."), plural(one, many, n)
LANGUAGES = {"da": "da_DK", "sv": "sv_SE", "en": "en_GB"}
TRANSLATED = ("da", "sv")  # English falls back to the message itself: its catalogs are sparse
WIDTH = 100
_BRACES = re.compile(r"\{\w+\}")

Message = str | tuple[str, str]  # a message, or a (singular, plural) pair


def extracted(root: Path = ROOT) -> dict[str, Message]:
    """Every message in the code, by its id (the singular for a plural), in code order."""
    found: dict[str, Message] = {}
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / package,
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            keywords=KEYWORDS,
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.setdefault(msgid, message if isinstance(message, str) else tuple(message))
    return found


def held(directory: Path) -> dict[Path, list[str]]:
    """The message ids of each .po file of one language, in file order."""
    out: dict[Path, list[str]] = {}
    for path in sorted(directory.glob("*.po")):
        with path.open("rb") as po:
            out[path] = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(po) if m.id]
    return out


def entries(language: str, messages: Iterable[Message]) -> str:
    """New .po entries for `messages`, formatted as babel writes them (no header)."""
    catalog = Catalog(locale=LANGUAGES[language])
    for message in messages:
        singular = message if isinstance(message, str) else message[0]
        flags = ["python-brace-format"] if _BRACES.search(singular) else []
        catalog.add(message, "" if isinstance(message, str) else ("", ""), flags=flags)
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, omit_header=True, sort_output=False)
    return out.getvalue().decode("utf-8").strip("\n") + "\n"


def header(directory: Path, catalog: str) -> str:
    """The header of a new catalog: netpuls.po's, under a line that names the file."""
    text = (directory / "netpuls.po").read_text(encoding="utf-8")
    start = text.index('msgid ""')
    end = text.index("\n\n", start)
    language = directory.parent.name
    return f"# {language} translations of netpuls's {catalog} messages.\n{text[start:end]}\n"


def update(
    locale_dir: Path, code: dict[str, Message], catalog: str = "netpuls"
) -> tuple[list[Path], dict[Path, list[str]]]:
    """Append the code's new messages to `catalog` in every language: the files changed, and
    the messages each file holds that the code no longer uses."""
    changed: list[Path] = []
    unused: dict[Path, list[str]] = {}
    for language in LANGUAGES:
        directory = locale_dir / language / "LC_MESSAGES"
        files = held(directory)
        known = {msgid for ids in files.values() for msgid in ids}
        for path, ids in files.items():
            gone = [msgid for msgid in ids if msgid not in code]
            if gone:
                unused[path] = gone
        new = [message for msgid, message in code.items() if msgid not in known]
        if not new or language not in TRANSLATED:
            continue
        target = directory / f"{catalog}.po"
        before = (
            target.read_text(encoding="utf-8") if target.exists() else header(directory, catalog)
        )
        target.write_text(before.rstrip("\n") + "\n\n" + entries(language, new), encoding="utf-8")
        changed.append(target)
    return changed, unused


def main(argv: Sequence[str] | None = None) -> int:
    """Update the catalogs; print what changed and what is no longer used."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default="netpuls", help="where new messages go (a name)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", args.catalog):
        parser.error("--catalog is a file name without .po, e.g. pairs")
    changed, unused = update(LOCALE_DIR, extracted(), args.catalog)
    for path in changed:
        print(f"new messages appended to {path.relative_to(ROOT)}: translate them")
    for path, ids in unused.items():
        for msgid in ids:
            print(f"{path.relative_to(ROOT)}: no longer in the code: {msgid[:70]!r}")
    if not changed:
        print("every message in the code is in a catalog")
    return 0


if __name__ == "__main__":
    sys.exit(main())
