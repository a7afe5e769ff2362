"""The docs of the profile rules SL019–SL023 and SL030 (``sora-lint rule SL019``), kept apart
from the checks so each file stays short. Sections: What it does / Why is this bad? /
Example / How to fix."""

from __future__ import annotations

_FIX = """`sora-lint --fix` pads the image to the nearest size the profile accepts (this finding
carries the fix); `--fix --fix-mode cover` crops to it instead."""

DOCS: dict[str, str] = {
    "SL019": f"""
## What it does
For a model that rejects images outside a list of aspect ratios or a range (Runway gen4.5:
1:2 to 2:1; Kling: 1:2.5 to 2.5:1; Hailuo: 2:5 to 5:2; Vidu: 1:4 to 4:1), reports an image
whose upright aspect ratio is not accepted, within the profile's tolerance. A model that
crops or pads such an image itself (Veo) gets SL030, a warning, instead.

## Why is this bad?
The API rejects the image.

## Example
A 3000x1000 panorama for `runway-gen4.5`:

    pano.png: SL019 aspect ratio 3 (3000x1000) is not one runway-gen4.5 accepts:
    from 1:2 to 2:1 (0.5 to 2)

## How to fix
{_FIX}
""",
    "SL020": f"""
## What it does
Reports an image with a side shorter than the profile's `min_side` (Kling: 300 px; Wan 2.6:
360 px).

## Why is this bad?
The API rejects it; a thumbnail committed instead of the full image is the usual cause.

## Example
    thumb.jpg: SL020 200x400 has a side of 200 px; kling-2 needs at least 300 px on each side

## How to fix
Use the full-size image. {_FIX} Enlarging adds no detail.
""",
    "SL021": f"""
## What it does
Reports an image with a side longer than the profile's `max_side` (Runway: 7,999 px; Wan 2.6:
2,000 px; Seedance: 6,000 px).

## Why is this bad?
The API rejects it.

## Example
    scan.png: SL021 9000x6000 has a side of 9000 px; runway-gen4.5 takes at most 7999 px
    on each side

## How to fix
{_FIX} Both scale the image down to fit.
""",
    "SL022": f"""
## What it does
Reports an image with more pixels than the profile's `max_pixels`, a limit of the model
(unlike SL010, which guards against decompression bombs for every model).

## Why is this bad?
The API rejects it.

## Example
A profile declared with `max-pixels = 8294400` (3840x2160) and a 6000x4000 photo.

## How to fix
{_FIX} Both scale the image down to fit.
""",
    "SL023": """
## What it does
Reports an image larger than the model takes **the way it will be sent** (`--delivery`,
config `delivery`, or a job's `delivery` field: `url`, `data-uri` or `upload`; default
`url`). Runway takes 16 MiB by URL, 5 MiB as a data URI and 200 MiB uploaded; Vidu takes
50 MB by URL and base64 under 10 MB decoded; a profile with one limit uses it for every way.
A data URI is measured as the API counts it: for Runway its whole length (4/3 of the bytes,
rounded up to 4 characters, plus the `data:<type>;base64,` prefix), for Vidu the image's
bytes. An inline image in a job is measured the same way, at the job's line.

## Why is this bad?
The request is refused before the model sees the image.

## Example
    photo.jpg: SL023 4,000,000 bytes are 5,333,359 characters as a data URI
    (data:image/jpeg;base64,…); runway-gen4.5 takes data URIs of at most 5,242,880
    (by URL: up to 16,777,216 bytes; uploaded: up to 209,715,200 bytes)

## How to fix
Send the image another way (by URL), save it as JPEG (quality 90–95) or shrink it; sora-lint
does not re-encode to save bytes.
""",
    "SL030": """
## What it does
Reports an image the model will change rather than reject: an aspect ratio that is not one
of the output's (Veo 3.x crops it, or pads it with `resizeMode` PAD), or, for a job, an image
whose aspect differs from the job's output ratio (Veo's `aspectRatio`; Seedance with a fixed
`ratio` instead of `adaptive`). The message says what the model will do and how much of the
picture that costs; where no source says what the model does, it says so.

## Why is this bad?
The API accepts the request, so nothing fails, but the first frame of the video is not the
picture you framed: a quarter of a 4:3 photo is cut to make 16:9.

## Example
    photo.jpg: SL030 veo-3.1 will crop the 4:3 image (1600x1200) to 16:9, losing 25% of
    its height (resizeMode CROP; with resizeMode PAD it adds bars instead)

## How to fix
Frame the image at the output's aspect ratio yourself (crop or pad it in your editor), ask
for the output ratio the image has, or ignore SL030 where the model's crop is fine. No fix is
attached: the API takes the image as it is.
""",
}
