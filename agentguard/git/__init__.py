"""Reading git: its files directly (hot) and the git command (cold)."""
