"""``python -m agentguard``: the same entry point as the console script."""

from __future__ import annotations

from agentguard.cli import main

raise SystemExit(main())
