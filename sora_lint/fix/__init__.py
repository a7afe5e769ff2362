"""Fixing and image I/O: choosing fixes, decoding (fix mode only), re-encoding, writing."""
