"""Regenerate the job-file example: `python examples/jobs/make_jobs_examples.py`.

A small repository whose generation jobs (JSON Lines, JSON, YAML, CSV; OpenAI's request shape
and Runway's, Veo's and Kling's) reference images in `assets/`; every job-file rule
(SL012–SL018, SL032–SL035) and every profile rule (SL019–SL023, SL030, SL031) fires at a known
file and line, and so do SL001/SL003 for the jobs' images. Run it with
`cd examples/jobs && sora-lint` (the expected findings are in EXPECTED below, and
tests/jobs/test_jobs_examples.py checks them).

Images are flat colours (a few KB each) except `heavy.png`, which is noise on purpose: it
must be larger than the `team-kiosk` profile's 8,000-byte limit.
"""

from __future__ import annotations

import base64
import io
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
    "square.png": (400, 400),  # veo-3 crops it to 16:9: SL030 (a warning)
    "pano.png": (300, 100),  # runway-gen4 takes 1:2 to 2:1: SL019
    "thumb.png": (200, 200),  # kling needs 300 px a side: SL020
    "odd.png": (150, 100),  # luma-ray2 takes any aspect (its aspect_ratio is the video's)
    "big.png": (600, 300),  # team-kiosk: at most 512 px a side: SL021
    "many.png": (480, 480),  # team-kiosk: at most 200,000 pixels: SL022
    "heavy.png": (64, 64),  # team-kiosk: at most 8,000 bytes: SL023
    "landscape.jpg": (1280, 720),  # Runway jobs with a bad ratio and duration
    "logo.jpg": (960, 960),  # PNG bytes named .jpg: Runway checks the type: SL031
    "photo43.jpg": (1600, 1200),  # Veo crops 4:3 to the job's 16:9: SL030
    "kling_frame.png": (1280, 720),  # a Kling job with a duration Kling 2 does not take
}
#: Images saved in another format than their name says.
SAVED_AS = {"logo.jpg": "PNG"}

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
# Jobs for the vendor profiles by their old names (veo-3, runway-gen4 and kling still work).
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

def inline_jpeg() -> str:
    """A tiny JPEG as base64, for jobs that carry their image inline."""
    out = io.BytesIO()
    flat((16, 16)).save(out, format="JPEG", quality=80)
    return base64.b64encode(out.getvalue()).decode("ascii")


def runway_json() -> str:
    """Runway's request shape (model, promptImage, ratio, duration, promptText)."""
    jobs = [
        {"model": "gen4.5", "promptImage": "assets/landscape.jpg", "ratio": "1920:1080",
         "duration": 5, "promptText": "slow dolly in"},
        {"model": "gen4_turbo", "promptImage": [{"uri": "assets/landscape.jpg",
         "position": "first"}], "ratio": "1280:720", "duration": 12, "promptText": "pan"},
        {"model": "gen4.5", "promptImage": "assets/logo.jpg", "ratio": "960:960",
         "duration": 5, "promptText": "logo sting"},
        {"model": "gen4.5", "promptImage": "data:image/png;base64," + inline_jpeg(),
         "ratio": "1280:720", "duration": 5, "promptText": "inline frame"},
    ]  # fmt: skip
    return "[\n" + ",\n".join("  " + json.dumps(job) for job in jobs) + "\n]\n"


def veo_json() -> str:
    """Veo's request shape (instances[].image, parameters), one request per element."""
    def request(image: dict[str, str], **parameters: object) -> str:
        body = {"model": parameters.pop("model"), "instances": [{"prompt": "a slow reveal",
                "image": image}], "parameters": parameters}  # fmt: skip
        return json.dumps(body)

    jobs = [
        request({"gcsUri": "assets/photo43.jpg", "mimeType": "image/jpeg"},
                model="veo-3.1-generate-001", aspectRatio="16:9", durationSeconds=8),
        request({"gcsUri": "gs://team-bucket/hero.png", "mimeType": "image/png"},
                model="veo-3.1-fast-generate-001", aspectRatio="16:9", durationSeconds=6,
                resolution="1080p"),
        request({"gcsUri": "gs://team-bucket/hero.png", "mimeType": "image/png"},
                model="veo-3.1", aspectRatio="1:1", resolution="2k"),
    ]  # fmt: skip
    return "[\n" + ",\n".join("  " + job for job in jobs) + "\n]\n"


def kling_jsonl() -> str:
    """Kling's request shape (model_name, image, duration, prompt)."""
    jobs = [
        {"model_name": "kling-v2-6", "image": "data:image/jpeg;base64," + inline_jpeg(),
         "duration": "5", "prompt": "inline, with a prefix Kling refuses"},
        {"model_name": "kling-v2-6", "image": "assets/kling_frame.png", "duration": "7",
         "prompt": "seven seconds"},
    ]  # fmt: skip
    return "".join(json.dumps(job) + "\n" for job in jobs)


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
        ("SL030", "jobs/social.yaml", 2, "assets/square.png"),
        ("SL019", "jobs/social.yaml", 5, "assets/pano.png"),
        ("SL020", "jobs/social.yaml", 8, "assets/thumb.png"),
        ("SL018", "jobs/social.yaml", 11, "assets/odd.png"),
        ("SL021", "jobs/batch.csv", 2, "assets/big.png"),
        ("SL022", "jobs/batch.csv", 3, "assets/many.png"),
        ("SL023", "jobs/batch.csv", 4, "assets/heavy.png"),
        ("SL018", "jobs/batch.csv", 4, "assets/heavy.png"),
        ("SL012", "jobs/broken.json", 2, None),
        ("SL032", "jobs/runway.json", 2, "assets/landscape.jpg"),
        ("SL017", "jobs/runway.json", 3, "assets/landscape.jpg"),
        ("SL031", "assets/logo.jpg", None, None),
        ("SL031", "jobs/runway.json", 5, None),
        ("SL030", "jobs/veo.json", 2, "assets/photo43.jpg"),
        ("SL034", "jobs/veo.json", 3, None),
        ("SL032", "jobs/veo.json", 4, None),
        ("SL033", "jobs/veo.json", 4, None),
        ("SL035", "jobs/kling.jsonl", 1, None),
        ("SL017", "jobs/kling.jsonl", 2, "assets/kling_frame.png"),
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
        image.save(assets / name, format=SAVED_AS.get(name), optimize=True)
    lines = [json.dumps(job) for job in LAUNCH_JSONL]
    (jobs / "launch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (jobs / "shots.json").write_text(SHOTS_JSON, encoding="utf-8")
    (jobs / "social.yaml").write_text(SOCIAL_YAML, encoding="utf-8")
    (jobs / "batch.csv").write_text(BATCH_CSV, encoding="utf-8")
    (jobs / "broken.json").write_text(BROKEN_JSON, encoding="utf-8")
    (jobs / "runway.json").write_text(runway_json(), encoding="utf-8")
    (jobs / "veo.json").write_text(veo_json(), encoding="utf-8")
    (jobs / "kling.jsonl").write_text(kling_jsonl(), encoding="utf-8")


if __name__ == "__main__":
    main()
