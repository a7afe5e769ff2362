"""What the API's users read and run: the docstrings' examples, the README's API section,
``examples/pipeline.py``, the types a user's mypy sees, and an ``import sora_lint`` that
stays as cheap as the command's start-up needs."""

from __future__ import annotations

import doctest
import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import sora_lint
from tests.api import support

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("sora_lint.api.checking", "sora_lint.api.preparing", "sora_lint.api.prepared")


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0


def test_every_public_function_and_class_has_an_example() -> None:
    api = importlib.import_module("sora_lint.api")
    for name in api.__all__:
        value = getattr(api, name)
        assert ">>> " in (inspect.getdoc(value) or ""), name


def _readme_api() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## API")
    return text[start : text.index("## Writing a plugin")]


class _Runway:
    """Runway's client as far as the README uses it: records the request, sends nothing,
    and takes only the parameters the installed SDK's ``create`` declares."""

    def __init__(self) -> None:
        self.image_to_video = self
        self.sent: dict[str, Any] = {}

    def create(self, **request: Any) -> None:
        from runwayml.resources.image_to_video import ImageToVideoResource

        declared = inspect.signature(ImageToVideoResource.create).parameters
        assert set(request) <= set(declared), set(request) - set(declared)
        self.sent = request


def test_the_readme_api_section_runs(tmp_path: Path) -> None:
    section = _readme_api()
    wanted = ('prepared = sora_lint.prepare(path, model="runway-gen4.5", ratio="1280:720", '
              'delivery="data-uri")')  # fmt: skip
    assert wanted in section
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    path = tmp_path / "frame.jpg"
    path.write_bytes(support.photo_12mp())
    client = _Runway()
    first = blocks[0].replace("from runwayml import RunwayML\n", "")
    scope: dict[str, Any] = {"path": path, "RunwayML": lambda: client}
    exec(first, scope)  # the README's own example, on a real 12 MP photo
    prepared = scope["prepared"]
    assert client.sent["prompt_image"] == prepared.to_data_uri()
    assert len(client.sent["prompt_image"]) <= 5 * 1024 * 1024
    scope = {"image_bytes": support.rgba_png((1280, 720)), "sora_lint": sora_lint}
    exec(blocks[1], scope)
    assert [d.code for d in scope["findings"]] == ["SL009"] and scope["errors"] == []


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pipeline", ROOT / "examples" / "pipeline.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_pipeline_runs_and_sends_nothing() -> None:
    done = subprocess.run([sys.executable, "examples/pipeline.py"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "input_reference = ('phone_rotated.jpg', <" in out
    assert "'image/jpeg')" in out and "size = '720x1280'" in out
    assert re.search(r"prompt_image = data:image/jpeg;base64,\S+\.\.\. \([0-9,]+ characters\)", out)
    assert "did: rotate the pixels upright (EXIF orientation 6 → 1)" in out
    assert "not sent: cannot prepare examples/bad/animated.gif: GIF with 2 frames" in out
    assert str(ROOT) not in out and done.stderr == ""


def test_the_example_requests_fit_the_vendors_sdks() -> None:
    from openai.resources.videos import Videos
    from runwayml.resources.image_to_video import ImageToVideoResource

    example = _example()
    image = ROOT / "examples" / "bad" / "print_cmyk.jpg"
    for build, create in ((example.openai_request, Videos.create),
                          (example.runway_request, ImageToVideoResource.create)):  # fmt: skip
        request = build(image)
        assert set(request) <= set(inspect.signature(create).parameters)


USER_CODE = """
import io
import sora_lint
from PIL import Image


def send(path: str) -> str:
    prepared = sora_lint.prepare(path, model="runway-gen4.5", ratio="1280:720",
                                 delivery="data-uri", mode="cover")
    name, data, mime_type = prepared.to_upload()
    found: list[sora_lint.Diagnostic] = sora_lint.check(io.BytesIO(data), name=name)
    sora_lint.check(Image.new("RGB", (2, 2)), size=(1280, 720))
    try:
        sora_lint.prepare(42)  # type: ignore[arg-type]
    except sora_lint.PrepareError as exc:
        print(exc.diagnostics, prepared.report.crop_box, prepared.size.width)
    return prepared.to_data_uri() + mime_type + str(len(found))
"""


def test_a_users_strict_mypy_accepts_the_api(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    user = tmp_path / "user.py"
    user.write_text(USER_CODE, encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
         str(user)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_import_sora_lint_loads_nothing_until_the_api_is_used() -> None:
    script = (
        "import sys, sora_lint\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sora_lint', 'PIL')))\n"
        "sora_lint.check\n"
        "print('sora_lint.api' in sys.modules, 'PIL' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.stdout.splitlines() == ["['sora_lint']", "True False"], done.stderr
    assert {"check", "prepare", "Prepared", "PrepareError"} <= set(dir(sora_lint))
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        sora_lint.nothing  # noqa: B018
