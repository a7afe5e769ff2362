"""The decode memory budget (``max-decode-memory``): estimated from the header before any pixel
is decoded, an upper bound of what decoding takes, shared by ``--jobs`` (issue #11, item 9).

Memory is measured in child processes from ``/proc``: ``VmHWM`` is the peak of the process's
own memory since it started (or since ``clear_refs``), where ``resource``'s ``ru_maxrss``
would also carry the peak of whatever process started it (Linux keeps it across ``exec``).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sora_lint_plugins.reporters.html import thumbnail

from sora_lint.config.fix_options import parse_memory
from sora_lint.fix import budget
from sora_lint.types import Asset, ImageHeader, Size
from tests import fix_support as fs
from tests.conftest import sora_lint_env

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="memory is read from /proc"
)

ROOT = Path(__file__).resolve().parents[2]
MIB = 1 << 20
#: The pixels of a one-colour lossless WebP: the same bytes at every size (each pixel costs
#: no bits), which is how a 38-byte file can declare 13000x13000.
_SOLID_TAIL = bytes.fromhex("0750c15254abff8188e87f00")


def solid_webp(width: int, height: int) -> bytes:
    """A real lossless WebP of ``width`` x ``height`` pixels of one colour, in 38 bytes."""
    chunk = b"\x2f" + struct.pack("<I", (width - 1) | (height - 1) << 14) + _SOLID_TAIL
    body = b"WEBPVP8L" + struct.pack("<I", len(chunk)) + chunk + b"\x00"
    return b"RIFF" + struct.pack("<I", len(body)) + body


#: Run in a child: reset the peak, run what it is told, print the growth of the peak (freed
#: memory is handed back first, or a decode reusing it would not show).
MEASURE = textwrap.dedent(
    """
    import ctypes, ctypes.util, gc, json, sys
    sys.path.insert(0, {root!r})
    libc = ctypes.CDLL(ctypes.util.find_library("c"))

    def rss(key):
        for line in open("/proc/self/status"):
            if line.startswith(key):
                return int(line.split()[1]) * 1024
        raise LookupError(key)

    def measured(call):
        gc.collect()
        if hasattr(libc, "malloc_trim"):  # glibc: hand freed heap back, so reuse shows
            libc.malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # the peak (VmHWM) starts again from here
        before = rss("VmRSS")
        result = call()
        return result, rss("VmHWM") - before
    """
)


def run_child(code: str, *args: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE.format(root=str(ROOT)) + textwrap.dedent(code), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=240, env=sora_lint_env(),
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_the_estimate_bounds_what_a_fix_takes(tmp_path: Path) -> None:
    """Every path through the decode (draft, full, progressive, turned, converted, flattened,
    WebP): the memory it took never exceeds the estimate made before decoding."""
    cases = {
        "base.jpg": ({"quality": 90}, {}),
        "progressive-444.jpg": ({"progressive": True, "subsampling": 0}, {"fix_mode": "cover"}),
        "turned.jpg": ({"orientation": 6}, {}),
        "cmyk.jpg": ({"mode": "CMYK"}, {}),
        "alpha.png": ({"mode": "RGBA", "orientation": 6}, {"flatten": True, "pad_color": "blur"}),
        "palette.png": ({"mode": "P"}, {}),
        "grey16.png": ({"mode": "I;16"}, {}),
        "alpha.webp": ({"mode": "RGBA", "quality": 80},
                       {"fix_mode": "cover", "cover_anchor": "smart"}),
    }  # fmt: skip
    for name, (save, _) in cases.items():
        fmt = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[name.rsplit(".", 1)[1]]
        size = (2400, 1800) if fmt == "JPEG" else (1800, 1400)
        fs.write_picture(tmp_path / name, size, fmt=fmt, **save)
    (tmp_path / "solid.webp").write_bytes(solid_webp(2000, 2000))
    cases["solid.webp"] = ({}, {})
    found = run_child(
        """
        from pathlib import Path
        from sora_lint.fix import decoding, fixing
        from sora_lint.types import Size
        from tests import fix_support as fs
        import PIL.ImageCms, PIL.ImageFilter  # imported once, not counted

        fs.fix(fs.write_picture(Path(sys.argv[1]) / "warm.jpg", (64, 48)), Size(32, 18), fix=True)
        for name, options in json.loads(sys.argv[2]).items():
            path = Path(sys.argv[1]) / name
            host = fs.host()
            settings = fs.settings(host, fix=True, **options)
            ctx, found = fs.context(path, Size(1280, 720), settings)
            proposed = [fixing.propose_fixes(d, ctx, host.fixers) for d in found]
            plan = fixing.plan_fixes(ctx, proposed, settings)
            estimate = decoding.fix_estimate(ctx.asset.format, ctx.asset.header, plan.apply)
            outcome, grew = measured(
                lambda: fixing.fix_asset(ctx, proposed, host.fixers, settings)
            )
            print(json.dumps({"name": name, "estimate": estimate, "grew": grew,
                              "error": outcome.error, "fixed": outcome.result is not None}))
        """,
        str(tmp_path),
        json.dumps({name: options for name, (_, options) in cases.items()}),
    )
    assert [row["name"] for row in found] == list(cases)
    for row in found:
        assert row["fixed"] and row["error"] is None, row
        assert int(row["grew"]) <= int(row["estimate"]), row  # type: ignore[call-overload]
        assert int(row["grew"]) > 4 * MIB, row  # it did decode (the check is not vacuous)


def test_a_bomb_is_reported_not_decoded_and_previews_keep_to_the_budget(tmp_path: Path) -> None:
    """A 38-byte lossless WebP declaring 13000x13000 took 2.6 GB to fix; a 6300x6300 one took
    631 MB for its HTML preview. Both are now reported without being decoded."""
    (tmp_path / "bomb.webp").write_bytes(solid_webp(13000, 13000))
    (tmp_path / "preview" / "big.webp").parent.mkdir()
    (tmp_path / "preview" / "big.webp").write_bytes(solid_webp(6300, 6300))
    found = run_child(
        """
        import contextlib, io
        from sora_lint.cli.command import main

        for argv in json.loads(sys.argv[1]):
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                code, grew = measured(lambda: main(argv))
            print(json.dumps({"code": code, "grew": grew, "out": out.getvalue()}))
        """,
        json.dumps([
            ["--fix", "--jobs", "1", "--no-cache", "--target", "1280x720",
             str(tmp_path / "bomb.webp")],
            ["--no-cache", "--target", "1280x720", "--report", str(tmp_path / "r.html"),
             str(tmp_path / "preview" / "big.webp")],
        ]),
    )  # fmt: skip
    fixed, report = found
    assert fixed["code"] == 1 and int(fixed["grew"]) < 100 * MIB, fixed  # type: ignore[call-overload]
    assert (
        "bomb.webp: not fixed: decoding it needs about 3.2 GiB, over the decode memory budget "
        "of 512 MiB (max-decode-memory)" in str(fixed["out"])
    ), fixed["out"]
    assert (tmp_path / "bomb.webp").read_bytes() == solid_webp(13000, 13000)
    assert int(report["grew"]) < 100 * MIB, report  # type: ignore[call-overload]
    page = (tmp_path / "r.html").read_text()
    assert "not previewed: decoding it needs about 623 MiB, over the decode memory" in page


def _tree(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return [pid]
    return [pid, *(int(child) for child in text.split())]


def _rss(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096
    except (OSError, IndexError, ValueError):
        return None


def peak_growth(argv: list[str]) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Run ``sora-lint argv``; return the most its processes together grew at one time (each
    from its size when first seen) and the finished process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sora_lint", *argv], cwd=ROOT, env=sora_lint_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    first: dict[int, int] = {}
    peak = 0
    while process.poll() is None:
        total = 0
        for pid in _tree(process.pid):
            rss = _rss(pid)
            if rss is not None:
                total += rss - first.setdefault(pid, rss)
        peak = max(peak, total)
        time.sleep(0.002)
    out, err = process.communicate()
    return peak, subprocess.CompletedProcess(argv, process.returncode, out, err)


def test_jobs_share_one_budget(tmp_path: Path) -> None:
    """Two files whose decodes cannot fit the budget together: ``--jobs 2`` (a worker for
    each) takes no more memory than one of them alone (before, they decoded side by side)."""
    needed = budget.decode_estimate("WEBP", ImageHeader(Size(3000, 3000), "RGB"), 1, (1280, 720))
    limit = f"{needed * 3 // 2 // MIB}MiB"  # room for one decode, not two
    common = ["--fix", "--no-cache", "--target", "1280x720", "--max-decode-memory", limit]
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "wide.webp").write_bytes(solid_webp(3000, 3000))
    alone, done = peak_growth([*common, "--jobs", "1", str(tmp_path / "one")])
    assert done.returncode == 0 and done.stdout.count("Fixed") == 1, done.stdout + done.stderr
    (tmp_path / "two").mkdir()
    for index in range(2):
        (tmp_path / "two" / f"wide-{index}.webp").write_bytes(solid_webp(3000, 3000))
    shared, done = peak_growth([*common, "--jobs", "2", str(tmp_path / "two")])
    assert done.returncode == 0 and done.stdout.count("Fixed") == 2, done.stdout + done.stderr
    assert alone > 60 * MIB, alone  # the decodes were seen
    assert shared < alone * 1.4, (shared, alone)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(512 << 20, 512 << 20), ("512MiB", 512 << 20), ("1G", 1 << 30), ("1.5 GB", 3 << 29),
     ("64m", 64 << 20), ("2TiB", 2 << 40)],
)  # fmt: skip
def test_memory_sizes(raw: object, expected: int) -> None:
    assert parse_memory(raw) == expected


@pytest.mark.parametrize("raw", ["", "lots", "-1G", "1e9", "1 PB", True, 1.5, "15M", 1000, "nan"])
def test_memory_sizes_refused(raw: object) -> None:
    with pytest.raises(ValueError, match=r"512MiB|smallest|too large"):
        parse_memory(raw)


def test_a_preview_over_the_budget_is_a_reason(tmp_path: Path) -> None:
    path = fs.write_picture(tmp_path / "p.png", (1200, 900), fmt="PNG")
    asset = Asset(path, "p.png", path.stat().st_size, "PNG", ImageHeader(Size(1200, 900), "RGB"))
    assert thumbnail.make_thumbnail(asset, 10**9, 512 * MIB).uri is not None
    refused = thumbnail.make_thumbnail(asset, 10**9, 16 * MIB)
    assert refused.uri is None
    assert refused.reason.startswith("not previewed: decoding it needs about 2")
