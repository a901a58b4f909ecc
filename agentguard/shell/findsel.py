"""What a ``find`` selects: its expression read and walked against the tree it names.

The paths an action (``-exec``, ``-delete``, ``-print`` …) is reached for are what that
action touches, so ``find . -name settings.json -exec rm {} \\;`` deletes
``./.claude/settings.json`` when that file is there. The predicates whose answer the
file system gives cheaply and exactly (``-name``, ``-iname``, ``-path``, ``-ipath``,
``-type``, ``-maxdepth``, ``-mindepth``, ``-prune``, the operators) are evaluated; any
other test (``-newer``, ``-size``, ``-perm``, ``-regex`` …) may be true or false, and a
path it decides is only *maybe* selected. Each action's selection is then ``sure``
(exact) or not: a selection with a maybe path, past the glob caps (``limits``), under
a starting point the line wrote earlier, or from an expression this module does not
read is incomplete, and the caller judges the starting points as folders every path
below which may be touched.

Like find without ``-L``/``-H``, the walk never follows a symbolic link. It does
enter ``.git`` (find does; ``find . -name config`` reaches ``.git/config``) but not
``.git/objects``, whose names are digests: the folder itself is still evaluated.

Hot path, loaded only for a line naming ``find``.
"""

from __future__ import annotations

import os
import stat
from fnmatch import fnmatchcase

from agentguard.shell.limits import MAX_GLOB_MATCHES, MAX_GLOB_SCAN

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    Node = tuple[object, ...]

T, F, M = 1, 0, 2  # true, false, maybe
_SURE, _MAYBE = True, False

# Options that take no value and change nothing the walk below depends on.
_GLOBAL0 = frozenset(
    [
        "-d",
        "-depth",
        "-xdev",
        "-mount",
        "-noleaf",
        "-ignore_readdir_race",
        "-noignore_readdir_race",
        "-daystart",
        "-nowarn",
        "-warn",
        "-true",
        "-false",
    ]
)
_GLOBAL1 = frozenset(("-maxdepth", "-mindepth", "-regextype"))
_NAME_TESTS = frozenset(["-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename"])
# Tests the walk does not evaluate: maybe true.
_MAYBE0 = frozenset(["-empty", "-readable", "-writable", "-executable", "-nouser", "-nogroup"])
_MAYBE1 = frozenset(
    [
        "-newer",
        "-anewer",
        "-cnewer",
        "-size",
        "-perm",
        "-regex",
        "-iregex",
        "-mtime",
        "-mmin",
        "-atime",
        "-amin",
        "-ctime",
        "-cmin",
        "-user",
        "-group",
        "-uid",
        "-gid",
        "-links",
        "-inum",
        "-samefile",
        "-lname",
        "-ilname",
        "-fstype",
        "-context",
        "-used",
        "-xtype",
    ]
)
# Actions without a command: their value (true) and, for the printing ones, what they print.
_ACT0 = frozenset(["-print", "-print0", "-ls", "-delete", "-prune", "-quit"])
_ACT1 = frozenset(("-printf", "-fprint", "-fprint0", "-fls"))
EXECS = frozenset(("-exec", "-execdir", "-ok", "-okdir"))
# Options before the starting points that follow links or read them from elsewhere.
_UNREAD = frozenset(("-L", "-H", "-follow", "-files0-from", "-D", "-O"))


class Action:
    """One action of the expression: its word (``-exec`` …), the words of its command
    (``-exec``) or value (``-fprint FILE``), ``;`` or ``+``, and what it was reached for."""

    __slots__ = ("command", "end", "kind", "paths", "sure")

    def __init__(self, kind: str, command: list[int], end: str) -> None:
        self.kind = kind
        self.command = command  # indexes into the find's words
        self.end = end
        self.paths: list[str] = []
        self.sure = True


class Plan:
    """A find command read: starting points, the expression, its actions (an implicit
    ``-print`` when it has none), and whether every test can be evaluated."""

    __slots__ = ("actions", "depth_first", "maxdepth", "mindepth", "readable", "root", "starts")

    def __init__(self) -> None:
        self.starts: list[str] = []
        self.actions: list[Action] = []
        self.root: Node = ("true",)
        self.maxdepth = 1 << 30
        self.mindepth = 0
        self.depth_first = False
        self.readable = True


class _Bad(ValueError):
    """An expression this module does not read (the caller keeps what it did before)."""


def read(texts: list[str]) -> Plan:
    """The plan of ``find ARGS`` (``texts`` without the program name); a plan whose
    ``readable`` is False has starting points only."""
    plan = Plan()
    i, n = 0, len(texts)
    while (i < n and texts[i] in ("-P", "-L", "-H")) or (i < n and texts[i][:2] in ("-D", "-O")):
        if texts[i] != "-P":
            plan.readable = False
        i += 2 if texts[i] in ("-D", "-O") else 1
    while i < n and not (texts[i].startswith("-") or texts[i] in ("(", "!", ")", ",")):
        plan.starts.append(texts[i])
        i += 1
    plan.starts = plan.starts or ["."]
    if not plan.readable:
        return plan
    try:
        parser = _Parser(texts, i, plan)
        root = parser.parse()
    except (_Bad, IndexError):
        plan.readable = False
        return plan
    if not any(a.kind not in ("-prune", "-quit") for a in plan.actions):
        action = Action("-print", [], "")
        plan.actions.append(action)
        root = ("and", root, ("act", action))
    plan.root = root
    if any(a.kind == "-delete" for a in plan.actions):
        plan.depth_first = True  # -delete implies -depth: -prune no longer prunes
    return plan


class _Parser:
    """Recursive descent over find's grammar: ``,`` < ``-o`` < ``-a`` < ``!`` < primary."""

    __slots__ = ("i", "plan", "texts")

    def __init__(self, texts: list[str], start: int, plan: Plan) -> None:
        self.texts = texts
        self.i = start
        self.plan = plan

    def parse(self) -> Node:
        if self.i >= len(self.texts):
            return ("true",)
        node = self._comma()
        if self.i < len(self.texts):
            raise _Bad(self.texts[self.i])
        return node

    def _peek(self) -> str | None:
        return self.texts[self.i] if self.i < len(self.texts) else None

    def _comma(self) -> Node:
        node = self._or()
        while self._peek() == ",":
            self.i += 1
            node = ("comma", node, self._or())
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._peek() in ("-o", "-or"):
            self.i += 1
            node = ("or", node, self._and())
        return node

    def _and(self) -> Node:
        node = self._not()
        while True:
            word = self._peek()
            if word is None or word in (")", ",", "-o", "-or"):
                return node
            if word in ("-a", "-and"):
                self.i += 1
            node = ("and", node, self._not())

    def _not(self) -> Node:
        if self._peek() in ("!", "-not"):
            self.i += 1
            return ("not", self._not())
        return self._primary()

    def _primary(self) -> Node:
        texts, plan = self.texts, self.plan
        word = texts[self.i]
        self.i += 1
        if word == "(":
            node = self._comma()
            if self._peek() != ")":
                raise _Bad("(")
            self.i += 1
            return node
        if word in ("-true", "-false"):
            return ("true",) if word == "-true" else ("false",)
        if word in ("-depth", "-d"):
            plan.depth_first = True
            return ("true",)
        if word in _GLOBAL0:
            return ("true",)
        if word in _GLOBAL1:
            value = texts[self.i]
            self.i += 1
            if word != "-regextype":
                if not value.isdigit():
                    raise _Bad(word)
                if word == "-maxdepth":
                    plan.maxdepth = int(value)
                else:
                    plan.mindepth = int(value)
            return ("true",)
        if word in _NAME_TESTS:
            pattern = texts[self.i]
            self.i += 1
            if not _plain_pattern(pattern):
                return ("maybe",)
            fold = word.startswith("-i")
            return ("name" if word in ("-name", "-iname") else "path", pattern, fold)
        if word == "-type":
            kinds = texts[self.i].split(",")
            self.i += 1
            if not all(k in ("f", "d", "l") for k in kinds):
                return ("maybe",)
            return ("type", frozenset(kinds))
        if word in _MAYBE0:
            return ("maybe",)
        if word in _MAYBE1 or (word.startswith("-newer") and len(word) == 8):
            self.i += 1
            return ("maybe",)
        if word in _ACT0:
            action = Action(word, [], "")
            plan.actions.append(action)
            return ("act", action)
        if word in _ACT1 or word == "-fprintf":
            count = 2 if word == "-fprintf" else 1
            action = Action(word, list(range(self.i, self.i + count)), "")
            self.i += count
            plan.actions.append(action)
            return ("act", action)
        if word in EXECS:
            start = self.i
            while texts[self.i] not in (";", "+") or (
                texts[self.i] == "+" and texts[self.i - 1] != "{}"
            ):
                self.i += 1
            action = Action(word, list(range(start, self.i)), texts[self.i])
            self.i += 1
            plan.actions.append(action)
            return ("act", action)
        raise _Bad(word)


def _plain_pattern(pattern: str) -> bool:
    """Whether Python's fnmatch reads ``pattern`` as find's fnmatch does (no backslash
    escapes, no ``[^…]`` or ``[[:class:]]``)."""
    return "\\" not in pattern and "[^" not in pattern and "[[" not in pattern


class _Entry:
    __slots__ = ("depth", "kind", "name", "path")

    def __init__(self, path: str, name: str, kind: str, depth: int) -> None:
        self.path = path
        self.name = name
        self.kind = kind
        self.depth = depth


def _eval(node: Node, entry: _Entry, sure: bool, state: list[bool]) -> int:
    """The expression's value at ``entry`` (T, F or M); records the actions reached
    (``sure``: reached whatever the unevaluated tests say). ``state[0]``: pruned."""
    kind = node[0]
    if kind == "and":
        left = _eval(node[1], entry, sure, state)  # type: ignore[arg-type]
        if left == F:
            return F
        right = _eval(node[2], entry, sure and left == T, state)  # type: ignore[arg-type]
        return T if left == T and right == T else (F if right == F else M)
    if kind == "or":
        left = _eval(node[1], entry, sure, state)  # type: ignore[arg-type]
        if left == T:
            return T
        right = _eval(node[2], entry, sure and left == F, state)  # type: ignore[arg-type]
        return T if right == T else (F if left == F and right == F else M)
    if kind == "not":
        value = _eval(node[1], entry, sure, state)  # type: ignore[arg-type]
        return M if value == M else (F if value == T else T)
    if kind == "comma":
        _eval(node[1], entry, sure, state)  # type: ignore[arg-type]
        return _eval(node[2], entry, sure, state)  # type: ignore[arg-type]
    if kind == "true":
        return T
    if kind == "false":
        return F
    if kind == "maybe":
        return M
    if kind in ("name", "path"):
        subject = entry.name if kind == "name" else entry.path
        pattern = str(node[1])
        if node[2]:
            subject, pattern = subject.casefold(), pattern.casefold()
        return T if fnmatchcase(subject, pattern) else F
    if kind == "type":
        return T if entry.kind in node[1] else F  # type: ignore[operator]
    action: Action = node[1]  # type: ignore[assignment]
    if not sure:
        action.sure = False
    elif len(action.paths) <= MAX_GLOB_MATCHES:
        action.paths.append(entry.path)
    if action.kind == "-prune" and sure:
        state[0] = True
    if action.kind in ("-exec", "-execdir", "-ok", "-okdir") and action.end == ";":
        return M  # the command's exit status
    return T


def _kind(is_dir: bool, is_link: bool) -> str:
    return "l" if is_link else ("d" if is_dir else "f")


def walk(plan: Plan, cwd: str, written: Iterable[str] = ()) -> str | None:
    """Evaluate the plan's expression over the tree below its starting points (relative
    to ``cwd``), filling each action's paths; returns why the selection is incomplete
    (``None``: every action's selection is as exact as its ``sure`` says)."""
    if not plan.readable:
        return "find's options or expression are not ones agentguard evaluates"
    starts = [os.path.normpath(os.path.join(cwd, s)) for s in plan.starts]
    for path in written:
        if any(path == s or path.startswith(s.rstrip("/") + "/") for s in starts):
            return f"this line writes {path} before find walks it"
    scanned = 0
    for start in plan.starts:
        full = os.path.join(cwd, start)
        try:
            st = os.lstat(full)
        except OSError:
            continue  # find reports it and selects nothing there

        name = os.path.basename(start.rstrip("/")) or start
        pending = [(start, name, full, stat.S_ISDIR(st.st_mode), stat.S_ISLNK(st.st_mode), 0)]
        while pending:
            shown, name, real, is_dir, is_link, depth = pending.pop()
            state = [False]
            if depth >= plan.mindepth:
                _eval(plan.root, _Entry(shown, name, _kind(is_dir, is_link), depth), True, state)
            if any(len(a.paths) > MAX_GLOB_MATCHES for a in plan.actions):
                return f"find selects more than {MAX_GLOB_MATCHES} paths"
            if not is_dir or is_link or depth >= plan.maxdepth:
                continue
            if state[0] and not plan.depth_first:
                continue
            if name == "objects" and os.path.basename(os.path.dirname(real)) == ".git":
                continue
            prefix = shown if shown.endswith("/") else shown + "/"
            try:
                with os.scandir(real) as entries:
                    children = sorted(entries, key=lambda e: e.name, reverse=True)
            except OSError:
                continue
            scanned += len(children)
            if scanned > MAX_GLOB_SCAN:
                return f"find reads more than {MAX_GLOB_SCAN} directory entries"
            for child in children:
                try:
                    child_dir = child.is_dir(follow_symlinks=False)
                    child_link = child.is_symlink()
                except OSError:
                    continue
                pending.append(
                    (prefix + child.name, child.name, child.path, child_dir, child_link, depth + 1)
                )
    return None
