"""agentguard: Claude Code hooks and a declarative policy for parallel coding agents.

This module is imported on the hook's hot path: keep it free of imports.
"""

from __future__ import annotations

__version__ = "0.1.0"
