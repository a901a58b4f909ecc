"""A ``for`` loop over a static list: which words of its body stand for the list's
elements, and when the analysis must not pretend to know the loop variable. Hot path.

``for f in .env*; do grep KEY "$f"; done`` reads every ``.env*`` file: the body is
judged once per element with ``"$f"`` replaced by that element (a glob element stays a
glob, expanded later with the bounds of ``limits.expand_glob``). Only the exact words
``"$f"``, ``"${f}"`` (any element) and ``$f``, ``${f}`` (a literal element with nothing
to split or glob) are replaced; any doubt about the variable keeps it unresolved.
"""

from __future__ import annotations

import re

from agentguard.shell.tswords import Words, iter_nodes

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from tree_sitter import Node

# Elements (and so body walks) one loop may stand for; a nest of loops shares a budget.
MAX_LOOP_ITEMS = 16
MAX_LOOP_WALKS = 64

# Nodes that make a ``for`` list dynamic.
_EXPANDING = frozenset(
    (
        "simple_expansion",
        "expansion",
        "command_substitution",
        "process_substitution",
        "arithmetic_expansion",
        "brace_expression",
    )
)
_LITERAL = frozenset(("word", "string", "raw_string", "concatenation"))
# Words that may assign a variable whose name they compute, or move the cwd the glob
# elements are relative to.
_UNSURE = re.compile(
    r"(?:^|[\s;&|(`])(?:eval|source|\.|declare|typeset|local|readonly|export|read|mapfile"
    r"|readarray|printf\s+-v|getopts|let|unset|cd|pushd|popd|function)(?=$|[\s;&|)])"
    r"|\(\s*\)|\(\("
)


def name_is_safe(name: str, line: str) -> bool:
    """True when nothing on ``line`` besides the loop itself may set ``name`` (no
    assignment, no word naming it, no builtin that assigns by a computed name, no
    function that could run in the body, no ``cd`` that moves the glob's base)."""
    if _UNSURE.search(line):
        return False
    n = re.escape(name)
    named = re.findall(rf"(?:^|[\s;&|(='\"]){n}(?=$|[\s;&|)=\[+'\"])", line)
    # One bare word is the loop's own ``for f``.
    if len(named) != 1:
        return False
    # ``${f:=x}`` and friends assign; only ``${f}`` is a plain reference.
    return re.search(rf"\$\{{[#!]?{n}(?!\}})(?!\w)", line) is None


def unroll(walker: Words, node: Node, name: str, scope: tuple[int, ...]) -> bool:
    """Walk the body of the ``for`` ``node`` once per element of its list, ``name``
    bound to it; False (nothing walked) when the list is dynamic, absent or too long,
    or the variable is not surely the loop's."""
    body = node.child_by_field_name("body")
    values = node.children_by_field_name("value")
    if body is None or not values or len(values) > MAX_LOOP_ITEMS:
        return False
    if name in walker.loops or not name_is_safe(name, walker.src):
        return False
    if any(v.type not in _LITERAL for v in values):
        return False
    if any(n.type in _EXPANDING for v in values for n in iter_nodes(v)):
        return False  # checked first: word() would also run its substitutions
    words = [walker.word(v, scope) for v in values]
    if any(w.dynamic for w in words):
        return False
    if walker.loop_walks + len(words) > MAX_LOOP_WALKS:
        return False
    walker.loop_walks += len(words)
    try:
        for value in words:
            walker.loops[name] = value
            walker.walk(body, scope, False)
    finally:
        walker.loops.pop(name, None)
    return True
