"""The result cache: what a re-run may skip, keyed on content and settings, stored as JSON."""
