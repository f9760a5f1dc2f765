"""The deployment files agree with each other and with netpuls: Dockerfile, infra/, m365agents.yml.

The Dockerfile is read by the `dockerfile` package, which wraps Docker's own (BuildKit)
parser; m365agents.yml is checked against the Agents Toolkit's own schema (tests/schemas/).
Building the image and compiling the Bicep need a Docker daemon and the Bicep CLI; those
tests run where the tools are and are skipped, saying so, where they are not.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import dockerfile
import jsonschema
import pytest
import yaml

from netpuls.cli import main
from netpuls.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BICEP_FILES = ("infra/registry.bicep", "infra/main.bicep")
TOOLKIT_VARIABLE = re.compile(r"\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _instructions() -> tuple[dockerfile.Command, ...]:
    return dockerfile.parse_file(str(ROOT / "Dockerfile"))


def _stages() -> list[list[dockerfile.Command]]:
    stages: list[list[dockerfile.Command]] = []
    for command in _instructions():
        if command.cmd == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(command)
    return stages


def _makefile_uv_version() -> str:
    found = re.search(r"^UV_VERSION\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert found, "the Makefile pins no UV_VERSION"
    return found.group(1)


def _bicep_params(path: str) -> dict[str, bool]:
    """Each `param` of a Bicep file, and whether it must be given (no default)."""
    params: dict[str, bool] = {}
    for line in (ROOT / path).read_text().splitlines():
        declared = re.match(r"param (\w+) \w+(\s*=.*)?$", line)
        if declared:
            params[declared.group(1)] = declared.group(2) is None
    return params


def _bicep_outputs() -> set[str]:
    outputs: set[str] = set()
    for path in BICEP_FILES:
        outputs |= set(re.findall(r"^output (\w+) ", (ROOT / path).read_text(), re.M))
    return outputs


def _env_file_names(path: str) -> set[str]:
    names = set()
    for line in (ROOT / path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names.add(line.split("=", 1)[0].strip())
    return names


def _toolkit_project() -> dict[str, list[dict[str, object]]]:
    project = yaml.safe_load((ROOT / "m365agents.yml").read_text())
    assert isinstance(project, dict)
    return project


def test_dockerfile_parses_into_assets_build_and_runtime_stages() -> None:
    stages = _stages()

    assert [stage[0].value[-1] for stage in stages] == ["assets", "build", "runtime"]
    copied_from = [c.flags for c in stages[2] if c.cmd == "COPY"]
    assert copied_from == [("--from=build",), ("--from=assets",)], (
        "the runtime stage takes only the build's output and the tab's browser packages"
    )
    installs = [c.value[0] for c in stages[0] if c.cmd == "RUN"]
    assert installs == ["npm ci --omit=dev --ignore-scripts --no-audit --no-fund"]


def test_image_installs_exactly_the_lock_with_the_uv_the_makefile_pins() -> None:
    args = {
        c.value[0].split("=", 1)[0]: c.value[0].split("=", 1)[1]
        for c in _instructions()
        if c.cmd == "ARG" and "=" in c.value[0]
    }
    syncs = [c.value[0] for c in _instructions() if c.cmd == "RUN" and "uv sync" in c.value[0]]

    assert args["UV_VERSION"] == _makefile_uv_version()
    assert syncs, "the image never runs uv sync"
    for sync in syncs:
        assert {"--frozen", "--no-dev", "--compile-bytecode"} <= set(sync.split()), sync


def test_image_serves_as_a_user_that_is_not_root() -> None:
    runtime = _stages()[-1]
    users = [c.value[0] for c in runtime if c.cmd == "USER"]
    command = [c.value for c in runtime if c.cmd == "CMD"]

    assert users, "the runtime stage never leaves root"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert command == [("netpuls", "serve")]


def test_build_context_lets_in_everything_the_dockerfile_copies() -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    copied = {
        source.rstrip("/")
        for c in _instructions()
        if c.cmd == "COPY" and not any(f.startswith("--from") for f in c.flags)
        for source in c.value[:-1]
    }

    assert copied <= allowed, f"ignored by .dockerignore: {sorted(copied - allowed)}"
    for source in copied:
        assert (ROOT / source).exists(), source


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["serve"], id="serve"),
        pytest.param(["db", "upgrade"], id="db-upgrade"),
    ],
)
def test_commands_the_image_and_the_job_run_exist(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    in_dockerfile = [list(c.value) for c in _instructions() if c.cmd == "CMD"]
    in_bicep = [
        json.loads(listed.replace("'", '"'))
        for listed in re.findall(r"command: (\[[^\]]*\])", (ROOT / "infra/main.bicep").read_text())
    ]
    assert ["netpuls", *argv] in in_dockerfile + in_bicep

    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])

    assert exited.value.code == 0, capsys.readouterr().err


@pytest.mark.parametrize("template", BICEP_FILES)
def test_parameter_files_give_every_required_parameter_and_no_unknown_one(template: str) -> None:
    params = _bicep_params(template)
    given = json.loads((ROOT / template.replace(".bicep", ".parameters.json")).read_text())

    names = set(given["parameters"])
    assert names <= set(params), f"not parameters of {template}: {sorted(names - set(params))}"
    required = {name for name, needed in params.items() if needed}
    assert required <= names, f"{template} needs {sorted(required - names)}"


def test_container_environment_names_are_settings_netpuls_reads() -> None:
    bicep = (ROOT / "infra/main.bicep").read_text()
    given = set(re.findall(r"\{ name: '([A-Za-z_]+)', (?:value|secretRef):", bicep))
    known: set[str] = set()
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        known |= {c for c in getattr(alias, "choices", ()) if isinstance(c, str)}

    assert {"MicrosoftAppId", "DATABASE_URL", "NETPULS_SIGNING_KEY", "PUBLIC_BASE_URL"} <= given
    assert given <= known, f"netpuls reads no {sorted(given - known)}"


def test_toolkit_project_follows_the_toolkits_own_schema() -> None:
    project = _toolkit_project()
    version = project["version"]
    schema = json.loads((ROOT / f"tests/schemas/m365agents-{version}/yaml.schema.json").read_text())

    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(project)
    ]

    assert not errors, "\n".join(errors[:10])


def test_toolkit_project_has_the_three_lifecycle_stages_on_files_that_exist() -> None:
    project = _toolkit_project()

    assert {"provision", "deploy", "publish"} <= set(project)
    for stage in ("provision", "deploy", "publish"):
        for step in project[stage]:
            inputs = step.get("with", {})
            assert isinstance(inputs, dict)
            for template in inputs.get("templates", []):
                assert (ROOT / template["path"]).is_file(), template["path"]
                assert (ROOT / template["parameters"]).is_file(), template["parameters"]
            script = str(inputs.get("run", ""))
            for path in re.findall(r"(?:^|\s)(scripts/\S+)", script):
                assert (ROOT / path).is_file(), path


def test_every_toolkit_variable_is_set_by_someone() -> None:
    project_text = (ROOT / "m365agents.yml").read_text()
    used = set(TOOLKIT_VARIABLE.findall(project_text))
    for template in BICEP_FILES:
        parameters = ROOT / template.replace(".bicep", ".parameters.json")
        used |= set(TOOLKIT_VARIABLE.findall(parameters.read_text()))
    written = {
        str(name)
        for stage in _toolkit_project().values()
        if isinstance(stage, list)
        for step in stage
        for name in (step.get("writeToEnvironmentFile") or {}).values()
    }
    set_by = (
        _env_file_names("env/.env.dev")
        | _env_file_names("env/.env.dev.user.example")
        | _bicep_outputs()
        | written
    )

    assert used <= set_by, f"nobody sets {sorted(used - set_by)}"


@pytest.mark.skipif(
    shutil.which("bicep") is None,
    reason="the Bicep CLI is not installed (it ships neither on PyPI nor on npm)",
)
@pytest.mark.parametrize("template", BICEP_FILES)
def test_bicep_templates_compile(template: str, tmp_path: Path) -> None:
    bicep = shutil.which("bicep")
    assert bicep is not None
    out = tmp_path / "template.json"
    result = subprocess.run(
        [bicep, "build", str(ROOT / template), "--outfile", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["resources"]


def _docker_daemon() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run([docker, "info"], capture_output=True, check=False)
    return probe.returncode == 0


def test_docker_accepts_the_dockerfile() -> None:
    if not _docker_daemon():
        pytest.skip("no Docker daemon is reachable here")
    docker = shutil.which("docker")
    assert docker is not None
    result = subprocess.run(
        [docker, "build", "--check", str(ROOT)], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
