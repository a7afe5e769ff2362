"""The bundled plugins, installed as ``sora_lint_plugins``.

Each is registered through the same hooks a third-party package uses; ``-p no:NAME`` turns
one off. The order here does not matter: registrations are sorted by name.
"""

BUILTIN: tuple[str, ...] = (
    "profiles",
    "targets",
    "profiles_vendors",
    "profiles_config",
    "jobs",
    "target_filename",
    "rules_jobs",
    "rules_profile",
    "rules_size",
    "rules_format",
    "rules_file",
    "rules_pixels",
    "reporters",
    "report_sarif",
    "report_junit",
    "report_gitlab",
    "report_jsonlines",
    "step_summary",
    "html_report",
    "fix_pad",
    "fix_cover",
    "fix_stretch",
    "fix_crop_bounds",
    "fix_orientation",
    "fix_color",
    "probe_basic",
    "probe_jpeg",
    "probe_png",
    "probe_webp",
    "probe_pillow",
)
