"""Where a command line's comments are, as the shell analyser reads the line.

Hot path: standard library only. The fast lexer answers for the lines it reads; any other
line is asked of tree-sitter, which PreToolUse has already loaded for it (a line the fast
lexer refuses is analysed by tree-sitter). The loop cap drops comments from a command's
signature with this, so that it never reads a line differently from the analyser.
"""

from __future__ import annotations

from agentguard.shell.lexer import fast_comments


def comment_spans(line: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` character offsets of ``line``'s comments, in order.

    Empty when the line holds none, or when no parser can read it (keeping a comment only
    keeps two attempts apart; it never merges two different commands).
    """
    if "#" not in line:
        return []
    spans = fast_comments(line)
    if spans is not None:
        return spans
    try:
        from agentguard.shell.tsparse import parser
        from agentguard.shell.tswords import iter_nodes

        data = line.encode("utf-8", "surrogatepass")
        tree = parser().parse(data)
    except Exception:
        return []
    found = []
    for node in iter_nodes(tree.root_node):
        if node.type == "comment":
            start = len(data[: node.start_byte].decode("utf-8", "surrogatepass"))
            end = start + len(
                data[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")
            )
            found.append((start, end))
    return found


def _chars(data: bytes, offset: int) -> int:
    """The character offset of byte ``offset`` in ``data``."""
    return len(data[:offset].decode("utf-8", "surrogatepass"))


def without_comments(line: str) -> str:
    """``line`` with every comment's text removed (the newline after one stays)."""
    spans = comment_spans(line)
    if not spans:
        return line
    out = []
    at = 0
    for start, end in spans:
        out.append(line[at:start])
        at = end
    out.append(line[at:])
    return "".join(out)
