"""The plugin host: building the plugin manager and the typed facade over its hooks."""
