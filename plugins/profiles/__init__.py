"""Target profiles: what each image-to-video model accepts."""
