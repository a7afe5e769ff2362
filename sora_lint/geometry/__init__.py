"""Pure arithmetic on sizes, boxes and aspect ratios: integers and fractions, no Pillow, no I/O."""
