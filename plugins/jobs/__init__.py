"""Job files: generation requests read as per-image targets."""
