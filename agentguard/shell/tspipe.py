"""A pipeline in tree-sitter's tree: its elements, each in its own shell, and which
plain command reads the output of which (``RawCommand.fed_by``). Hot path."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from tree_sitter import Node

    from agentguard.shell.model import RawCommand


def walk_pipeline(
    node: Node,
    scope: tuple[int, ...],
    certain: bool,
    walk: Callable[[Node, tuple[int, ...], bool], None],
    new_scope: Callable[[tuple[int, ...]], tuple[int, ...]],
    cmds: list[RawCommand],
) -> None:
    """Walk the elements of the pipeline ``node``; a plain command piped by ``|`` (not
    ``|&``, which adds stderr) into another plain command feeds it."""
    parts = [c for c in node.named_children if c.type != "comment"]
    fed: RawCommand | None = None
    for child in parts:
        inner = new_scope(scope) if len(parts) > 1 else scope
        before = len(cmds)
        walk(child, inner, certain and len(parts) == 1)
        body = child.child_by_field_name("body") if child.type == "redirected_statement" else child
        plain = len(cmds) > before and body is not None and body.type == "command"
        raw = cmds[-1] if plain else None
        if raw is not None:
            raw.fed_by = fed
        after = child.next_sibling
        fed = raw if after is not None and after.type == "|" else None
