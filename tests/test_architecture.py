"""Rules of the architecture that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "cards", "domain", "services", "storage", "scheduler", "netpuls", "graph", "tab")
STDLIB_ONLY = ("domain",)


def imports(package: str) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


# Which package may import botbuilder and msgraph, and the layers, are import-linter contracts
# in pyproject.toml, checked by `make lint`.


def test_the_domain_uses_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"domain", "__future__"}
    offenders = [
        f"{p.relative_to(ROOT)}: {m}"
        for p, m in imports("domain")
        if m.split(".")[0] not in allowed
    ]
    assert offenders == []


def test_importing_every_module_has_no_side_effects(tmp_path: Path) -> None:
    modules = sorted(
        {
            ".".join(p.relative_to(ROOT).with_suffix("").parts)
            for pkg in PACKAGES
            for p in (ROOT / pkg).rglob("*.py")
            if "migrations" not in p.parts and p.name != "__main__.py"
        }
    )
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        check=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert list(tmp_path.iterdir()) == []
