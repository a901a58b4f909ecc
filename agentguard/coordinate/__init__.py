"""Coordinating agents: shared memory lint, the integration plan, import edges. Cold path."""
