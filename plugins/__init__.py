"""The bundled plugins, installed as ``sora_lint_plugins``, grouped by kind in sub-packages.

Each is registered under its short name through the same hooks a third-party package uses;
``-p no:NAME`` turns one off. The names are a public contract and do not follow the folders.
The order here does not matter: registrations are sorted by name.
"""

#: Registered name -> module inside this package.
BUILTIN: dict[str, str] = {
    "profiles": "profiles.sora",
    "profiles_vendors": "profiles.vendors",
    "profiles_config": "profiles.config",
    "targets": "targets.default",
    "target_filename": "targets.filename",
    "jobs": "jobs.plugin",
    "rules_jobs": "rules.jobs",
    "rules_profile": "rules.profile",
    "rules_size": "rules.size",
    "rules_format": "rules.format",
    "rules_file": "rules.file",
    "rules_pixels": "rules.pixels",
    "rules_upscale": "rules.upscale",
    "reporters": "reporters.standard",
    "report_sarif": "reporters.sarif",
    "report_junit": "reporters.junit",
    "report_gitlab": "reporters.gitlab",
    "report_jsonlines": "reporters.jsonlines",
    "step_summary": "reporters.step_summary",
    "html_report": "reporters.html.report",
    "fix_pad": "fixers.pad",
    "fix_cover": "fixers.cover",
    "fix_stretch": "fixers.stretch",
    "fix_trim": "fixers.trim",
    "fix_crop_bounds": "fixers.crop_bounds",
    "fix_orientation": "fixers.orientation",
    "fix_color": "fixers.color",
    "probe_basic": "probes.basic",
    "probe_jpeg": "probes.jpeg",
    "probe_png": "probes.png",
    "probe_webp": "probes.webp",
    "probe_pillow": "probes.pillow",
}
