"""Fixers: propose fixes for diagnostics and apply the allowed ones to decoded pixels."""
