"""Which variables a command's own environment holds, as far as the line shows it.

Bash semantics, kept on the safe side: a prefix assignment (``X=1 cmd``) applies to its
command only; ``X=1;`` alone is a shell variable, not exported, until ``export X``;
``export X=1`` (or ``declare -x``) counts for the commands after it in the same shell and
its subshells; ``export X=``, ``unset X`` and ``export -n X`` take it away. An export that
may not run (after ``&&`` or ``||``, inside a loop or conditional, in a pipeline or in the
background) does not count, but its removals do. A value from an expansion may be empty,
so it does not count either. The agent's own shell environment is unknown to the hook
(the hook runs in Claude Code's environment, not the agent's shell), so nothing the line
does not show is taken as set.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from agentguard.shell.model import RawCommand, Word

_DECLARE = frozenset(("declare", "typeset", "local"))


def env_set(
    exported: Mapping[str, str], assigns: Mapping[str, str], dynamic: Iterable[str] = ()
) -> frozenset[str]:
    """Names with a known non-empty value in a command's environment."""
    env = dict(exported)
    env.update(assigns)
    for name in dynamic:
        env.pop(name, None)
    return frozenset(name for name, value in env.items() if value and "$" not in value)


def _literal(word: Word) -> str | None:
    return None if word.dynamic else word.text


class ShellVars:
    """Shell and exported variables per shell scope, updated command by command."""

    __slots__ = ("scopes",)

    def __init__(self, exported: Mapping[str, str]) -> None:
        # scope -> (shell variables, exported variables); a subshell starts as a copy
        # of its parent and its changes never flow back.
        self.scopes: dict[tuple[int, ...], tuple[dict[str, str], dict[str, str]]] = {
            (): ({}, dict(exported))
        }

    def _get(self, scope: tuple[int, ...]) -> tuple[dict[str, str], dict[str, str]]:
        probe = scope
        while probe not in self.scopes:
            probe = probe[:-1]
        found = self.scopes[probe]
        if probe != scope:
            found = (dict(found[0]), dict(found[1]))
            self.scopes[scope] = found
        return found

    def exported(self, scope: tuple[int, ...]) -> dict[str, str]:
        """The exported variables a command in ``scope`` inherits (a copy)."""
        return dict(self._get(scope)[1])

    def watch(self, raw: RawCommand, prev_op: str) -> None:
        """Apply what ``raw`` does to the variables of its shell."""
        shell, exported = self._get(raw.scope)
        sure = raw.certain and prev_op not in ("&&", "||") and raw.op_after not in ("|", "&")
        if not raw.words:
            for name, word in raw.assigns:
                value = _literal(word)
                self._set(shell, exported, name, value, sure, export=name in exported)
            return
        head = raw.words[0]
        if head.dynamic:
            return
        args = raw.words[1:]
        if head.text == "unset":
            for word in args:
                if not word.text.startswith("-"):
                    shell.pop(word.text, None)
                    exported.pop(word.text, None)
            return
        if head.text == "export" or head.text in _DECLARE:
            flags = "".join(w.text[1:] for w in args if w.text.startswith("-") and not w.dynamic)
            if head.text in _DECLARE and "x" not in flags:
                for word in args:
                    name, eq, value = word.text.partition("=")
                    if name in exported and not word.text.startswith("-"):
                        # Assigning an exported variable changes its exported value.
                        new = value if eq and not word.dynamic else None
                        self._set(shell, exported, name, new, sure, export=True)
                return
            for word in args:
                if word.text.startswith("-"):
                    continue
                name, eq, value = word.text.partition("=")
                if "n" in flags and head.text == "export":
                    exported.pop(name, None)
                    continue
                literal: str | None = value if eq else shell.get(name, exported.get(name))
                if word.dynamic:
                    literal = None
                self._set(shell, exported, name, literal, sure, export=True)

    @staticmethod
    def _set(
        shell: dict[str, str],
        exported: dict[str, str],
        name: str,
        value: str | None,
        sure: bool,
        export: bool,
    ) -> None:
        if value is None or not value or not sure:
            # Unknown, empty or maybe-run: never counts as set.
            shell.pop(name, None)
            exported.pop(name, None)
            return
        shell[name] = value
        if export:
            exported[name] = value
