"""No configuration file makes sora-lint raise anything but a one-line config error: a
hypothesis fuzz of the reader and the value parsers, over every option a run declares."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sora_lint.config.files import find_config
from sora_lint.errors import SoraLintError
from sora_lint.host.manager import build_plugin_manager
from sora_lint.host.plugin_host import PluginHost
from sora_lint.run.runner import build_session, resolve_settings


def _config_keys() -> list[str]:
    host = PluginHost(build_plugin_manager())
    return sorted(option.name for option in host.options if option.config)


KEYS = _config_keys()


def toml_value(value: Any) -> str:
    """``value`` spelt in TOML (JSON strings are TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["[z-a]", "\\", "a\\", "!", "\x00", "1280x720", "auto", "sora-2", "SL001",
                     "../x", "/abs", "**/*.png", "1/4", "0", "-1", "pad", "cover", "ALL"]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


ENTRIES = st.lists(st.tuples(st.sampled_from([*KEYS, "tool", "unknown-key"]), VALUES), max_size=4)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(entries=ENTRIES)
@example(entries=[("include", ["[z-a]"])])
@example(entries=[("exclude", "\\")])
@example(entries=[("max-pixels", math.inf)])
@example(entries=[("jobs", math.inf)])
@example(entries=[("pad-blur-radius", -math.inf)])
@example(entries=[("baseline", "\x00")])
@example(entries=[("tool", "x")])
def test_any_config_table_is_a_value_or_a_config_error(
    tmp_path: Path, entries: list[tuple[str, Any]]
) -> None:
    lines = [f"{json.dumps(key)} = {toml_value(value)}" for key, value in dict(entries).items()]
    (tmp_path / "sora-lint.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    host = PluginHost(build_plugin_manager())
    try:
        config = find_config(tmp_path)
        settings_ = resolve_settings(host, config, {})
        build_session(host, settings_, ["."], tmp_path)
    except SoraLintError as exc:
        assert "\n" not in str(exc).strip()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_in_a_pyproject_are_read_or_refused_in_one_line(
    tmp_path: Path, raw: bytes
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.sora-lint]\n" + raw)
    try:
        find_config(tmp_path)
    except SoraLintError as exc:
        assert "\n" not in str(exc).strip()
