"""The hook: one module per event. Hot path: keep this package's import free."""
