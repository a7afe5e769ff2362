"""Spreading a run's per-file work over worker processes, results in file order."""
