"""The real bot as a separate process: `python -m netpuls serve` on loopback, demo network."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = REPO_ROOT / "examples" / "demo.yaml"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _netpuls(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "netpuls", *args],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _prepare(workdir: Path, network_file: Path, port: int) -> dict[str, str]:
    """A fresh migrated SQLite database with the network imported; the bot's environment."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'netpuls.db'}",
        "MicrosoftAppId": "",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    _netpuls(env, "db", "upgrade")
    _netpuls(env, "network", "import", str(network_file))
    return env


@contextlib.asynccontextmanager
async def run_bot(
    workdir: Path, *, network_file: Path = DEMO, startup_timeout: float = 20.0
) -> AsyncIterator[str]:
    """Serve netpuls anonymously on a free loopback port; yield its base URL."""
    port = free_port()
    env = await asyncio.to_thread(_prepare, workdir, network_file, port)
    log_path = workdir / "bot.log"
    with log_path.open("wb") as log:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "netpuls",
            "serve",
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        async with aiohttp.ClientSession() as session:
            while not await _ready(session, base):
                if proc.returncode is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-4000:]
                    raise RuntimeError(f"netpuls did not start:\n{tail}")
                await asyncio.sleep(0.1)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            os.killpg(proc.pid, signal.SIGKILL)
            await asyncio.wait_for(proc.wait(), 10)


async def _ready(session: aiohttp.ClientSession, base: str) -> bool:
    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
        async with session.get(f"{base}/readyz", timeout=aiohttp.ClientTimeout(total=1)) as resp:
            return resp.status == 200
    return False
