"""Header probers: read what a file is and its size without decoding a pixel."""
