"""Helpers every reporter shares: the JSON shape of a diagnostic, safe text, stable paths."""
