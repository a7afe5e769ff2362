"""The rules: each turns a probed asset and its target into diagnostics."""
