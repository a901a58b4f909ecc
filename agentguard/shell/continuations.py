"""Backslash-newline removal where bash removes it, before tree-sitter splits words.

Hot path: only lines the fast lexer refuses, and only those with a continuation.
"""

from __future__ import annotations

# Characters after which ``#`` starts a comment (a word boundary).
_WORD_BREAK = frozenset(" \t\n;&|()<>")


def join_continuations(line: str) -> str:
    """Remove backslash-newline where bash does, before splitting words (tree-sitter-bash
    splits ``gi\\<newline>t`` into two words; bash runs ``git``).

    Bash removes it outside single quotes, but not inside a comment: in
    ``git status #\\<newline>rm -rf x`` the comment ends at the newline and ``rm`` runs.
    Quoting contexts are tracked with a stack (``$(…)`` inside double quotes starts
    a fresh unquoted context, where ``#`` starts a comment again). Any ``#`` that may
    start a word outside single quotes keeps the backslash-newlines after it on the
    same physical line: where the context guess is wrong, keeping the newline only makes
    the guard see more commands, never fewer."""
    out: list[str] = []
    i, n = 0, len(line)
    # Contexts: "u" unquoted (top level, ``$(``, ``(``), "b" backticks, "e" ``${``,
    # "d" double quotes, "q" single quotes, "a" ``$'…'``.
    stack = ["u"]
    hashed = False
    while i < n:
        c = line[i]
        top = stack[-1]
        if c == "\n":
            hashed = False
        if top == "q":
            if c == "'":
                stack.pop()
            out.append(c)
            i += 1
            continue
        if top == "a":
            if c == "\\" and i + 1 < n:
                out.append(line[i : i + 2])
                i += 2
                continue
            if c == "'":
                stack.pop()
            out.append(c)
            i += 1
            continue
        if c == "\\" and i + 1 < n:
            if line[i + 1] == "\n" and not hashed:
                i += 2
                continue
            out.append(line[i : i + 2])
            i += 2
            continue
        if c == "#" and (i == 0 or line[i - 1] in _WORD_BREAK):
            hashed = True
            if top == "u":
                end = line.find("\n", i)
                end = n if end < 0 else end
                out.append(line[i:end])
                i = end
                continue
        if c == "$" and line.startswith("$(", i):
            stack.append("u")
            out.append("$(")
            i += 2
            continue
        if c == "$" and line.startswith("${", i):
            stack.append("e")
            out.append("${")
            i += 2
            continue
        if c == "`":
            if top == "b":
                stack.pop()
            else:
                stack.append("b")
        elif top == "d":
            if c == '"':
                stack.pop()
        elif c == '"':
            stack.append("d")
        elif c == "'":
            stack.append("a" if i and line[i - 1] == "$" else "q")
        elif c == "(" and top == "u":
            stack.append("u")
        elif (c == ")" and top == "u" and len(stack) > 1) or (c == "}" and top == "e"):
            stack.pop()
        out.append(c)
        i += 1
    return "".join(out)
