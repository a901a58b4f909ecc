"""Environment variables whose value is code, or decides which code runs.

Setting one (for a command, or for every later command of the line) runs what the guard
cannot see. The names are in the catalogue's ``ENVIRONMENT`` section.

Hot path: standard library only.
"""

from __future__ import annotations

from agentguard.shell.catalogue import ENVIRONMENT
from agentguard.shell.effects import fact, fact_tuple, words

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from agentguard.shell.model import SimpleCommand

_PREFIXES = fact_tuple(ENVIRONMENT, "code_var_prefixes")


def code_var(name: str, value: str | None = None) -> bool:
    """Whether assigning ``name`` (to ``value`` when known) changes which code runs."""
    if name in words(fact(ENVIRONMENT, "code_vars")):
        if name == "NODE_OPTIONS" and value is not None:
            # Flags that only tune the runtime (``--max-old-space-size=4096`` is a common
            # build setting); any other flag (``--require``, ``--import`` …) loads code.
            safe = words(fact(ENVIRONMENT, "node_options_safe"))
            return not all(
                flag.split("=", 1)[0] in safe or flag.isdigit() for flag in value.split()
            )
        return True
    return name.upper().startswith(_PREFIXES)


def loaded_vars(program: str, assigns: Mapping[str, str]) -> list[str]:
    """The code-bearing variables ``assigns`` sets for ``program``, sorted.

    ``IFS= read -r line`` is the one harmless case: IFS only changes how the builtin
    splits its input.
    """
    loaded = sorted(name for name, value in assigns.items() if code_var(name, value))
    if program == "read" and set(loaded) <= {"IFS"}:
        return []
    return loaded


def flag_code_vars(cmd: SimpleCommand, names: Iterable[tuple[str, str | None]]) -> None:
    """Mark ``cmd`` opaque for each code-bearing variable among ``names`` it sets."""
    for name, value in names:
        if code_var(name, value):
            cmd.classes.add("opaque")
            cmd.notes.append(f"sets {name}, which decides what code runs")


def hook_switch(name: str, value: str | None) -> bool:
    """Whether setting ``name`` to ``value`` switches the repository's git hooks off."""
    switches = ENVIRONMENT.get("hook_switches")
    if not isinstance(switches, dict) or name not in switches or not value:
        return False
    values = str(switches[name]).split()
    return not values or value.strip().lower() in values
