"""sora-lint: lint and fix reference images for image-to-video models."""

__version__ = "0.1.0"
