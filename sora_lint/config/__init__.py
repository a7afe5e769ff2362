"""Settings: the option registry, the host's own options, and configuration files."""
