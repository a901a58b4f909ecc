"""The paths an MCP tool call names, and whether it reads or writes them. Hot path.

Only the tool name and its arguments are known: an MCP server is a program
agentguard cannot see into. A filesystem server's ``read_file {path: ".env"}`` is a
Read of ``.env`` and its ``write_file`` a Write, so both get the path judgement the
built-in tools get. The mode comes from the tool's verb (``read_*``, ``get_*``,
``list_*`` … read); any other verb writes, because a write judgement is the
stricter one and an unknown verb is not known to be harmless.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

READ = "read"
WRITE = "write"

# Argument names that hold a path whatever the tool does.
PATH_KEYS = frozenset(
    {"path", "paths", "file", "files", "file_path", "filepath", "filename", "notebook_path"}
)
# Names that hold a path for a filesystem-like tool, and often something else elsewhere
# (``source: "en"`` of a translation tool): judged there only when the value looks like one.
MAYBE_PATH_KEYS = frozenset({"source", "destination", "src", "dest", "from", "to"})
# Names whose value is a path only as a file:// URI.
URI_KEYS = frozenset({"uri", "url"})

READ_VERBS = frozenset(
    {
        "read",
        "get",
        "list",
        "search",
        "find",
        "view",
        "show",
        "stat",
        "info",
        "directory",
        "tree",
        "cat",
        "head",
        "tail",
        "glob",
        "grep",
        "query",
        "describe",
        "count",
        "exists",
        "fetch",
        "download",
    }
)
# Verbs whose source is only read (the copy keeps it); a move deletes its source.
COPY_VERBS = frozenset({"copy", "cp", "duplicate"})
# Verbs only file tools use; generic ones (get, create, search) do not make a tool one.
FILESYSTEM_VERBS = frozenset(
    {"read", "write", "edit", "move", "rename", "copy", "cp", "mv", "mkdir", "stat", "cat"}
    | {"head", "tail", "tree", "directory", "glob", "grep"}
)
_SOURCE_KEYS = frozenset({"source", "src", "from"})
_VERB = re.compile(r"[A-Za-z][a-z]*")
# Deep or huge argument trees are not walked to the end: the first paths decide.
MAX_DEPTH = 4
MAX_PATHS = 64


def verb(tool: str) -> str:
    """The leading word of the tool part of ``mcp__server__tool`` (``read`` of ``readFile``)."""
    name = tool.split("__", 2)[2] if tool.count("__") >= 2 else tool
    found = _VERB.match(name)
    return found.group(0).lower() if found else ""


def mode_for(tool: str, declared: str | None) -> str:
    """READ or WRITE for the paths of ``tool``: the class's ``arguments``, else the verb's."""
    if declared in (READ, WRITE):
        return declared
    return READ if verb(tool) in READ_VERBS else WRITE


def _file_uri(value: str) -> str | None:
    if value[:7].lower() != "file://":
        return None
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(value)
    # file://localhost/x and file:///x are /x; file://host/x names another machine's x,
    # which is judged as the local /x rather than not at all.
    return unquote(parts.path) or "/"


def _looks_like_path(value: str) -> bool:
    return "/" in value or value.startswith((".", "~"))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value[:MAX_PATHS]:
            if isinstance(item, str):
                yield item


def paths(tool: str, tool_input: Any, mode: str) -> list[tuple[str, str, str]]:
    """``(argument, path, mode)`` for every path the arguments name, nested ones included."""
    out: list[tuple[str, str, str]] = []
    filesystem = verb(tool) in FILESYSTEM_VERBS
    copying = verb(tool) in COPY_VERBS

    def walk(value: Any, where: str, depth: int) -> None:
        if depth > MAX_DEPTH or len(out) >= MAX_PATHS:
            return
        if isinstance(value, list):
            for i, item in enumerate(value[:MAX_PATHS]):
                if isinstance(item, (dict, list)):
                    walk(item, f"{where}[{i}]", depth + 1)
            return
        if not isinstance(value, dict):
            return
        for key, item in value.items():
            if not isinstance(key, str):
                continue
            at = f"{where}.{key}" if where else key
            if isinstance(item, dict):
                walk(item, at, depth + 1)
                continue
            if isinstance(item, list):
                walk(item, at, depth + 1)
            for text in _strings(item):
                if len(out) >= MAX_PATHS:
                    return
                found = _path(key.lower(), text)
                if found is not None:
                    out.append((at, found[0], found[1]))

    def _path(name: str, text: str) -> tuple[str, str] | None:
        uri = _file_uri(text)
        if name in URI_KEYS:
            return (uri, mode) if uri is not None else None
        if not text or (uri is None and "://" in text):
            return None  # a URL of some other scheme names no local file
        if name in PATH_KEYS or (
            name in MAYBE_PATH_KEYS and (filesystem or _looks_like_path(text))
        ):
            read_only = copying and name in _SOURCE_KEYS
            return (uri if uri is not None else text, READ if read_only else mode)
        return None

    walk(tool_input, "", 0)
    return out
