"""With an app id, `netpuls serve` starts only with a signing key and a public https address."""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import web

from netpuls import cli
from netpuls.settings import Settings, is_public_https

ROOT = Path(__file__).resolve().parents[1]
APP = "11111111-2222-3333-4444-555555555555"
KEY = "k" * 32
PUBLIC = "https://netpuls.example.org"
SAFE = {
    "MicrosoftAppId": APP,
    "MicrosoftAppPassword": "secret",
    "NETPULS_SIGNING_KEY": KEY,
    "PUBLIC_BASE_URL": PUBLIC,
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """An environment of our own: no .env from the working directory, no inherited setting."""
    monkeypatch.chdir(tmp_path)
    for name in (*SAFE, "NETPULS_SIGNING_KEY_PREVIOUS", "MicrosoftAppType", "HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'netpuls.db'}")
    return monkeypatch


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"NETPULS_SIGNING_KEY": ""}, "NETPULS_SIGNING_KEY must be"),
        ({"NETPULS_SIGNING_KEY": "k" * 31}, "NETPULS_SIGNING_KEY must be"),
        ({"NETPULS_SIGNING_KEY_PREVIOUS": "short"}, "NETPULS_SIGNING_KEY_PREVIOUS must be"),
        ({"PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL must be"),
        ({"PUBLIC_BASE_URL": "http://netpuls.example.org"}, "PUBLIC_BASE_URL must be"),
        ({"PUBLIC_BASE_URL": "https://127.0.0.1:3978"}, "PUBLIC_BASE_URL must be"),
        ({"PUBLIC_BASE_URL": "https://localhost"}, "PUBLIC_BASE_URL must be"),
    ],
)
def test_serve_refuses_an_app_id_without_safe_links_and_names_the_setting(
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, str],
    named: str,
) -> None:
    for name, value in {**SAFE, **change}.items():
        environment.setenv(name, value)

    assert cli.main(["serve"]) == 2

    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err


def test_serve_names_every_unsafe_setting_at_once(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("MicrosoftAppId", APP)
    environment.setenv("MicrosoftAppPassword", "secret")

    assert cli.main(["serve"]) == 2

    err = capsys.readouterr().err
    assert "NETPULS_SIGNING_KEY must be" in err and "PUBLIC_BASE_URL must be" in err


def test_the_command_refuses_as_a_process_with_exit_code_2_and_no_traceback(
    tmp_path: Path,
) -> None:
    unsafe = {**SAFE, "NETPULS_SIGNING_KEY": "", "PUBLIC_BASE_URL": "http://127.0.0.1:3978"}
    environment = {
        **os.environ,
        **unsafe,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'netpuls.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "netpuls", "serve"],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2
    assert "NETPULS_SIGNING_KEY" in result.stderr and "PUBLIC_BASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_starts_with_an_app_id_a_long_key_and_a_public_https_address(
    environment: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[web.Application] = []
    monkeypatch.setattr(web, "run_app", lambda app, **_kwargs: served.append(app))
    settings = Settings(
        app_id=APP,
        app_password="secret",
        signing_key=KEY,
        signing_key_previous="p" * 32,
        public_base_url=PUBLIC,
    )
    try:
        assert cli._serve(argparse.Namespace(host=None, port=None), settings) == 0
    finally:
        gc.unfreeze()
    assert len(served) == 1


def test_without_an_app_id_the_local_defaults_are_accepted() -> None:
    assert Settings(app_id="").production_problems() == []


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://netpuls.example.org", True),
        ("https://netpuls.example.org:8443/bot/", True),
        ("https://203.0.113.7", True),
        ("HTTPS://NETPULS.EXAMPLE.ORG", True),
        ("http://netpuls.example.org", False),
        ("https://localhost:3978", False),
        ("https://bot.localhost", False),
        ("https://LOCALHOST.", False),
        ("https://127.0.0.2", False),
        ("https://[::1]:443", False),
        ("https://[::ffff:127.0.0.1]", False),
        ("https://0.0.0.0", False),
        ("https://", False),
        ("https://[::1", False),
        ("netpuls.example.org", False),
    ],
)
def test_a_public_address_is_https_and_not_this_machine(url: str, public: bool) -> None:
    assert is_public_https(url) is public
