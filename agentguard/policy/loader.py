"""Load policy files: YAML with node marks, strict validation, layering. Cold path.

Every problem is reported as ``file:line:col: field.path: message``. PyYAML's
composer keeps a mark on every node; we remember the mark of each value by its
path, and map pydantic's error ``loc`` back onto it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from pydantic import ValidationError

from agentguard.errors import PolicyError, PolicyFileError, Problem
from agentguard.policy import lists
from agentguard.policy.files import MAX_BYTES, read_policy
from agentguard.policy.model import Policy

Path = tuple[str | int, ...]

_LIST_SECTIONS = ("paths", "commands", "mcp", "tools", "tests")
_NAMED_SECTIONS = ("agents", "checks", "interfaces", "programs")
_MERGED_SECTIONS = ("defaults", "web", "loops", "integration", "memory")
# Sections of name lists: a later file's lists join the earlier ones'.
_LIST_MERGED_SECTIONS = ("secrets", "production")


def format_path(path: Iterable[str | int]) -> str:
    """``("commands", 2, "decision")`` -> ``commands[2].decision``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class Marked:
    """A YAML document as plain data, with the (line, col) of every value by path."""

    def __init__(self, file: str, data: Any, marks: dict[Path, tuple[int, int]]) -> None:
        self.file = file
        self.data = data
        self.marks = marks

    def where(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The mark of ``path`` or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, path: Sequence[str | int], message: str, severity: str = "error") -> Problem:
        """A problem located at ``path`` in this file."""
        line, col = self.where(path)
        return Problem(self.file, line, col, format_path(path), message, severity)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct(
    node: yaml.Node,
    path: Path,
    marks: dict[Path, tuple[int, int]],
    problems: list[Problem],
    file: str,
) -> Any:
    marks.setdefault(path, _mark(node))  # a mapping key already marked its own position
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(
                    Problem(
                        file,
                        *_mark(key_node),
                        format_path(path),
                        "YAML merge keys (<<) are not supported in policies; write the fields out",
                    )
                )
                continue
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                problems.append(
                    Problem(
                        file,
                        *_mark(key_node),
                        format_path(path),
                        "mapping keys must be plain strings",
                    )
                )
                continue
            key = str(key)
            if key in out:
                line, col = _mark(key_node)
                first = marks.get((*path, key), (0, 0))
                problems.append(
                    Problem(
                        file,
                        line,
                        col,
                        format_path((*path, key)),
                        f"duplicate key (first defined at line {first[0]}); YAML would keep"
                        " only the last one, so remove one of them",
                    )
                )
                continue
            key_path = (*path, key)
            marks[key_path] = _mark(key_node)
            out[key] = _construct(value_node, (*path, key), marks, problems, file)
            # The value's own mark is less useful than the key's for "unknown field" errors,
            # but better for "wrong value" ones; keep the value's under a shadow path.
            value_path = (*path, key, "\0value")
            marks[value_path] = _mark(value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*path, i), marks, problems, file) for i, item in enumerate(node.value)
        ]
    return _scalar(node)


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    # Only scalars reach here: a plain constructor resolves their tags (int, bool, null …).
    return _CONSTRUCTOR.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> Marked:
    """Parse one YAML document keeping marks; raise :class:`PolicyError` when it does not parse."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or str(exc)
        raise PolicyError(
            [Problem(file, line, col, "", f"YAML does not parse: {what}; fix the syntax there")]
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyError([Problem(file, 1, 1, "", f"YAML does not parse: {exc}")]) from None
    marks: dict[Path, tuple[int, int]] = {}
    problems: list[Problem] = []
    empty = Problem(
        file,
        1,
        1,
        "",
        "the policy is empty (no settings, only blanks or comments); an empty policy would"
        " allow everything: write the policy, or restore it from git",
    )
    if node is None:
        raise PolicyError([empty])
    data = _construct(node, (), marks, problems, file)
    if problems:
        raise PolicyError(problems)
    if data is None:  # a lone ``---`` or ``~``
        raise PolicyError([empty])
    if not isinstance(data, dict):
        line, col = marks.get((), (1, 1))
        raise PolicyError(
            [Problem(file, line, col, "", "a policy is a mapping (version:, agents:, paths: …)")]
        )
    return Marked(file, data, marks)


def _pydantic_message(error: Any) -> str:
    kind = error.get("type", "")
    msg = str(error.get("msg", "invalid value"))
    if kind == "extra_forbidden":
        return "unknown field; remove it or check its spelling against the schema"
    if kind == "missing":
        return "required field is missing"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg


def validate(marked: Marked) -> Policy:
    """Validate one file against :class:`Policy`; every error is located."""
    try:
        return Policy.model_validate(marked.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
            # Literal unions report ("field", "literal['allow']"); drop such synthetic parts.
            loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("literal")))
            path = loc
            value_path = (*loc, "\0value")
            if error.get("type") != "extra_forbidden" and value_path in marked.marks:
                line, col = marked.marks[value_path]
                problems.append(
                    Problem(marked.file, line, col, format_path(path), _pydantic_message(error))
                )
            else:
                problems.append(marked.problem(path, _pydantic_message(error)))
        raise PolicyError(_dedupe(problems)) from None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def merge(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Layer raw policy documents in order (later files refine earlier ones).

    Mappings of settings merge key by key; agents and checks replace by name;
    rule lists concatenate, and a rule whose id repeats replaces the earlier one
    in place, so an overlay can tighten a shipped rule without copying the file.
    """
    out: dict[str, Any] = {}
    for doc in documents:
        for key, value in doc.items():
            if (key in _MERGED_SECTIONS and isinstance(value, dict)) or (
                key in _NAMED_SECTIONS and isinstance(value, dict)
            ):
                base = dict(out.get(key) or {})
                base.update(value)
                out[key] = base
            elif key in _LIST_SECTIONS and isinstance(value, list):
                items = list(out.get(key) or [])
                index = {
                    item.get("id"): i for i, item in enumerate(items) if isinstance(item, dict)
                }
                for item in value:
                    ident = item.get("id") if isinstance(item, dict) else None
                    if ident is not None and ident in index:
                        items[index[ident]] = item
                    else:
                        if ident is not None:
                            index[ident] = len(items)
                        items.append(item)
                out[key] = items
            elif key in _LIST_MERGED_SECTIONS:
                out[key] = lists.merge(out.get(key), value) if key in out else value
            elif key == "writable_outside" and isinstance(value, list):
                out[key] = [*out.get(key, []), *value]
            else:
                out[key] = value
    return out


class Loaded:
    """A validated, layered policy and where it came from."""

    def __init__(self, policy: Policy, files: list[str], marked: list[Marked]) -> None:
        self.policy = policy
        self.files = files
        self.marked = marked

    def locate(self, path: Sequence[str | int], message: str, severity: str = "error") -> Problem:
        """A problem at ``path`` in the last file that defines it (layering: last wins).

        ``path`` indexes the merged policy; for a rule list, the merged index is
        mapped back through the rule's id to the file and position that defined it.
        """
        if len(path) >= 2 and path[0] in _LIST_SECTIONS and isinstance(path[1], int):
            local = self._local(str(path[0]), path[1])
            if local is not None:
                marked, index = local
                return marked.problem((path[0], index, *path[2:]), message, severity)
        for marked in reversed(self.marked):
            if tuple(path) in marked.marks:
                return marked.problem(path, message, severity)
        for marked in reversed(self.marked):
            if path and path[0] in marked.data:
                return marked.problem(path, message, severity)
        first = self.marked[0] if self.marked else Marked("<policy>", {}, {})
        return first.problem(path, message, severity)

    def _local(self, section: str, index: int) -> tuple[Marked, int] | None:
        """The file and the position in it of the merged rule ``section[index]``."""
        items = getattr(self.policy, section, None)
        if not isinstance(items, list) or index >= len(items):
            return None
        ident = getattr(items[index], "id", None)
        if ident is None:
            # Rules without ids only concatenate: count through the files in order.
            offset = index
            for marked in self.marked:
                own = marked.data.get(section) or []
                if offset < len(own):
                    return marked, offset
                offset -= len(own)
            return None
        for marked in reversed(self.marked):
            for i, item in enumerate(marked.data.get(section) or []):
                if _item_id(item) == ident:
                    return marked, i
        return None


def _item_id(item: Any) -> Any:
    return item.get("id") if isinstance(item, dict) else None


def discover(spec: str) -> list[str]:
    """The policy files named by a file or a folder (``*.yaml``/``*.yml`` in name order)."""
    if os.path.isdir(spec):
        names = sorted(
            n for n in os.listdir(spec) if n.endswith((".yaml", ".yml")) and not n.startswith(".")
        )
        return [os.path.join(spec, n) for n in names]
    return [spec]


def load_files(files: Sequence[str]) -> Loaded:
    """Read, parse, validate each file, then layer them into one policy."""
    if not files:
        raise PolicyError(
            [Problem("<policy>", 1, 1, "", "no policy files found; pass a file or a folder")]
        )
    problems: list[Problem] = []
    marked_docs: list[Marked] = []
    left = MAX_BYTES
    for file in files:
        try:
            # The hook's reader: a regular file under the size cap, never a FIFO or device.
            raw = read_policy(file, left)
            left -= len(raw)
            text = raw.decode("utf-8")
        except PolicyFileError as exc:
            problems.append(Problem(file, 1, 1, "", exc.detail))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(file, 1, 1, "", "policy file is not UTF-8 text"))
            continue
        try:
            marked = parse_yaml(text, file)
            validate(marked)
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        marked_docs.append(marked)
    if problems:
        raise PolicyError(problems)
    merged = merge([m.data for m in marked_docs])
    try:
        policy = Policy.model_validate(merged)
    except ValidationError as exc:  # only cross-file shapes can fail here
        raise PolicyError(
            [
                Problem(files[-1], 1, 1, format_path(e["loc"]), _pydantic_message(e))
                for e in exc.errors()
            ]
        ) from None
    return Loaded(policy, list(files), marked_docs)
