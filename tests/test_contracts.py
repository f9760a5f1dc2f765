"""Every contract payload names the documentation page it follows."""

from __future__ import annotations

import json

import pytest

from tests.contracts import HERE, names

AREAS = sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_"))
CONTRACTS = [(area, name) for area in AREAS for name in names(area)]


@pytest.mark.parametrize(("area", "name"), CONTRACTS, ids=[f"{a}/{n}" for a, n in CONTRACTS])
def test_each_contract_names_a_microsoft_page_and_carries_a_payload(area: str, name: str) -> None:
    document = json.loads((HERE / area / f"{name}.json").read_text("utf-8"))
    assert set(document) <= {"doc", "title", "playground", "payload"}
    assert str(document["doc"]).startswith("https://learn.microsoft.com/")
    assert document["title"]
    assert isinstance(document["payload"], dict) and document["payload"]
