"""The bundled profiles as data: every file parses with the config code, every fact has a
source (or says it is unconfirmed), and `sora-lint profiles` shows all of it."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from sora_lint_plugins.profiles.bundled import SORA, VENDORS, load
from sora_lint_plugins.profiles.parse import KEYS, parse_profile
from sora_lint_plugins.profiles.tables import bundled_tables, table

from sora_lint.types import Size
from tests.conftest import CliResult

DATA = Path(__file__).resolve().parents[2] / "plugins" / "profiles" / "data"
#: Keys that describe a profile rather than state a fact about the model.
DESCRIPTIVE = {"description", "notes", "source", "source-url", "checked", "vendor-source",
               "facts", "job-schema", "aspect-tolerance", "status"}  # fmt: skip
#: The names the issue made a public contract.
CONTRACT = {
    "sora-2", "sora-2-pro", "veo-3.1", "runway-gen4.5", "runway-gen4-turbo", "kling-2", "kling-3",
    "hailuo-2.3", "seedance-1", "wan-2.6", "vidu-2", "svd", "luma-ray2",
}  # fmt: skip
#: Old names that must keep working, and the profile each now selects.
OLD_NAMES = {"veo-3": "veo-3.1", "runway-gen4": "runway-gen4-turbo", "kling": "kling-3"}


def _toml(path: Path) -> dict[str, object]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_every_data_file_is_a_bundled_profile_and_back() -> None:
    assert {p.stem for p in DATA.glob("*.toml")} == set(SORA) | set(VENDORS)
    assert set(SORA) | set(VENDORS) >= CONTRACT


def test_the_shipped_tables_are_the_generated_ones() -> None:
    """``data/tables.json`` (what a run reads instead of parsing TOML) matches the data files,
    and is package data."""
    assert (DATA / "tables.json").read_text(encoding="utf-8") == bundled_tables(), (
        "regenerate it: python -m sora_lint_plugins.profiles.tables "
        "> plugins/profiles/data/tables.json"
    )
    installed = resources.files("sora_lint_plugins.profiles").joinpath("data/tables.json")
    assert installed.read_text(encoding="utf-8") == bundled_tables()


def test_a_data_file_edited_since_the_tables_were_made_is_read_from_its_toml() -> None:
    text = (DATA / "sora-2.toml").read_text(encoding="utf-8")
    assert table("sora-2", text) == _toml(DATA / "sora-2.toml")
    edited = text.replace('sizes = ["1280x720", "720x1280"]', 'sizes = ["1280x720"]')
    assert edited != text
    assert table("sora-2", edited)["sizes"] == ["1280x720"]  # not the stored table's
    assert parse_profile("sora-2", table("sora-2", edited)).sizes == (Size(1280, 720),)


@pytest.mark.parametrize("name", [*SORA, *VENDORS])
def test_every_fact_has_a_source_or_says_it_is_unconfirmed(name: str) -> None:
    table = _toml(DATA / f"{name}.toml")
    assert parse_profile(name, table) == load(name)  # the config code reads it, unchanged
    assert table["checked"] == "2026-12-06" and str(table["source-url"]).startswith("https://")
    assert isinstance(table["vendor-source"], bool)
    facts = table.get("facts", {})
    assert isinstance(facts, dict)
    stated = set(table) - DESCRIPTIVE
    for key in stated:
        subkeys = table[key] if key in ("near-miss",) else {}
        assert isinstance(subkeys, dict)
        covered = key in facts or (
            bool(subkeys) and all(f"{key}.{sub}" in facts for sub in subkeys)
        )
        assert covered, f"{name}: {key} has no [facts.{key}]"
    for key, fact in facts.items():
        assert isinstance(fact, dict)
        head = key.split(".")[0]
        assert head in KEYS
        if fact.get("source-url"):
            assert fact["checked"] in ("2026-12-06", "2026-11-26"), (name, key)
            assert isinstance(fact.get("vendor"), bool), (name, key)
            if not fact["vendor"]:
                assert fact.get("note"), f"{name}: third-party fact {key} needs a note"
        else:
            assert re.search(r"unconfirmed", str(fact["note"]), re.I), (name, key)


def test_aliases_are_unique_and_old_names_keep_working(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    seen: dict[str, str] = {}
    for name in (*SORA, *VENDORS):
        for alias in (name, *load(name).aliases):
            assert alias.casefold() not in seen, (alias, name, seen.get(alias.casefold()))
            seen[alias.casefold()] = name
    for old, new in OLD_NAMES.items():
        assert seen[old] == new
    listed = {p["name"]: p for p in cli("profiles", "--output-format", "json", cwd=tmp_path).json}
    assert "gen4.5" in listed["runway-gen4.5"]["aliases"]
    assert "veo-3.1-generate-001" in listed["veo-3.1"]["aliases"]


def test_profiles_json_lists_rules_severities_deliveries_and_sources(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    result = cli("profiles", "--output-format", "json", "--isolated", cwd=tmp_path)
    listed = {p["name"]: p for p in result.json}
    assert set(listed) >= CONTRACT
    for profile in listed.values():
        assert profile["source"] and profile["source_url"].startswith("https://")
        assert profile["checked"] == "2026-12-06" and isinstance(profile["vendor_source"], bool)
        assert set(profile["delivery_limits"]) == {"url", "data-uri", "upload"}
        assert profile["rules"] and all(
            r["severity"] in ("error", "warning") and r["near_miss"] for r in profile["rules"]
        )
        assert profile["facts"] and profile["aliases"] is not None
    assert [p for p in listed if listed[p]["default"]] == ["sora-2"]
    assert {p for p in listed if listed[p]["retired"]} == {"sora-2", "sora-2-pro"}
    assert listed["runway-gen4.5"]["delivery_limits"] == {
        "url": 16_777_216, "data-uri": 5_242_880, "upload": 209_715_200,
    }  # fmt: skip
    assert listed["kling-2"]["delivery_limits"] == dict.fromkeys(("url", "data-uri", "upload"),
                                                                 10_000_000)  # fmt: skip
    veo = {r["constraint"]: r for r in listed["veo-3.1"]["rules"]}
    assert veo["aspect"]["near_miss"] == "crop" and veo["aspect"]["severity"] == "warning"
    assert (
        veo["format"]["severity"] == "error" and veo["format"]["limit"] == "image/jpeg, image/png"
    )
    svd = {r["constraint"]: r for r in listed["svd"]["rules"]}
    assert svd["sizes"]["severity"] == "error"
    assert listed["kling-2"]["vendor_source"] is False and listed["vidu-2"]["vendor_source"]
    assert listed["luma-ray2"]["aspect_ratios"] == [] and "21:9" in listed["luma-ray2"]["ratios"]
    assert listed["veo-3.1"]["combinations"][0]["then"] == "seconds"


def test_profiles_text_marks_default_retired_and_sources(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    text = cli("profiles", "--isolated", cwd=tmp_path).out
    assert "\nsora-2 (default, RETIRED)\n" in text and "\nsora-2-pro (RETIRED)\n" in text
    assert "  aspect:       0.5 to 2 (width / height) — otherwise rejected (error)" in text
    assert "16:9 or 9:16 (±1%) — otherwise crop (warning)" in text
    assert "  bytes:        url 16,777,216; data-uri 5,242,880; upload 209,715,200" in text
    # each live profile says where each fact comes from
    assert "    max-bytes: third party, 2026-12-06 https://github.com/zechenzhangAGI/" in text
    (tmp_path / "sora-lint.toml").write_text('model = "gen4.5"\n')
    configured = cli("profiles", cwd=tmp_path).out
    assert "\nrunway-gen4.5 (default)\n" in configured and "\nsora-2 (RETIRED)\n" in configured


def test_luma_ratio_is_printed_as_written(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    (tmp_path / "sora-lint.toml").write_text(
        '[profiles.cinema]\naspect-ratios = ["21:9", "9:21"]\n', encoding="utf-8"
    )
    (tmp_path / "jobs.json").write_text(
        '{"model": "luma-ray2", "keyframes": {}, "aspect_ratio": "7:3"}', encoding="utf-8"
    )
    from PIL import Image

    Image.new("RGB", (1000, 1000)).save(tmp_path / "sq.png")
    found = cli("--model", "cinema", "sq.png", "--output-format", "json", cwd=tmp_path).json
    assert "accepts: 21:9 or 9:21" in found[0]["message"]
    jobs = cli("--job-file", "jobs.json", "--output-format", "json", cwd=tmp_path).json
    assert any("allowed: 1:1, 16:9, 9:16, 4:3, 3:4, 21:9, 9:21" in d["message"] for d in jobs)
