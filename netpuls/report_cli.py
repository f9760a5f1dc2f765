"""`netpuls report`: the network's final product as DOCX or Markdown, or its LinkedIn texts."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netpuls.settings import Settings

if TYPE_CHECKING:
    from services.report import Report

FORMATS = ("docx", "md", "linkedin")


def add_parser(sub: Any) -> None:
    """Add `report` to the `netpuls` command's subcommands."""
    report = sub.add_parser("report", help="compile the network's final product")
    report.add_argument("--network", required=True, help="the network's short name (slug)")
    report.add_argument("--format", choices=FORMATS, default="docx", help="docx, md or linkedin")
    report.add_argument("--out", type=Path, required=True, help="the file to write")
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """Write the report; the exit code says whether it worked."""
    from domain.errors import DomainError
    from netpuls.i18n import translator

    try:
        report = asyncio.run(_build(settings, args.network))
    except DomainError as exc:
        print(f"netpuls: {translator('en')(exc.msgid, **exc.params)}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render(report, args.format))
    print(f"wrote {args.out} ({len(report.chapters)} meetings)")
    return 0


def render(report: Report, fmt: str) -> bytes:
    """The report's bytes in one of FORMATS, in the network's language."""
    from netpuls.i18n import translator
    from services.report import linkedin_text, meeting_heading, report_markdown
    from services.report_docx import report_docx

    t = translator(report.network.language)
    if fmt == "docx":
        return report_docx(report, t)
    if fmt == "md":
        return report_markdown(report, t).encode()
    posts = [
        f"## {meeting_heading(c, t)}\n\n{linkedin_text(report, c, t)}\n" for c in report.chapters
    ]
    return "\n".join(posts).encode()


async def _build(settings: Settings, slug: str) -> Report:
    from services.ports import SystemClock
    from services.report import build_report
    from storage.engine import create_engine, session_factory
    from storage.uow import SqlUnitOfWork

    engine = create_engine(settings.database_url)
    try:
        sessions = session_factory(engine)
        return await build_report(
            SqlUnitOfWork(sessions),
            SystemClock(),
            slug,
            None,
            None,
            min_answers=settings.evaluation_min_answers,
        )
    finally:
        await engine.dispose()
