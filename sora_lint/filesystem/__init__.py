"""Writing files safely: atomic replacement that never leaves a torn file."""
