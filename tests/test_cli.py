"""The `netpuls` command as a person runs it: a real process, a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.networks import SMALL

ROOT = Path(__file__).resolve().parents[1]


def netpuls(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{db}", **env}
    return subprocess.run(
        [sys.executable, "-m", "netpuls", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "netpuls.db"
    assert netpuls("db", "upgrade", db=path).returncode == 0
    return path


def test_import_is_idempotent_and_list_shows_the_network(db: Path, tmp_path: Path) -> None:
    file = tmp_path / "small.yaml"
    file.write_text(SMALL, encoding="utf-8")
    first = netpuls("network", "import", str(file), db=db)
    second = netpuls("network", "import", str(file), db=db)
    assert first.returncode == 0 and "created" in first.stdout
    assert "0 created, 0 updated, 0 meetings cancelled" in second.stdout
    listed = netpuls("network", "list", db=db)
    assert listed.stdout.startswith("kompakte-groenne-byer\tKompakte, grønne byer\tda")


def test_a_broken_file_is_rejected_with_file_line_and_field_and_nothing_imported(
    db: Path, tmp_path: Path
) -> None:
    file = tmp_path / "broken.yaml"
    file.write_text(SMALL.replace("host: koege", "host: atlantis"), encoding="utf-8")
    result = netpuls("network", "import", str(file), db=db)
    assert result.returncode == 1
    assert f"{file}:32: meetings[1].host: unknown municipality 'atlantis'" in result.stderr
    assert netpuls("network", "list", db=db).stdout == ""


def test_serve_refuses_anonymous_mode_off_loopback(db: Path) -> None:
    result = netpuls("serve", "--host", "0.0.0.0", db=db, MicrosoftAppId="")
    assert result.returncode == 2 and "refusing to listen on 0.0.0.0" in result.stderr


def test_without_a_subcommand_it_prints_help(db: Path) -> None:
    result = netpuls(db=db)
    assert result.returncode == 2 and "serve" in result.stdout


# The publisher every app package names (manifest.json's developer section).
PUBLISHER = {
    "NETPULS_DEVELOPER_NAME": "Kommunernes IT",
    "NETPULS_WEBSITE_URL": "https://it.example.org/netpuls",
    "NETPULS_PRIVACY_URL": "https://it.example.org/netpuls/privacy",
    "NETPULS_TERMS_URL": "https://it.example.org/netpuls/terms",
}


def test_the_app_package_is_refused_without_its_publisher_naming_each_setting(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "app.zip"
    given = {**PUBLISHER, "NETPULS_PRIVACY_URL": "", "NETPULS_TERMS_URL": ""}
    result = netpuls("manifest", "build", "--out", str(out), db=db, MicrosoftAppId=APP, **given)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "NETPULS_PRIVACY_URL, NETPULS_TERMS_URL" in result.stderr
    assert "NETPULS_DEVELOPER_NAME" not in result.stderr and not out.exists()


def test_the_app_package_builds_from_the_real_command_registry(db: Path, tmp_path: Path) -> None:
    if not (ROOT / "node_modules" / "@microsoft" / "app-manifest").is_dir():
        if os.environ.get("NETPULS_REQUIRE_PLAYGROUND") == "1":
            pytest.fail("node_modules is missing: run npm ci")
        pytest.skip("node_modules is missing: run npm ci")
    out = tmp_path / "app.zip"
    result = netpuls(
        "manifest",
        "build",
        "--out",
        str(out),
        db=db,
        MicrosoftAppId="11111111-2222-3333-4444-555555555555",
        PUBLIC_BASE_URL="https://netpuls.example.org",
        **PUBLISHER,
    )
    assert result.returncode == 0, result.stderr
    import json
    import zipfile

    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    lists = manifest["bots"][0]["commandLists"]
    assert all(1 <= len(lst["commands"]) <= 10 for lst in lists)
    assert "agenda" in [c["title"] for c in lists[0]["commands"]]
    app = "11111111-2222-3333-4444-555555555555"  # the tab's SSO resource, on the bot's host
    resource = f"api://netpuls.example.org/botid-{app}"
    assert manifest["webApplicationInfo"] == {"id": app, "resource": resource}


def test_every_localized_menu_title_is_a_name_the_bot_answers_to(db: Path, tmp_path: Path) -> None:
    if not (ROOT / "node_modules" / "@microsoft" / "app-manifest").is_dir():
        pytest.skip("node_modules is missing: run npm ci")
    import json
    import zipfile

    from bot.features import default_registry

    out = tmp_path / "app.zip"
    netpuls(
        "manifest",
        "build",
        "--out",
        str(out),
        db=db,
        MicrosoftAppId="11111111-2222-3333-4444-555555555555",
        **PUBLISHER,
    )
    registry = default_registry()
    for language in ("da", "sv"):
        doc = json.loads(zipfile.ZipFile(out).read(f"{language}.json"))
        titles = [v for k, v in doc.items() if k.endswith(".title") and "commandLists" in k]
        assert titles and all(registry.find(title) for title in titles), language
    danish = json.loads(zipfile.ZipFile(out).read("da.json"))
    assert "dagsorden" in danish.values()


def test_the_log_does_not_repeat_every_scheduler_run(capsys: pytest.CaptureFixture[str]) -> None:
    """At INFO the bot's log shows what happens, not two lines per outbox poll."""
    import logging

    from netpuls.cli import main

    executors = logging.getLogger("apscheduler.executors")
    executors.setLevel(logging.NOTSET)
    assert main([]) == 2  # prints the help, after logging is configured
    assert executors.level == logging.WARNING


def test_serving_keeps_what_start_up_loaded_out_of_the_garbage_collectors_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse
    import gc

    from aiohttp import web

    from netpuls import cli
    from netpuls.settings import Settings

    frozen: list[int] = []
    monkeypatch.setattr(web, "run_app", lambda *_a, **_k: frozen.append(gc.get_freeze_count()))
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", app_id="", host="127.0.0.1"
    )
    try:
        assert cli._serve(argparse.Namespace(host=None, port=None), settings) == 0
    finally:
        gc.unfreeze()
    assert frozen and frozen[0] > 0


APP = "11111111-2222-3333-4444-555555555555"


@pytest.mark.parametrize(
    ("registration", "named"),
    [
        (
            {"MicrosoftAppType": "SingleTenant", "MicrosoftAppPassword": "secret"},
            "MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId",
        ),
        (
            {
                "MicrosoftAppType": "UserAssignedMSI",
                "MicrosoftAppId": "",
                "MicrosoftAppTenantId": "t",
            },
            "MicrosoftAppType=UserAssignedMSI needs MicrosoftAppId",
        ),
        (
            {"MicrosoftAppType": "ManagedIdentity"},
            "MicrosoftAppType='ManagedIdentity' is not one of",
        ),
    ],
)
def test_serve_stops_on_an_incomplete_registration_and_names_the_setting(
    db: Path, registration: dict[str, str], named: str
) -> None:
    result = netpuls("serve", db=db, **{"MicrosoftAppId": APP, **registration})
    assert result.returncode == 2
    assert named in result.stderr and "Traceback" not in result.stderr


def _package(db: Path, tmp_path: Path, **env: str) -> Any:
    """The app package built by the command line (skipped without the schema package)."""
    if not (ROOT / "node_modules" / "@microsoft" / "app-manifest").is_dir():
        pytest.skip("node_modules is missing: run npm ci")
    import zipfile

    out = tmp_path / "app.zip"
    given = {**PUBLISHER, **env}
    built = netpuls("manifest", "build", "--out", str(out), db=db, MicrosoftAppId=APP, **given)
    assert built.returncode == 0, built.stderr  # validated against Microsoft's schema first
    return zipfile.ZipFile(out)


def test_privacy_is_in_the_personal_menu_by_its_danish_and_swedish_names(
    db: Path, tmp_path: Path
) -> None:
    import json

    from netpuls.i18n import translator

    package = _package(db, tmp_path)
    lists = json.loads(package.read("manifest.json"))["bots"][0]["commandLists"]
    where = [lst["scopes"] for lst in lists if "privacy" in [c["title"] for c in lst["commands"]]]
    assert where == [["personal"]]
    i = next(n for n, lst in enumerate(lists) if lst["scopes"] == ["personal"])
    j = [c["title"] for c in lists[i]["commands"]].index("privacy")
    help_msgid = "what netpuls holds about you, to export or erase"
    for language, name in (("da", "privatliv"), ("sv", "integritet")):
        doc = json.loads(package.read(f"{language}.json"))
        prefix = f"bots[0].commandLists[{i}].commands[{j}]"
        assert doc[f"{prefix}.title"] == name
        assert doc[f"{prefix}.description"] == translator(language)(help_msgid) != help_msgid


def test_the_app_packages_privacy_url_is_the_record_the_bot_serves_by_default(
    db: Path, tmp_path: Path
) -> None:
    import json

    package = _package(
        db, tmp_path, NETPULS_PRIVACY_URL="", PUBLIC_BASE_URL="https://bot.example.org"
    )
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["developer"]["privacyUrl"] == "https://bot.example.org/privacy"
