"""Where agentguard keeps its state, logs and compiled-policy cache.

Hot path: standard library only. One folder is shared by every worktree of a
repository (under git's common dir), so that the log of three agents is one log.
``AGENTGUARD_HOME`` moves it (every test gets its own).
"""

from __future__ import annotations

import os

from agentguard.git.files import session_worktree

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping

HOME_ENV = "AGENTGUARD_HOME"


def home(cwd: str, env: Mapping[str, str] | None = None) -> str:
    """The state folder for a call made in ``cwd`` (created on demand by writers)."""
    env = os.environ if env is None else env
    override = env.get(HOME_ENV)
    if override:
        return os.path.abspath(os.path.expanduser(override))
    tree = session_worktree(cwd, env)
    if tree is not None:
        return os.path.join(tree.common_dir, "agentguard")
    base = env.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "agentguard")


def ensure_dir(path: str) -> str:
    """Create ``path`` (and parents) if needed and return it."""
    os.makedirs(path, exist_ok=True)
    return path
