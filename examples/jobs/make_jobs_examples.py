"""Regenerate the job-file example: `python examples/jobs/make_jobs_examples.py`.

A small repository whose generation jobs (JSON Lines, JSON, YAML, CSV) reference images in
`assets/`; every job-file rule (SL012–SL018) and every profile rule (SL019–SL023) fires at a
known file and line, and so do SL001/SL003 for the jobs' images. Run it with
`cd examples/jobs && sora-lint` (the expected findings are in EXPECTED below, and
tests/test_jobs_examples.py checks them).

Images are flat colours (a few KB each) except `heavy.png`, which is noise on purpose: it
must be larger than the `team-kiosk` profile's 8,000-byte limit.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent

#: name -> pixel size of the images in assets/.
IMAGES = {
    "hero_land.png": (1280, 720),  # sora-2 1280x720: fine
    "portrait.png": (720, 1280),  # asked as 1792x1024 by a sora-2 job: SL003
    "wide.png": (1920, 1080),  # sora-2-pro job asks 1792x1024: SL001
    "square.png": (400, 400),  # veo-3 takes 16:9 or 9:16: SL019 (+SL001)
    "pano.png": (300, 100),  # runway-gen4 takes 1:2 to 2:1: SL019 (+SL001)
    "thumb.png": (200, 200),  # kling needs 300 px a side: SL020 (+SL001)
    "odd.png": (150, 100),  # luma-ray2 has no 3:2: SL019 (+SL001)
    "big.png": (600, 300),  # team-kiosk: at most 512 px a side: SL021 (+SL001)
    "many.png": (480, 480),  # team-kiosk: at most 200,000 pixels: SL022 (+SL001)
    "heavy.png": (64, 64),  # team-kiosk: at most 8,000 bytes: SL023
}

LAUNCH_JSONL = [
    {"model": "sora-2", "size": "1280x720", "seconds": "8", "prompt": "slow push in",
     "input_reference": "assets/hero_land.png"},
    {"model": "sora-2", "size": "720x1280", "seconds": "8", "prompt": "vertical cut",
     "input_reference": "assets/hero_land.png"},
    {"model": "sora-2", "size": "1792x1024", "seconds": "4", "prompt": "wide pan",
     "input_reference": "assets/portrait.png"},
    {"model": "sora-2", "size": "1280x720", "seconds": "10", "prompt": "text only, too long"},
    {"model": "sora-2", "size": "1280x720", "seconds": "4", "prompt": "renamed since",
     "input_reference": "assets/hero-v2.png"},
]  # fmt: skip

SHOTS_JSON = """[
  {"model": "sora-2-pro", "size": "1792x1024", "seconds": "12",
   "prompt": "aerial", "input_reference": "assets/wide.png"},
  {"model": "sora-3", "size": "1280x720", "prompt": "next year's model"},
  {"model": "sora-2", "size": "1280x720", "prompt": "from a laptop",
   "input_reference": "../../secret/hero.png"}
]
"""

SOCIAL_YAML = """\
# Jobs for the vendor profiles; each image breaks its model's rules.
- model: veo-3
  prompt: product turntable
  input_reference: assets/square.png
- model: runway-gen4
  prompt: panorama drift
  input_reference: assets/pano.png
- model: kling
  prompt: thumbnail by mistake
  input_reference: assets/thumb.png
- model: luma-ray2
  prompt: ""
  input_reference: assets/odd.png
"""

BATCH_CSV = """\
model,input_reference,prompt,seconds
team-kiosk,assets/big.png,lobby loop,5
team-kiosk,assets/many.png,menu loop,5
team-kiosk,assets/heavy.png,"a prompt that is far longer than the sixty characters the kiosk takes",5
"""

BROKEN_JSON = """[
  {"model": "sora-2", "size": 1280x720, "input_reference": "assets/hero_land.png"}
]
"""

#: (code, path, line, asset) of every diagnostic `cd examples/jobs && sora-lint` reports.
EXPECTED = sorted(
    [
        ("SL016", "jobs/launch.jsonl", 2, "assets/hero_land.png"),
        ("SL003", "jobs/launch.jsonl", 3, "assets/portrait.png"),
        ("SL017", "jobs/launch.jsonl", 4, None),
        ("SL014", "jobs/launch.jsonl", 5, None),
        ("SL001", "jobs/shots.json", 2, "assets/wide.png"),
        ("SL013", "jobs/shots.json", 4, None),
        ("SL015", "jobs/shots.json", 5, None),
        ("SL001", "jobs/social.yaml", 2, "assets/square.png"),
        ("SL019", "jobs/social.yaml", 2, "assets/square.png"),
        ("SL001", "jobs/social.yaml", 5, "assets/pano.png"),
        ("SL019", "jobs/social.yaml", 5, "assets/pano.png"),
        ("SL001", "jobs/social.yaml", 8, "assets/thumb.png"),
        ("SL020", "jobs/social.yaml", 8, "assets/thumb.png"),
        ("SL001", "jobs/social.yaml", 11, "assets/odd.png"),
        ("SL019", "jobs/social.yaml", 11, "assets/odd.png"),
        ("SL018", "jobs/social.yaml", 11, "assets/odd.png"),
        ("SL001", "jobs/batch.csv", 2, "assets/big.png"),
        ("SL021", "jobs/batch.csv", 2, "assets/big.png"),
        ("SL001", "jobs/batch.csv", 3, "assets/many.png"),
        ("SL022", "jobs/batch.csv", 3, "assets/many.png"),
        ("SL023", "jobs/batch.csv", 4, "assets/heavy.png"),
        ("SL018", "jobs/batch.csv", 4, "assets/heavy.png"),
        ("SL012", "jobs/broken.json", 2, None),
    ],
    key=repr,
)


def flat(size: tuple[int, int]) -> Image.Image:
    """A flat sky and ground: compresses to a few hundred bytes."""
    image = Image.new("RGB", size, (110, 170, 230))
    ImageDraw.Draw(image).rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=(70, 140, 60))
    return image


def noise(size: tuple[int, int]) -> Image.Image:
    rng = random.Random(5)  # the same bytes on every run
    return Image.frombytes("RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3)))


def main() -> None:
    assets, jobs = HERE / "assets", HERE / "jobs"
    assets.mkdir(exist_ok=True)
    jobs.mkdir(exist_ok=True)
    for name, size in IMAGES.items():
        image = noise(size) if name == "heavy.png" else flat(size)
        image.save(assets / name, optimize=True)
    lines = [json.dumps(job) for job in LAUNCH_JSONL]
    (jobs / "launch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (jobs / "shots.json").write_text(SHOTS_JSON, encoding="utf-8")
    (jobs / "social.yaml").write_text(SOCIAL_YAML, encoding="utf-8")
    (jobs / "batch.csv").write_text(BATCH_CSV, encoding="utf-8")
    (jobs / "broken.json").write_text(BROKEN_JSON, encoding="utf-8")


if __name__ == "__main__":
    main()
