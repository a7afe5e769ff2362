"""Drift tests: the bundled profiles against the vendors' own SDKs, where PyPI has them
(``pip install .[test]`` installs them; each test skips with the reason when one is absent).

A failure here means a vendor changed its API's types: check the new values against the
vendor's docs, correct the profile's data file and its ``checked`` date.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pytest
from sora_lint_plugins.jobs.options import SCHEMAS
from sora_lint_plugins.profiles.bundled import load


def _sdk(name: str) -> Any:
    return pytest.importorskip(name, reason=f"{name} is not installed (pip install .[test])")


def _literal(hint: Any) -> set[Any]:
    """The values of a ``Literal`` (or of the ``Literal`` arm of a ``Union[Literal, str]``)."""
    if typing.get_origin(hint) is typing.Literal:
        return set(typing.get_args(hint))
    for arm in typing.get_args(hint):
        if typing.get_origin(arm) is typing.Literal:
            return set(typing.get_args(arm))
    raise AssertionError(f"no Literal in {hint!r}")


def _required(hint: Any) -> Any:
    """``Required[Annotated[...]]`` -> ``Annotated[...]`` (a TypedDict key's wire alias)."""
    import typing_extensions

    while typing.get_origin(hint) in (typing_extensions.Required, typing_extensions.NotRequired):
        hint = typing.get_args(hint)[0]
    return hint


def test_sora_matches_the_openai_sdk() -> None:
    _sdk("openai")
    from openai.types import VideoModelParam, VideoSeconds, VideoSize

    pro, sora = load("sora-2-pro"), load("sora-2")
    assert set(typing.get_args(VideoSize)) == {str(size) for size in pro.sizes}
    assert set(typing.get_args(VideoSeconds)) == set(pro.seconds) == set(sora.seconds)
    ids = {*pro.aliases, pro.name, *sora.aliases, sora.name}
    assert _literal(VideoModelParam) == ids


def test_runway_ratios_durations_and_request_shape_match_runwayml() -> None:
    _sdk("runwayml")
    from runwayml.types import image_to_video_create_params as params

    for cls, name in ((params.Gen4_5, "runway-gen4.5"), (params.Gen4Turbo, "runway-gen4-turbo")):
        profile = load(name)
        hints = typing.get_type_hints(cls)
        assert set(typing.get_args(hints["ratio"])) == set(profile.ratios)
        assert _literal(hints["model"]) <= set(profile.aliases)
        assert hints["duration"] is int and profile.seconds_range == (2, 10)
        wire = {
            meta.alias
            for hint in typing.get_type_hints(cls, include_extras=True).values()
            for meta in getattr(_required(hint), "__metadata__", ())
            if getattr(meta, "alias", None)
        }
        assert {"promptImage", "promptText"} <= wire
    source = inspect.getsource(params)
    assert "Must be an integer from 2 to 10." in source  # gen4.5's documented range
    assert "up to 1000 characters (measured in UTF-16 code units)" in source
    runway = SCHEMAS["runway"]
    assert runway["input_reference"][-1] == "promptImage" and runway["prompt"] == ("promptText",)


def test_veo_resize_modes_fields_and_wire_names_match_google_genai() -> None:
    _sdk("google.genai")
    from google.genai import models, types

    assert {mode.value for mode in types.ImageResizeMode} == {"CROP", "PAD"}
    assert {"gcs_uri", "image_bytes", "mime_type"} <= set(types.Image.model_fields)
    config = types.GenerateVideosConfig.model_fields
    assert {"aspect_ratio", "duration_seconds", "resolution", "resize_mode",
            "reference_images"} <= set(config)  # fmt: skip
    veo = load("veo-3.1")
    aspect = config["aspect_ratio"].description or ""
    assert all(ratio in aspect for ratio in veo.ratios)
    resolution = config["resolution"].description or ""
    assert "720p" in resolution and "1080p" in resolution
    assert {"crop", "pad"} >= {veo.action("aspect"), veo.action("ratio")}
    source = inspect.getsource(models)
    shape = SCHEMAS["veo"]
    for path in (*shape["ratio"], *shape["seconds"], *shape["resolution"], *shape["resize_mode"]):
        assert f"'parameters', '{path.split('.')[-1]}'" in source, path
    for leaf in ("gcsUri", "bytesBase64Encoded", "mimeType", "referenceImages"):
        assert f"'{leaf}'" in source, leaf


def test_luma_output_ratios_and_ids_match_lumaai() -> None:
    _sdk("lumaai")
    from lumaai.types import generation_create_params as params

    luma = load("luma-ray2")
    hints = typing.get_type_hints(params.GenerationCreateParams)
    assert _literal(hints["aspect_ratio"]) == set(luma.ratios)
    assert _literal(hints["model"]) <= set(luma.aliases)
    assert _literal(hints["duration"]) == set(luma.seconds)
    assert _literal(hints["resolution"]) == set(luma.resolutions)
    assert not luma.aspect_ratios  # the enum is the output's, never the image's
