"""Claude Code's formats: the hook wire, events, settings, the entry script and plugin."""
