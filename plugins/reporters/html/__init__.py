"""The self-contained HTML report with thumbnails and fix previews."""
