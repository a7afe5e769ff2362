"""Regenerate the bundled example images: `python examples/make_examples.py`.

Small on purpose (flat colours and shapes compress to a few KB), each one showing one thing
sora-lint reports. `good/` passes for sora-2 with `--target auto`; `bad/` does not.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent


def scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A flat sky, ground and sun: compresses well and shows which way is up."""
    width, height = size
    image = Image.new("RGB", size, (110, 170, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(70, 140, 60))
    r = min(width, height) // 8
    sun = (width // 6 - r, height // 5 - r, width // 6 + r, height // 5 + r)
    draw.ellipse(sun, fill=(250, 220, 80))
    return image.convert(mode)


def main() -> None:
    good, bad = HERE / "good", HERE / "bad"
    good.mkdir(exist_ok=True)
    bad.mkdir(exist_ok=True)
    scene((1280, 720)).save(good / "landscape_1280x720.png", optimize=True)
    scene((720, 1280)).save(good / "portrait_720x1280.jpg", quality=85)
    scene((1280, 720)).save(good / "landscape_1280x720.webp", lossless=True)

    scene((1920, 1080)).save(bad / "too_big_1920x1080.png", optimize=True)  # SL001
    scene((1000, 1000)).save(bad / "square_1000x1000.jpg", quality=85)  # SL001
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait: SL006 (+ SL001 with auto)
    scene((1280, 720)).save(bad / "phone_rotated.jpg", quality=85, exif=exif.tobytes())
    frames = [scene((640, 360)).quantize(8), scene((640, 360)).rotate(180).quantize(8)]
    frames[0].save(bad / "animated.gif", save_all=True, append_images=frames[1:])  # SL002, SL007
    scene((1280, 720)).save(bad / "really_a_png.jpg", format="PNG", optimize=True)  # SL005
    scene((1280, 720), "RGBA").save(bad / "transparent.png", optimize=True)  # SL009
    scene((1280, 720), "CMYK").save(bad / "print_cmyk.jpg", quality=85)  # SL008
    (bad / "not_pulled.png").write_text(  # SL011
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        "size 1345678\n"
    )
    png = (good / "landscape_1280x720.png").read_bytes()
    (bad / "truncated.png").write_bytes(png[:40])  # SL004


if __name__ == "__main__":
    main()
