"""The frozen values that move forward through a run, one group to a module.

Plugins import them from :mod:`sora_lint.types`, the public path; these modules are where
they live.
"""
