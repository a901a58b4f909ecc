"""One call to judge: the policy, who is calling, and the path context. Hot path.

:func:`prepare` establishes these once per call; :mod:`agentguard.engine.evaluate`
and :mod:`agentguard.engine.bash` judge the event against the :class:`Call` it returns.
"""

from __future__ import annotations

import os

from agentguard.engine import paths
from agentguard.engine.identity import Identity, base_dir, identify, other_worktrees

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from agentguard.policy.compiled_types import CompiledPolicy


class Call:
    """Everything judged about one call, beyond the event: policy, identity, path context."""

    __slots__ = ("cwd", "env", "identity", "paths", "policy", "policy_files")

    def __init__(
        self,
        policy: CompiledPolicy,
        policy_files: list[str],
        identity: Identity,
        path_ctx: paths.Context,
        cwd: str,
        env: Mapping[str, str],
    ) -> None:
        self.policy = policy
        self.policy_files = policy_files
        self.identity = identity
        self.paths = path_ctx
        self.cwd = cwd
        self.env = env


DEVELOP_ENV = "AGENTGUARD_DEVELOP"


def protected_roots(policy_files: list[str], state_home: str, env: Mapping[str, str]) -> list[str]:
    """Absolute paths no agent writes, beyond the protected folder names.

    The running agentguard code is protected too: an agent that could edit it
    could switch the guard off. Developing agentguard itself needs that code
    writable, so ``AGENTGUARD_DEVELOP=1`` (set by a human in the protected
    ``.claude/settings.local.json``) lifts this one root, nothing else.
    """
    # The whole agentguard package, not only this folder of it.
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    user = env.get("HOME") or os.path.expanduser("~")
    roots = [os.path.abspath(f) for f in policy_files]
    from agentguard.state.ledger import roots as ledger_roots

    roots += [
        state_home,
        *ledger_roots(state_home, env)[1:],
        os.path.join(user, ".claude.json"),
        os.path.join(user, ".gitconfig"),
        os.path.join(user, ".config", "git"),
    ]
    if env.get(DEVELOP_ENV) != "1":
        roots += [here, os.path.join(os.path.dirname(here), "hooks")]
    return roots + [os.path.realpath(r) for r in roots if os.path.realpath(r) != r]


def prepare(
    policy: CompiledPolicy,
    policy_files: list[str],
    cwd: str,
    env: Mapping[str, str],
    state_home: str,
) -> Call:
    """Establish identity and the path context for a call made in ``cwd``."""
    identity = identify(policy, cwd, env, policy_files)
    base = base_dir(policy_files)
    ctx = paths.Context(
        policy,
        identity.agent,
        identity.worktree,
        protected_roots(policy_files, state_home, env),
        other_worktrees(policy, identity, base),
        home_dir=env.get("HOME"),
    )
    return Call(policy, policy_files, identity, ctx, cwd, env)
