"""Server processes under test: start, time to /healthz, CPU and memory from /proc, stop."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
START_TIMEOUT_SECONDS = 60.0
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A free TCP port on loopback (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def memory_mb(pid: int, key: str) -> float:
    """A memory figure of a process in MiB: VmRSS (now) or VmHWM (peak RSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


async def run_command(argv: list[str], env: dict[str, str]) -> None:
    """Run a one-off command (migrations, imports); fail with its output."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{output.decode(errors='replace')}")


@dataclass
class Server:
    """One server process on 127.0.0.1; `start()` measures how long /healthz takes.

    `argv` gets `--port N` appended: a free port, and another one if that was taken
    between the probe and the bind (other processes on the machine start servers too).
    """

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    port: int = 0
    startup_seconds: float = 0.0
    idle_rss_mb: float = 0.0
    _process: asyncio.subprocess.Process | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """The process id."""
        assert self._process is not None
        return self._process.pid

    async def start(self, http: aiohttp.ClientSession) -> None:
        """Start the process and wait until GET /healthz answers 200 (three tries at a port)."""
        for _ in range(3):
            if await self._try_start(http):
                return
        raise RuntimeError(f"{self.name} did not start; see {self.log_path}")

    async def _try_start(self, http: aiohttp.ClientSession) -> bool:
        self.port = free_port()
        began = time.perf_counter()
        with self.log_path.open("wb") as log:
            process = self._process = await asyncio.create_subprocess_exec(
                *self.argv, "--port", str(self.port), cwd=ROOT, env=self.env, stdout=log, stderr=log
            )
        while process.returncode is None:
            if time.perf_counter() - began > START_TIMEOUT_SECONDS:
                raise RuntimeError(f"{self.name} did not answer /healthz; see {self.log_path}")
            try:
                timeout = aiohttp.ClientTimeout(total=1)
                async with http.get(f"{self.url}/healthz", timeout=timeout) as response:
                    if response.status == 200:
                        break
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.005)
        self.startup_seconds = time.perf_counter() - began
        await asyncio.sleep(1.0)  # let start-up work settle before calling it idle
        if process.returncode is not None:
            # Exited (the port was taken; a /healthz answer came from someone else's server).
            return False
        self.idle_rss_mb = memory_mb(self.pid, "VmRSS")
        return True

    def cpu_seconds(self) -> float:
        """CPU time the process has used so far."""
        return cpu_seconds(self.pid)

    def peak_rss_mb(self) -> float:
        """The highest RSS the process reached."""
        return memory_mb(self.pid, "VmHWM")

    async def stop(self) -> None:
        """Terminate, and kill if it does not stop within 10 s."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except TimeoutError:
            process.kill()
            await process.wait()


def base_env(**extra: str) -> dict[str, str]:
    """The environment for a server: this one, loopback only, quiet logs, no .env surprises."""
    env = dict(os.environ)
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "DATABASE_URL"):
        env.pop(name, None)
    env.update(HOST="127.0.0.1", LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1", **extra)
    return env
