"""Jobs in each vendor's own request shape: field-map presets, the parameter rules of the
job's profile (SL032-SL035) and inline images, each at the job's line."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import CliResult


def image(path: Path, size: tuple[int, int], fmt: str = "PNG", total: int = 0) -> Path:
    Image.new("RGB", size, (40, 90, 160)).save(path, format=fmt)
    if total:
        with path.open("ab") as handle:
            handle.write(b"\0" * (total - path.stat().st_size))
    return path


def b64(fmt: str = "JPEG", size: tuple[int, int] = (16, 16)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(out, format=fmt)
    return base64.b64encode(out.getvalue()).decode("ascii")


def run(
    tmp_path: Path, cli: Callable[..., CliResult], jobs: list[Any], *argv: str
) -> list[tuple[str, int | None, str | None]]:
    """Write the jobs (one per line) and lint them: ``(code, line, asset)`` found."""
    (tmp_path / "jobs.jsonl").write_text("".join(json.dumps(j) + "\n" for j in jobs))
    result = cli("--isolated", "--job-file", "jobs.jsonl", "--output-format", "json", *argv,
                 "jobs.jsonl", cwd=tmp_path)  # fmt: skip
    assert "Traceback" not in result.err and "error" not in result.err, result.err
    return sorted((d["code"], d.get("line"), d.get("asset")) for d in result.json)


RUNWAY = {"model": "gen4.5", "promptImage": "a.png", "ratio": "1280:720", "duration": 5,
          "promptText": "drift"}  # fmt: skip
VEO = {"model": "veo-3.1", "instances": [{"prompt": "p", "image": {"gcsUri": "a.png",
       "mimeType": "image/png"}}], "parameters": {"aspectRatio": "16:9"}}  # fmt: skip
KLING = {"model_name": "kling-v2-6", "image": "a.png", "duration": "5", "prompt": "p"}


def veo(**parameters: Any) -> dict[str, Any]:
    return {**VEO, "parameters": {**VEO["parameters"], **parameters}}


CASES: list[tuple[str, list[Any], list[tuple[str, int | None, str | None]]]] = [
    ("runway-fine", [RUNWAY], []),
    ("runway-bad-ratio", [{**RUNWAY, "ratio": "1920:1080"}], [("SL032", 1, "a.png")]),
    ("runway-duration", [{**RUNWAY, "duration": 11}, {**RUNWAY, "duration": 2}],
     [("SL017", 1, "a.png")]),
    ("runway-list-image", [{**RUNWAY, "promptImage": [{"uri": "a.png", "position": "first"}],
                            "ratio": "1:1"}], [("SL032", 1, "a.png")]),
    ("runway-missing-image", [{**RUNWAY, "promptImage": "gone.png"}], [("SL014", 1, None)]),
    ("runway-utf16-prompt", [{**RUNWAY, "promptText": "\U0001f3ac" * 501}],
     [("SL018", 1, "a.png")]),  # 501 emoji are 1,002 UTF-16 code units
    ("runway-bare-base64", [{**RUNWAY, "promptImage": b64()}], [("SL035", 1, None)]),
    ("runway-typeless-data-uri", [{**RUNWAY, "promptImage": "data:;base64," + b64()}],
     [("SL035", 1, None)]),
    ("runway-inline-ok", [{**RUNWAY, "promptImage": "data:image/jpeg;base64," + b64()}], []),
    ("runway-inline-gif", [{**RUNWAY, "promptImage": "data:image/gif;base64," + b64("GIF")}],
     [("SL002", 1, None)]),
    ("runway-inline-x-png", [{**RUNWAY, "promptImage": "data:image/x-png;base64," + b64("PNG")}],
     [("SL031", 1, None)]),
    ("veo-fine", [veo(durationSeconds=8, resolution="1080p")], []),
    ("veo-1080p-6s", [veo(durationSeconds=6, resolution="1080p")], [("SL034", 1, "a.png")]),
    ("veo-1080p-no-seconds", [veo(resolution="1080P")], []),  # the default applies
    ("veo-reference-images", [{**veo(durationSeconds=4), "instances": [{"prompt": "p",
      "referenceImages": [{"image": {"gcsUri": "gs://b/x.png"}}]}]}], [("SL034", 1, None)]),
    ("veo-resolution", [veo(resolution="8k")], [("SL033", 1, "a.png")]),
    ("veo-ratio", [veo(aspectRatio="4:3")], [("SL032", 1, "a.png")]),
    ("veo-portrait-crop", [veo(aspectRatio="9:16")], [("SL030", 1, "a.png")]),
    ("veo-mime-differs", [{**VEO, "instances": [{"prompt": "p", "image": {"gcsUri": "a.png",
      "mimeType": "image/jpeg"}}]}], [("SL005", 1, "a.png")]),
    ("veo-mime-refused", [{**VEO, "instances": [{"prompt": "p", "image": {"gcsUri": "a.png",
      "mimeType": "image/webp"}}]}], [("SL031", 1, "a.png")]),
    ("veo-inline", [{**VEO, "instances": [{"prompt": "p", "image": {"bytesBase64Encoded":
      b64("PNG"), "mimeType": "image/png"}}]}], []),
    ("veo-inline-data-uri", [{**VEO, "instances": [{"prompt": "p", "image": {
      "bytesBase64Encoded": "data:image/png;base64," + b64("PNG")}}]}], [("SL035", 1, None)]),
    ("kling-fine", [KLING, {**KLING, "image": b64()}], []),
    ("kling-data-prefix", [{**KLING, "image": "data:image/jpeg;base64," + b64()}],
     [("SL035", 1, None)]),
    ("kling-duration", [{**KLING, "duration": "7"}], [("SL017", 1, "a.png")]),
    ("kling-3-duration", [{**KLING, "model_name": "kling-v3", "duration": "7"}], []),
    ("hailuo-1080p-10s", [{"model": "MiniMax-Hailuo-2.3", "input_reference": "a.png",
      "resolution": "1080P", "seconds": 10}], [("SL034", 1, "a.png")]),
    ("seedance-fixed-ratio", [{"model": "seedance-1", "input_reference": "a.png", "ratio": "9:16"}],
     [("SL030", 1, "a.png")]),  # unconfirmed what Seedance does: a warning
    ("seedance-adaptive", [{"model": "seedance-1", "input_reference": "a.png",
      "ratio": "adaptive"}], []),
    ("bad-delivery", [{**RUNWAY, "delivery": "pigeon"}], [("SL013", 1, "a.png")]),
    ("not-an-image-base64", [{**KLING, "image": base64.b64encode(b"x" * 3000).decode()}],
     [("SL013", 1, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "jobs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_vendor_shapes(
    tmp_path: Path,
    cli: Callable[..., CliResult],
    case: str,
    jobs: list[Any],
    expected: list[tuple[str, int | None, str | None]],
) -> None:
    image(tmp_path / "a.png", (1280, 720))
    assert run(tmp_path, cli, jobs) == expected


def test_a_runway_job_with_a_1920_1080_ratio_is_an_error_at_its_line(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "a.png", (1280, 720))
    (tmp_path / "jobs.json").write_text(
        '[\n  {"model": "gen4.5", "promptImage": "a.png", "ratio": "1280:720", "duration": 5},\n'
        '  {"model": "gen4.5", "promptImage": "a.png", "ratio": "1920:1080", "duration": 5}\n]\n'
    )
    result = cli("--isolated", "--job-file", "jobs.json", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "jobs.json:3 (a.png): SL032 ratio '1920:1080' is not one runway-gen4.5 takes; allowed: "
        "1280:720, 720:1280, 1104:832, 960:960, 832:1104, 1584:672"
    )


def test_the_job_delivery_picks_the_byte_limit(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    image(tmp_path / "big.jpg", (1280, 720), "JPEG", total=4_000_000)
    image(tmp_path / "also.jpg", (1280, 720), "JPEG", total=4_000_000)
    jobs = [{**RUNWAY, "promptImage": "big.jpg", "delivery": "data-uri"},
            {**RUNWAY, "promptImage": "also.jpg"}]  # fmt: skip
    assert run(tmp_path, cli, jobs) == [("SL023", 1, "big.jpg")]
    assert run(tmp_path, cli, jobs, "--delivery", "data-uri") == [
        ("SL023", 1, "big.jpg"), ("SL023", 2, "also.jpg"),
    ]  # fmt: skip


def test_an_inline_image_is_measured_as_the_api_counts_it(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    noise = Image.frombytes("RGB", (1200, 1200), bytes(range(256)) * (1200 * 1200 * 3 // 256))
    out = io.BytesIO()
    noise.save(out, format="PNG", compress_level=0)
    uri = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    assert 5_242_880 < len(uri) < 16_777_216  # over Runway's 5 MiB, under the file bound
    found = run(tmp_path, cli, [{**RUNWAY, "promptImage": uri}])
    assert found == [("SL023", 1, None)]


@pytest.mark.parametrize(
    ("config", "job", "expected"),
    [
        # an explicit schema reads every job in that shape
        ('job-schema = "kling"\n', {"model_name": "kling-v2-6", "image": "a.png",
                                    "duration": "7"}, [("SL017", 1, "a.png")]),
        # job-fields rename on top of the preset
        ('job-schema = "runway"\njob-fields = { input_reference = "frame" }\n',
         {"model": "gen4.5", "frame": "gone.png", "ratio": "1280:720"}, [("SL014", 1, None)]),
        # auto, the default: OpenAI's shape when no vendor's key is there
        ("", {"model": "sora-2", "size": "720x1280", "input_reference": "a.png"},
         [("SL001", 1, "a.png")]),
    ],
)  # fmt: skip
def test_job_schema_and_fields(
    tmp_path: Path, cli: Callable[..., CliResult], config: str, job: Any, expected: Any
) -> None:
    image(tmp_path / "a.png", (1280, 720))
    (tmp_path / "sora-lint.toml").write_text(config + 'job-files = ["jobs.jsonl"]\n')
    (tmp_path / "jobs.jsonl").write_text(json.dumps(job) + "\n")
    result = cli("--output-format", "json", cwd=tmp_path)
    assert sorted((d["code"], d.get("line"), d.get("asset")) for d in result.json) == expected
    bad = cli("--job-schema", "pigeon", cwd=tmp_path)
    assert bad.code == 2 and "job-schema: 'pigeon' is not one of: auto, openai, runway" in bad.err


def test_hostile_inline_images_are_bounded_values(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    """Megabytes of junk where an image should be: findings at the job, no crash, no hang."""
    jobs = [
        {**RUNWAY, "promptImage": "data:" + "%" * 2_000_000},  # no comma: not a data URI
        {**RUNWAY, "promptImage": "data:image/png;base64," + "!" * 1_000_000},  # not base64
        {**RUNWAY, "promptImage": "data:" + "\x1b[31m" * 50 + ";base64," + b64()},
        {**KLING, "image": "/9j/" + "A" * 3_000_000},  # a JPEG's start, then nothing
        {**VEO, "instances": [{"prompt": "p", "image": {"bytesBase64Encoded": b64(),
                                                         "mimeType": "x" * 100_000}}]},
    ]  # fmt: skip
    found = run(tmp_path, cli, jobs)
    assert ("SL035", 1, None) in found and ("SL031", 3, None) in found
    assert all(line in (1, 2, 3, 4, 5) for _, line, _ in found)
    result = cli("--isolated", "--job-file", "jobs.jsonl", "--output-format", "json",
                 "jobs.jsonl", cwd=tmp_path)  # fmt: skip
    assert all(len(d["message"]) < 400 for d in result.json), result.out[:2000]
