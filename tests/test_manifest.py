"""The Teams app package: template filling, schema validation, icons and the zip.

Schema validation runs Microsoft's @microsoft/app-manifest through node: these tests need
node and `npm ci`, as CI has them.
"""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from netpuls.manifest import (
    DEFAULT_COMMANDS,
    DEFAULT_TEMPLATE_DIR,
    CommandInfo,
    ManifestError,
    Publisher,
    ValidatorUnavailableError,
    build_manifest,
    validate_package,
)

REPO = Path(__file__).resolve().parents[1]
NPM_SCHEMA_ROOT = REPO / "node_modules/@microsoft/app-manifest/build/json-schemas/teams"
APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
PUBLISHER = Publisher(
    "Kommunernes IT",
    "https://it.example.org/netpuls",
    "https://it.example.org/netpuls/privacy",
    "https://it.example.org/netpuls/terms",
)
ZIP_FILES = {"manifest.json", "color.png", "outline.png", "da.json", "sv.json"}


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    """A private copy of the template that a test may break."""
    return Path(shutil.copytree(DEFAULT_TEMPLATE_DIR, tmp_path / "template"))


def _read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _json(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


def _command_schema(version: str) -> dict[str, Any]:
    schema = json.loads((NPM_SCHEMA_ROOT / f"v{version}/MicrosoftTeams.schema.json").read_text())
    bot = schema["properties"]["bots"]["items"]["properties"]
    commands = bot["commandLists"]["items"]["properties"]["commands"]
    result: dict[str, Any] = commands["items"]["properties"]
    return result


def _decode_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit RGB or RGBA PNG (all five row filters) into pixels."""
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color_type in (2, 6), (depth, color_type)
            channels = 3 if color_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, prev = zlib.decompress(idat), width * channels, bytearray(width * channels)
    pixels: list[tuple[int, ...]] = []
    for y in range(height):
        kind_byte, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            paeth = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[i] = (line[i] + (0, a, b, (a + b) // 2, paeth)[kind_byte]) & 0xFF
        pixels += [tuple(line[x : x + channels]) for x in range(0, stride, channels)]
        prev = line
    return width, height, pixels


def test_package_holds_manifest_icons_and_translations_at_the_zip_root(tmp_path: Path) -> None:
    target = build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path, publisher=PUBLISHER)

    assert target == tmp_path / "netpuls.zip"
    assert set(_read_zip(target)) == ZIP_FILES


def test_built_manifest_validates_against_the_schema_of_its_version(tmp_path: Path) -> None:
    files = _read_zip(
        build_manifest(
            APP_ID,
            DEFAULT_COMMANDS,
            tmp_path / "app.zip",
            publisher=PUBLISHER,
            tab_base_url="https://netpuls.example.org/",
        )
    )
    manifest = _json(files["manifest.json"])
    localizations = {name: _json(files[name]) for name in ("da.json", "sv.json")}
    icons = {name: files[name] for name in ("color.png", "outline.png")}

    validate_package(manifest, localizations, icons)  # does not raise

    version = manifest["manifestVersion"]
    assert f"/v{version}/MicrosoftTeams.schema.json" in manifest["$schema"]
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert "{{" not in files["manifest.json"].decode()
    tab = manifest["configurableTabs"][0]
    assert tab["configurationUrl"].startswith("https://netpuls.example.org/tab/configure?")
    assert manifest["staticTabs"][0]["contentUrl"].startswith(
        "https://netpuls.example.org/tab/personal?"
    )
    assert manifest["validDomains"] == ["netpuls.example.org"]
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "en"
    assert [
        lang["languageTag"] for lang in manifest["localizationInfo"]["additionalLanguages"]
    ] == [
        "da",
        "sv",
    ]


def test_template_targets_the_newest_schema_version_in_the_npm_package() -> None:
    versions = [p.name[1:] for p in NPM_SCHEMA_ROOT.glob("v[0-9]*.[0-9]*")]
    newest = max(versions, key=lambda v: tuple(int(part) for part in v.split(".")))
    template = json.loads((DEFAULT_TEMPLATE_DIR / "manifest.json").read_text(encoding="utf-8"))

    assert template["manifestVersion"] == newest, "move manifest/*.json to the newest schema"


@pytest.mark.parametrize(
    "app_id",
    [
        "",
        "netpuls",
        "{{BOT_APP_ID}}",
        "3f2504e0-4f89-11d3-9a0c-0305e82c330",  # one digit short
        "3f2504e04f8911d39a0c0305e82c3301",  # no hyphens
        "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}",
        "3f2504e0-4f89-11d3-9a0c-0305e82c3301\n",
    ],
)
def test_app_id_that_is_not_a_guid_is_refused(app_id: str, tmp_path: Path) -> None:
    out = tmp_path / "app.zip"

    with pytest.raises(ValueError, match="GUID"):
        build_manifest(app_id, DEFAULT_COMMANDS, out, publisher=PUBLISHER)
    assert not out.exists()


def test_command_title_over_the_schema_limit_is_rejected_naming_the_field(tmp_path: Path) -> None:
    version = json.loads((DEFAULT_TEMPLATE_DIR / "manifest.json").read_text())["manifestVersion"]
    limit = _command_schema(version)["title"]["maxLength"]
    commands = [CommandInfo("help", "h" * (limit + 1), "Help.")]
    out = tmp_path / "app.zip"

    with pytest.raises(ManifestError) as caught:
        build_manifest(APP_ID, commands, out, publisher=PUBLISHER)

    field = "$.bots[0].commandLists[0].commands[0].title"
    assert field in str(caught.value)
    assert any(
        issue.file == "manifest.json" and issue.path == field and str(limit) in issue.message
        for issue in caught.value.issues
    )
    assert not out.exists()


def test_command_lists_hold_exactly_the_given_commands_for_every_scope(tmp_path: Path) -> None:
    commands = [
        CommandInfo("next", "next", "Show the next meeting."),
        CommandInfo("cases", "cases", "List the problem statements for the next meeting."),
    ]
    files = _read_zip(build_manifest(APP_ID, commands, tmp_path / "app.zip", publisher=PUBLISHER))
    bot = _json(files["manifest.json"])["bots"][0]

    expected = [{"title": c.title_en, "description": c.description_en} for c in commands]
    assert [lst["scopes"] for lst in bot["commandLists"]] == [["team"], ["personal"], ["groupChat"]]
    assert all(lst["commands"] == expected for lst in bot["commandLists"])
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["supportsFiles"] is True
    assert bot["isNotificationOnly"] is False


def test_default_commands_are_help_next_and_link() -> None:
    assert [c.name for c in DEFAULT_COMMANDS] == ["help", "next", "link"]


def test_translations_follow_the_commands_and_unknown_ones_stay_english(tmp_path: Path) -> None:
    commands = [
        CommandInfo("link", "link", "Link this channel."),
        CommandInfo("help", "help", "Help."),
        CommandInfo("cases", "cases", "List cases."),
    ]
    files = _read_zip(build_manifest(APP_ID, commands, tmp_path / "app.zip", publisher=PUBLISHER))
    da, sv = _json(files["da.json"]), _json(files["sv.json"])

    for i in range(3):
        prefix = f"bots[0].commandLists[{i}].commands"
        assert da[f"{prefix}[0].title"] == "tilknyt"
        assert da[f"{prefix}[1].title"] == "hjælp"
        assert sv[f"{prefix}[0].title"] == "koppla"
        assert sv[f"{prefix}[1].title"] == "hjälp"
        assert f"{prefix}[2].title" not in da  # Teams falls back to the English title
        assert f"{prefix}[2].description" not in sv
    assert da["name.short"] == sv["name.short"] == "netpuls"


def test_length_limit_written_beside_a_ref_in_the_localization_schema_is_enforced(
    tmp_path: Path, template_dir: Path
) -> None:
    # The localization schema says {"maxLength": 30, "$ref": ...} for name.short. Draft-04
    # would ignore the sibling; Microsoft's validator (Ajv) enforces it, and so must we.
    da_file = template_dir / "da.json"
    da = json.loads(da_file.read_text(encoding="utf-8"))
    da["name.short"] = "n" * 31
    da_file.write_text(json.dumps(da, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ManifestError) as caught:
        build_manifest(
            APP_ID,
            DEFAULT_COMMANDS,
            tmp_path / "a.zip",
            template_dir=template_dir,
            publisher=PUBLISHER,
        )

    assert [(i.file, i.path) for i in caught.value.issues] == [("da.json", "$['name.short']")]


def test_schema_reference_outside_the_schema_root_is_reported_not_fetched(
    tmp_path: Path,
) -> None:
    version = json.loads((DEFAULT_TEMPLATE_DIR / "manifest.json").read_text())["manifestVersion"]
    local_root = tmp_path / "schemas"
    shutil.copytree(NPM_SCHEMA_ROOT / f"v{version}", local_root / f"v{version}")
    schema_file = local_root / f"v{version}/MicrosoftTeams.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["name"] = {"$ref": "https://example.invalid/remote.schema.json"}
    schema_file.write_text(json.dumps(schema), encoding="utf-8")

    with pytest.raises(ManifestError, match=r"not available offline.*example\.invalid"):
        build_manifest(
            APP_ID,
            DEFAULT_COMMANDS,
            tmp_path / "a.zip",
            schema_root=local_root,
            publisher=PUBLISHER,
        )


def test_a_schema_url_on_another_host_is_not_fetched_the_shipped_schema_decides(
    tmp_path: Path, template_dir: Path
) -> None:
    manifest_file = template_dir / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    version = manifest["manifestVersion"]
    manifest["$schema"] = f"https://example.invalid/teams/v{version}/MicrosoftTeams.schema.json"
    manifest["developer"]["name"] = "n" * 33  # the shipped schema allows 32 characters
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(ManifestError) as caught:
        build_manifest(
            APP_ID,
            DEFAULT_COMMANDS,
            tmp_path / "a.zip",
            template_dir=template_dir,
            publisher=PUBLISHER,
        )

    assert [(i.file, i.path) for i in caught.value.issues] == [
        ("manifest.json", "$.developer.name")
    ]


def test_without_node_the_build_stops_and_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-dir"))
    out = tmp_path / "a.zip"

    with pytest.raises(ValidatorUnavailableError, match=r"node .*@microsoft/app-manifest"):
        build_manifest(APP_ID, DEFAULT_COMMANDS, out, publisher=PUBLISHER)
    assert not out.exists()


def test_icons_have_teams_sizes_and_the_outline_is_white_on_transparent(tmp_path: Path) -> None:
    files = _read_zip(
        build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path / "a.zip", publisher=PUBLISHER)
    )

    width, height, color = _decode_png(files["color.png"])
    assert (width, height) == (192, 192)
    assert all(len(px) == 3 or px[3] == 255 for px in color)  # opaque
    assert len(set(color)) > 2  # a motif, not a flat square

    width, height, outline = _decode_png(files["outline.png"])
    assert (width, height) == (32, 32)
    assert all(px[:3] == (255, 255, 255) or px[3] == 0 for px in outline)
    assert any(px[3] == 0 for px in outline) and any(px[3] == 255 for px in outline)


def test_icon_of_the_wrong_size_is_rejected(tmp_path: Path, template_dir: Path) -> None:
    shutil.copyfile(template_dir / "color.png", template_dir / "outline.png")

    with pytest.raises(ManifestError, match=r"outline\.png: \$\.icons\.outline: must be 32x32"):
        build_manifest(
            APP_ID,
            DEFAULT_COMMANDS,
            tmp_path / "a.zip",
            template_dir=template_dir,
            publisher=PUBLISHER,
        )


def test_same_input_builds_a_byte_identical_zip(tmp_path: Path) -> None:
    first = build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path / "1.zip", publisher=PUBLISHER)
    second = build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path / "2.zip", publisher=PUBLISHER)

    assert first.read_bytes() == second.read_bytes()


def test_the_developer_section_names_the_publisher_given(tmp_path: Path) -> None:
    files = _read_zip(
        build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path / "a.zip", publisher=PUBLISHER)
    )

    assert _json(files["manifest.json"])["developer"] == {
        "name": "Kommunernes IT",
        "websiteUrl": "https://it.example.org/netpuls",
        "privacyUrl": "https://it.example.org/netpuls/privacy",
        "termsOfUseUrl": "https://it.example.org/netpuls/terms",
    }


def test_the_template_names_no_publisher_of_its_own() -> None:
    text = (DEFAULT_TEMPLATE_DIR / "manifest.json").read_text(encoding="utf-8")
    developer = json.loads(text)["developer"]

    assert all(value.startswith("{{") for value in developer.values())
    assert "example.org" not in text


@pytest.mark.parametrize("blank", ["name", "website_url", "privacy_url", "terms_url"])
def test_a_publisher_without_a_name_or_a_page_is_refused(blank: str) -> None:
    given = {
        "name": "Kommunernes IT",
        "website_url": "https://it.example.org",
        "privacy_url": "https://it.example.org/privacy",
        "terms_url": "https://it.example.org/terms",
    }

    with pytest.raises(ValueError, match=blank):
        Publisher(**{**given, blank: " "})


def test_the_app_asks_team_owners_only_for_the_consent_it_uses(tmp_path: Path) -> None:
    # Graph reads channel messages (graph/messages.py) and the team's members (graph/members.py);
    # nothing reads the team's settings.
    files = _read_zip(
        build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path / "a.zip", publisher=PUBLISHER)
    )
    manifest = _json(files["manifest.json"])

    granted = manifest["authorization"]["permissions"]["resourceSpecific"]
    assert sorted((p["name"], p["type"]) for p in granted) == [
        ("ChannelMessage.Read.Group", "Application"),
        ("TeamMember.Read.Group", "Application"),
    ]
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": f"api://botid-{APP_ID}"}


def test_the_tabs_sso_app_and_resource_are_in_the_package_and_validate(tmp_path: Path) -> None:
    resource = f"api://netpuls.example.org/botid-{APP_ID}"
    files = _read_zip(
        build_manifest(
            APP_ID,
            DEFAULT_COMMANDS,
            tmp_path / "a.zip",
            publisher=PUBLISHER,
            sso=(APP_ID, resource),
        )
    )

    assert _json(files["manifest.json"])["webApplicationInfo"] == {
        "id": APP_ID,
        "resource": resource,
    }


def test_a_tab_app_id_that_is_not_a_guid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="GUID"):
        build_manifest(
            APP_ID, DEFAULT_COMMANDS, tmp_path / "a.zip", publisher=PUBLISHER, sso=("x", "api://x")
        )


def test_without_a_public_address_the_package_has_no_tabs(tmp_path: Path) -> None:
    files = _read_zip(build_manifest(APP_ID, DEFAULT_COMMANDS, tmp_path, publisher=PUBLISHER))
    manifest = _json(files["manifest.json"])
    assert "staticTabs" not in manifest and "configurableTabs" not in manifest
    assert manifest["validDomains"] == []


def test_tabs_on_plain_http_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="https"):
        build_manifest(
            APP_ID, DEFAULT_COMMANDS, tmp_path, publisher=PUBLISHER, tab_base_url="http://x.org"
        )
