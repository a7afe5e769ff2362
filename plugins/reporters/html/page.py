"""The page behind ``--report FILE`` (``html_report``), imported only when one is written.

A summary (counts by rule and by folder), then a card per offending asset: thumbnail, stored
and displayed size, target, rules hit and the fix previews side by side (pad, cover with its
crop box drawn on the original, the crop_bounds suggestion). Everything from a file name or a
message is escaped; the page carries no script and a CSP that forbids any.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence

from sora_lint import __version__
from sora_lint.config.fix_options import DEFAULT_DECODE_MEMORY
from sora_lint.output.escape import safe_text
from sora_lint.output.paths import relative_path
from sora_lint.types import Asset, Diagnostic, RunReport, Settings, Severity

from . import previews, thumbnail

DEFAULT_MAX_PIXELS = 2 * 89_478_485
MAX_THUMBNAILS = 500  # beyond this many cards the page shows boxes without pictures

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#f5f5f7}
h1{font-size:22px;margin:0 0 4px}h2{font-size:15px;margin:0 0 8px;word-break:break-all}
table{border-collapse:collapse;margin:8px 24px 16px 0;background:#fff;display:inline-table;
vertical-align:top}td,th{border:1px solid #d2d2d7;padding:3px 8px;text-align:left}
.card{background:#fff;border:1px solid #d2d2d7;border-radius:8px;padding:14px;margin:14px 0}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:0 0 8px}
dt{color:#6e6e73}dd{margin:0}.error{color:#c00}.warning{color:#a60}
.previews{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;width:240px}figcaption{font-size:12px;color:#6e6e73;margin-top:4px}
.frame{position:relative;overflow:hidden;width:240px;background:#e8e8ed;
outline:1px solid #8e8e93}
.frame img{display:block;width:100%;height:100%}
.pic{position:absolute;background:var(--thumb,#c7c7cc) center/100% 100% no-repeat}
.blur{position:absolute;inset:0;background:var(--thumb,#c7c7cc) center/cover;filter:blur(8px)}
.box{position:absolute;outline:2px dashed #ff3b30;box-shadow:0 0 0 999px rgba(0,0,0,.45)}
pre{font-size:11px;background:#f5f5f7;padding:6px;margin:0;white-space:pre-wrap}
.none{font-size:12px;color:#6e6e73}
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def esc(text: object) -> str:
    """Escape for HTML text and quoted attributes; control characters become U+FFFD."""
    return html.escape(safe_text(str(text)), quote=True)


def _key(d: Diagnostic) -> str:
    return d.asset or d.path


def _summary(report: RunReport) -> list[str]:
    diags = report.diagnostics
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    files = {_key(d) for d in diags}
    out = [
        f"<p>{errors} errors, {len(diags) - errors} warnings in {len(files)} of "
        f"{report.files_checked} files checked.</p>"
    ]
    by_rule: dict[str, Counter[Severity]] = {}
    names: dict[str, str] = {}
    for d in diags:
        by_rule.setdefault(d.code, Counter())[d.severity] += 1
        names.setdefault(d.code, d.name)
    out.append(
        '<table id="by-rule"><tr><th>Rule</th><th>Name</th><th>Errors</th><th>Warnings</th></tr>'
    )
    for code, counts in sorted(by_rule.items()):
        out.append(
            f"<tr><td>{esc(code)}</td><td>{esc(names[code])}</td>"
            f"<td>{counts[Severity.ERROR]}</td><td>{counts[Severity.WARNING]}</td></tr>"
        )
    out.append("</table>")
    folders: Counter[str] = Counter()
    folder_files: dict[str, set[str]] = {}
    for d in diags:
        rel = relative_path(_key(d)) or _key(d)
        folder = rel.rpartition("/")[0] or "."
        folders[folder] += 1
        folder_files.setdefault(folder, set()).add(rel)
    out.append('<table id="by-folder"><tr><th>Folder</th><th>Files</th><th>Findings</th></tr>')
    for folder, count in sorted(folders.items()):
        out.append(
            f"<tr><td>{esc(folder)}</td><td>{len(folder_files[folder])}</td><td>{count}</td></tr>"
        )
    out.append("</table>")
    return out


def _frame(width: int, height: int) -> str:
    """A preview frame 240 px on its longer side, with the exact aspect ratio."""
    side = 240 * min(1.0, width / height)
    return f"aspect-ratio:{width}/{height};width:{side:.1f}px;"


def _original(p: previews.Previews, img: str) -> str:
    left, top, right, bottom = p.cover_box
    (w, h), pct = p.source, previews.percent
    box = (
        f"left:{pct(left, w)};top:{pct(top, h)};width:{pct(right - left, w)};"
        f"height:{pct(bottom - top, h)}"
    )
    return (
        f'<figure class="original"><div class="frame" style="{_frame(w, h)}">{img}'
        f'<div class="box" style="{box}"></div></div><figcaption>original {w}x{h} '
        "(upright) with the cover crop box</figcaption></figure>"
    )


def _thumb(thumb: thumbnail.Thumbnail) -> str:
    """The thumbnail, drawn from the card's ``--thumb`` variable: the picture is embedded
    once per card, however many previews show it."""
    if not thumb.uri:
        return ""
    return (
        f'<div class="pic thumb" role="img" aria-label="thumbnail" data-width="{thumb.width}" '
        f'data-height="{thumb.height}" style="inset:0"></div>'
    )


def _pad(p: previews.Previews) -> str:
    left, top, right, bottom = p.pad_box
    (w, h), pct = p.target, previews.percent
    fill = "" if p.pad_fill == "blur" else f"background:{p.pad_fill};"
    under = '<div class="blur"></div>' if p.pad_fill == "blur" else ""
    pic = (
        f"left:{pct(left, w)};top:{pct(top, h)};width:{pct(right - left, w)};"
        f"height:{pct(bottom - top, h)}"
    )
    return (
        f'<figure class="pad"><div class="frame" style="{_frame(w, h)}{fill}">'
        f'{under}<div class="pic" style="{pic}"></div></div><figcaption>pad to {w}x{h} '
        f"({esc(p.pad_fill)} bars)</figcaption></figure>"
    )


def _cover(p: previews.Previews) -> str:
    left, top, right, bottom = p.cover_box
    (sw, sh), (tw, th), pct = p.source, p.cover_target or p.target, previews.percent
    cw, ch = right - left, bottom - top
    x = pct(left, sw - cw) if sw > cw else "0%"
    y = pct(top, sh - ch) if sh > ch else "0%"
    pic = f"inset:0;background-size:{pct(sw, cw)} {pct(sh, ch)};background-position:{x} {y}"
    return (
        f'<figure class="cover"><div class="frame" style="{_frame(tw, th)}">'
        f'<div class="pic" style="{pic}"></div></div><figcaption>cover: keep {cw}x{ch}, '
        f"scale to {tw}x{th}</figcaption></figure>"
    )


def _card(
    asset: Asset, diags: Sequence[Diagnostic], thumb: thumbnail.Thumbnail, settings: Settings
) -> str:
    header = asset.header
    facts = [("Format", asset.format or "unknown"), ("File size", f"{asset.byte_size:,} bytes")]
    if header is not None:
        facts.append(("Stored size", str(header.size)))
        if header.display_size != header.size:
            facts.append(
                ("Displayed size", f"{header.display_size} (EXIF orientation {header.orientation})")
            )
    target = previews.target_of(diags)
    facts.append(("Target", str(target) if target else "no size finding"))
    style = f' style="--thumb:url({esc(thumb.uri)})"' if thumb.uri else ""
    out = [
        f'<article class="card" data-path="{esc(asset.display)}"{style}>',
        f"<h2>{esc(asset.display)}</h2><dl>",
    ]
    out += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts]
    out.append('</dl><ul class="rules">')
    for d in diags:
        where = f" (line {d.line} of {esc(d.path)})" if d.line is not None else ""
        out.append(
            f'<li class="{d.severity.value}"><code>{esc(d.code)}</code> '
            f"{esc(d.name)}{where}: {esc(d.message)}</li>"
        )
    out.append("</ul>")
    img = _thumb(thumb)
    if not thumb.uri:
        out.append(f'<p class="none">{esc(thumb.reason)}</p>')
    if header is not None and target is not None:
        p = previews.previews(header.display_size, target, diags, settings.values)
        bounds = json.dumps({"crop_bounds": p.crop_bounds}, indent=1)
        out += [
            '<div class="previews">',
            _original(p, img),
            _pad(p),
            _cover(p),
            f'<figure class="crop-bounds"><pre>{esc(bounds)}</pre><figcaption>crop_bounds '
            "suggestion (fractions of the upright image)</figcaption></figure></div>",
        ]
    elif img:
        frame = _frame(thumb.width or 1, thumb.height or 1)
        out.append(
            f'<div class="previews"><figure class="original"><div class="frame" '
            f'style="{frame}">{img}</div></figure></div>'
        )
    fixes = list({(f.applicability, f.description): f for d in diags for f in d.fixes}.values())
    if fixes:
        out.append('<ul class="fixes">')
        out += [f"<li>{esc(f.applicability.value)}: {esc(f.description)}</li>" for f in fixes]
        out.append("</ul>")
    out.append("</article>")
    return "".join(out)


def render_page(report: RunReport, settings: Settings) -> str:
    """The whole page; decodes thumbnails of the offending assets only."""
    max_pixels = int(settings.get("max-pixels") or DEFAULT_MAX_PIXELS)
    memory = int(settings.get("max-decode-memory") or DEFAULT_DECODE_MEMORY)
    by_asset: dict[str, list[Diagnostic]] = {}
    for d in report.diagnostics:
        by_asset.setdefault(_key(d), []).append(d)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width">',
        f"<title>sora-lint report</title><style>{CSS}</style></head><body>",
        f'<h1>sora-lint report</h1><p class="none">sora-lint {esc(__version__)}</p>',
    ]
    out += _summary(report)
    shown: set[str] = set()
    for index, asset in enumerate(sorted(report.assets, key=lambda a: a.display)):
        shown.add(asset.display)
        if index < MAX_THUMBNAILS:
            thumb = thumbnail.make_thumbnail(asset, max_pixels, memory)
        else:
            thumb = thumbnail.Thumbnail(None, reason="not previewed: too many cards")
        out.append(_card(asset, by_asset.get(asset.display, []), thumb, settings))
    rest = [d for d in report.diagnostics if _key(d) not in shown]
    if rest:
        out.append('<section class="other"><h2>Other findings</h2><ul>')
        out += [
            f"<li>{esc(d.path)}: <code>{esc(d.code)}</code> {esc(d.message)}</li>" for d in rest
        ]
        out.append("</ul></section>")
    out.append("</body></html>\n")
    return "\n".join(out)
