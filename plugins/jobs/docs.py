"""The docs of the job-file rules SL012–SL018 (``sora-lint rule SL014``), kept apart from the
checks so each file stays short. Sections: What it does / Why is this bad? / Example / How
to fix."""

from __future__ import annotations

DOCS: dict[str, str] = {
    "SL012": """
## What it does
Reports a job file (from `job-files` or `--job-file`) that cannot be read: invalid JSON,
JSON Lines, YAML or CSV, text that is not UTF-8, a file over 16 MiB or of more than a
million values (two million for all the job files of a run). The diagnostic gives
the line and column where reading stopped; jobs before that point are still used.

## Why is this bad?
A pipeline that cannot parse its job list sends nothing, or only the jobs before the error,
and the images those jobs were meant to check are checked against the wrong target.

## Example
`jobs/launch.jsonl` line 3 is `{"model": "sora-2", "size": }`:

    jobs/launch.jsonl:3: SL012 line 3, column 29: invalid JSON: Expecting value

## How to fix
Fix the syntax at that line and column. One job per line in JSON Lines; a header row in CSV.
""",
    "SL013": """
## What it does
Reports a job that is not an object, or a field the video API would refuse before looking
at the image: a `model` no profile is registered for (by name or alias), a `size` that is not
`WxH`, an `input_reference` or `prompt` that is not a string, a `delivery` that is not `url`,
`data-uri` or `upload`. Field names follow `job-schema` and `job-fields`.

## Why is this bad?
The request fails with a 400 whatever the image is. An unknown model also means sora-lint
cannot tell which sizes the job's image must have, so the image goes unchecked.

## Example
    {"model": "sora-3", "size": "1280*720", "input_reference": "hero.png"}

    jobs.json:1 (hero.png): SL013 unknown model 'sora-3'; allowed: hailuo-2.3, kling-2, …
    jobs.json:1 (hero.png): SL013 size must be a string WxH (e.g. 1280x720), got '1280*720'

## How to fix
Use a model from `sora-lint profiles` (or declare your own under
`[tool.sora-lint.profiles.NAME]`) and write sizes as `1280x720`.
""",
    "SL014": """
## What it does
Reports a job whose `input_reference` names a file that does not exist (or a folder). The
path is relative to the repository root, or to the job file when it starts with `./` or
`../`. URLs (`https://…`, `gs://…`, `data:…`) are not checked.

## Why is this bad?
The pipeline fails when it uploads the job, usually after the jobs before it have been paid
for; a renamed or moved image is the usual cause.

## Example
    jobs.yaml:7 (assets/hero-v2.png): SL014 input_reference 'assets/hero-v2.png': no such file

## How to fix
Fix the path, or add the image. A path meant relative to the job file must start with `./`.
""",
    "SL015": """
## What it does
Reports a job whose `input_reference` resolves outside the repository (through `..`, an
absolute path or a symlink).

## Why is this bad?
The image is not versioned with the job: it differs between machines, is missing in CI,
and a job file could make the pipeline upload any file the machine can read.

## Example
    {"input_reference": "../../home/me/Desktop/hero.png"}

## How to fix
Commit the image into the repository and reference it by its path there.
""",
    "SL016": """
## What it does
Reports an image that several jobs reference with different `size` values. The image is
checked against the first such job (in job-file order, then by line); this rule reports each
later job that disagrees, at its own line.

## Why is this bad?
For an exact-size model the image's pixels must equal the requested size, so at most one of
the jobs can succeed; the others fail with `Inpaint image must match the requested width
and height`.

## Example
    jobs.jsonl:1  {"size": "1280x720", "input_reference": "hero.png"}
    jobs.jsonl:4  {"size": "720x1280", "input_reference": "hero.png"}

    jobs.jsonl:4 (hero.png): SL016 this job asks for 720x1280 but job jobs.jsonl:1 asks
    for 1280x720 …

## How to fix
Give each size its own image (`hero_landscape.png`, `hero_portrait.png`), or make the jobs
agree.
""",
    "SL017": """
## What it does
Reports a job whose duration (`seconds`; Runway's and Kling's `duration`, Veo's
`durationSeconds`) is not one its model takes, from the profile (`sora-lint profiles`): Sora 2
takes "4", "8" and "12" — strings on the wire; Runway gen4.5 any whole number from 2 to 10.
Integers are read as their string (`8` is "8"); anything else is reported.

## Why is this bad?
The API rejects the request; some SDKs reject it before sending.

## Example
    {"model": "sora-2", "seconds": "10", "input_reference": "hero.png"}

    jobs.json:1 (hero.png): SL017 seconds '10' is not a duration sora-2 takes;
    allowed: "4", "8", "12"

## How to fix
Use a duration the model takes.
""",
    "SL018": """
## What it does
Reports a job whose prompt is empty (or only spaces) or longer than the model takes, counted
as the API counts it (Sora 2: 1 to 32,000 characters; Runway: 1,000 UTF-16 code units, so an
emoji counts two; limits per model in `sora-lint profiles`).

## Why is this bad?
The API rejects the request; an empty prompt is usually a template that was not filled in.

## Example
    jobs.csv:5 (assets/shot5.png): SL018 the prompt is empty; sora-2 needs a prompt

## How to fix
Write the prompt, or shorten it below the limit.
""",
    "SL032": """
## What it does
Reports a job whose output ratio is not one its model takes, from the profile's `ratios`
(`sora-lint profiles`): Runway gen4.5's `ratio` is one of `1280:720`, `720:1280`, `1104:832`,
`960:960`, `832:1104`, `1584:672`; Veo's `aspectRatio` is `16:9` or `9:16`; Luma's
`aspect_ratio` one of seven. The field follows the job's shape (`job-schema`).

## Why is this bad?
The API rejects the request (the vendors' SDKs type these fields as a fixed list).

## Example
    {"model": "gen4.5", "promptImage": "hero.png", "ratio": "1920:1080", "duration": 5}

    jobs.jsonl:1 (hero.png): SL032 ratio '1920:1080' is not one runway-gen4.5 takes;
    allowed: 1280:720, 720:1280, 1104:832, 960:960, 832:1104, 1584:672

## How to fix
Use a ratio the model takes; the output is scaled to it, not the image (for Runway the ratio
is a pixel size of the video).
""",
    "SL033": """
## What it does
Reports a job whose `resolution` is not one its model takes (Veo 3.1: 720p, 1080p, 4k;
Hailuo 2.3: 768P, 1080P; Vidu 2.0: 360p, 720p, 1080p), compared without regard to case.

## Why is this bad?
The API rejects the request.

## Example
    jobs.jsonl:3 (hero.png): SL033 resolution '2k' is not one veo-3.1 takes;
    allowed: 720p, 1080p, 4k

## How to fix
Use a resolution the model lists in `sora-lint profiles`.
""",
    "SL034": """
## What it does
Reports a job that combines parameters its model does not take together, from the profile's
`combinations`: Veo 3.1 makes 1080p videos, and videos from reference images, of 8 seconds
only; Hailuo 2.3 makes 1080P videos of 6 seconds only; Vidu 2.0 makes 8-second videos at
720p only. When the job leaves the second parameter out, the API's default applies and
nothing is reported. Not checked because unconfirmed: that Veo's 4k also needs 8 seconds
(only third parties say so).

## Why is this bad?
The API rejects the request, usually after the image was uploaded.

## Example
    {"instances": [{"image": {"gcsUri": "hero.png"}}],
     "parameters": {"resolution": "1080p", "durationSeconds": 6}}

    jobs.json:1 (hero.png): SL034 seconds 6 with resolution '1080p': Veo 3.1 makes 1080p
    videos of 8 seconds only; veo-3.1 takes seconds 8 with it

## How to fix
Change one of the two parameters.
""",
    "SL035": """
## What it does
Reports an image written into a job (instead of named by path or URL) in a form the API
refuses: a `data:` prefix where the API takes bare base64 (Kling's `image`, Veo's
`bytesBase64Encoded`), bare base64 where it needs a data URI with the image's type (Runway's
`promptImage`, Vidu), a data URI without a type or not base64-encoded. The inline image is
also checked like a file, at the job's line: its format (SL002), the type it declares
(SL031/SL005) and its size as the API counts it (SL023).

## Why is this bad?
The API cannot decode the image or refuses it: Kling's docs say not to add any prefix such
as `data:image/png;base64,`; Runway's that a data URI must include its content type.

## Example
    {"model_name": "kling-v2-6", "image": "data:image/jpeg;base64,/9j/4AAQ…"}

    jobs.jsonl:5: SL035 kling-2 takes bare base64: drop the 'data:image/jpeg;base64,' prefix

## How to fix
Write the image in the form the message names, or send it by URL.
""",
}
