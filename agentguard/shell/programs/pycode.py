"""Reading visible Python code (``python3 -c '…'``, ``python3 - <<'EOF' … EOF``) for what it
does to files and the network, with the standard library's ``ast``.

The reader is a whitelist: a call it does not know, a name it cannot place, a dunder or
frame attribute, an import of a module outside its tables or a non-literal argument to
an effect leaves the code opaque (the line asks, as before). Effects it does read
(files opened for writing, ``os.remove``, ``shutil.rmtree``, ``Path.write_text`` …) are
recorded either way, so a forbidden write stays visible beside an opaque part.

Hot path, loaded only for a line that runs inline Python; ``ast`` is imported here, lazily.
"""

from __future__ import annotations

import sys

from agentguard.shell.effects import words
from agentguard.shell.model import Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast

    from agentguard.shell.effects import Effects

# Modules whose every public function only computes (no file, process or network effect).
_PURE_MODULES = words(
    "abc array base64 binascii bisect calendar collections copy csv dataclasses datetime "
    "decimal difflib enum fnmatch fractions functools glob hashlib heapq html itertools json "
    "keyword locale math numbers operator platform pprint random re shlex statistics string "
    "struct textwrap time typing unicodedata uuid zlib os.path posixpath urllib.parse "
    "collections.abc"
)
# Single pure names of modules that are not pure as a whole.
_PURE_NAMES = words(
    "sys.path sys.argv sys.exit sys.version sys.version_info sys.platform sys.stdout sys.stderr "
    "sys.stdin sys.executable sys.maxsize sys.byteorder sys.getsizeof sys.implementation "
    "sys.getrecursionlimit sys.setrecursionlimit sys.float_info sys.int_info sys.flags "
    "os.getcwd os.listdir os.scandir os.walk os.stat os.lstat os.sep os.linesep os.name "
    "os.curdir os.pardir os.cpu_count os.getpid os.getuid os.getgid os.access os.fspath "
    "os.extsep os.altsep os.pathsep os.devnull os.isatty "
    "io.StringIO io.BytesIO shutil.which shutil.get_terminal_size shutil.disk_usage "
    "pathlib.Path pathlib.PurePath pathlib.PosixPath pathlib.PurePosixPath "
    "subprocess.PIPE subprocess.DEVNULL subprocess.STDOUT subprocess.CalledProcessError "
    "subprocess.TimeoutExpired subprocess.SubprocessError"
)
# Names in pure modules that reach attributes, methods or code by a string: reflection.
_REFLECTION = words(
    "operator.attrgetter operator.methodcaller operator.itemgetter operator.call "
    "typing.get_type_hints typing.ForwardRef typing.evaluate_forward_ref"
)
# Modules whose use reaches the network: the code is known to talk to another host.
_NETWORK_MODULES = words(
    "urllib urllib.request http.client http ftplib smtplib poplib imaplib socket ssl "
    "requests httpx aiohttp urllib3 xmlrpc xmlrpc.client telnetlib"
)
# Modules the reader knows (imports of anything else run code it has not read).
_KNOWN_ROOTS = frozenset(
    {m.split(".", 1)[0] for m in _PURE_MODULES | _NETWORK_MODULES}
    | {"os", "sys", "io", "shutil", "pathlib", "subprocess"}
)
_SAFE_BUILTINS = words(
    "print len str int float bool complex list dict set tuple frozenset range enumerate zip "
    "map filter sorted reversed sum min max abs round repr ascii format hex oct bin ord chr "
    "isinstance issubclass hash id iter next any all divmod pow callable slice bytes "
    "bytearray memoryview object super property staticmethod classmethod type input exit "
    "quit True False None NotImplemented Ellipsis KeyboardInterrupt SystemExit "
    "StopIteration GeneratorExit"
)
# Calls with a file effect: the positions of their path arguments, by effect.
_PATH_CALLS: dict[str, tuple[tuple[str, int], ...]] = {
    "os.remove": (("delete", 0),),
    "os.unlink": (("delete", 0),),
    "os.rmdir": (("delete", 0),),
    "os.removedirs": (("delete", 0),),
    "os.rename": (("delete", 0), ("write", 1)),
    "os.replace": (("delete", 0), ("write", 1)),
    "os.renames": (("delete", 0), ("write", 1)),
    "os.mkdir": (("write", 0),),
    "os.makedirs": (("write", 0),),
    "os.truncate": (("write", 0),),
    "os.chmod": (("write", 0),),
    "os.utime": (("write", 0),),
    "shutil.rmtree": (("delete", 0),),
    "shutil.copy": (("read", 0), ("write", 1)),
    "shutil.copy2": (("read", 0), ("write", 1)),
    "shutil.copyfile": (("read", 0), ("write", 1)),
    "shutil.copytree": (("read", 0), ("write", 1)),
    "shutil.copymode": (("read", 0), ("write", 1)),
    "shutil.copystat": (("read", 0), ("write", 1)),
    "shutil.move": (("delete", 0), ("write", 1)),
}
# Methods of a ``Path`` and what they do to it.
_PATH_METHODS = {
    "write_text": "write",
    "write_bytes": "write",
    "touch": "write",
    "mkdir": "write",
    "chmod": "write",
    "unlink": "delete",
    "rmdir": "delete",
    "read_text": "read",
    "read_bytes": "read",
    "rename": "move",
    "replace": "move",
    "open": "open",
    "symlink_to": "",
    "hardlink_to": "",
    "link_to": "",
    "lchmod": "",
}
# Attributes that reach a frame, a code object or the globals of another module.
_FRAME_PREFIXES = ("f_", "gi_", "cr_", "ag_", "tb_", "co_", "func_")
_PATHS = ("pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath")


class Reading:
    """What one piece of Python code does: effects ``(kind, path)``, whether it reaches
    the network, the command lines it runs (literal ``subprocess`` and ``os.system``
    calls, each a line for the shell analyser), and why it stays opaque (empty when every
    effect is known)."""

    __slots__ = ("commands", "effects", "network", "unknown")

    def __init__(self) -> None:
        self.effects: list[tuple[str, str]] = []
        self.network = False
        self.commands: list[str] = []
        self.unknown: list[str] = []


# One reading per language and code text (:func:`remembered`).
_READINGS: dict[str, Reading] = {}


def remembered(key: str) -> tuple[Reading, bool]:
    """The reading kept for ``key`` (True), or a new one kept from now on (False).

    The wrapper (which judges the commands the code runs) and the interpreter's handler
    (which judges its file effects) both read the same code; it is read once.
    """
    known = _READINGS.get(key)
    if known is not None:
        return known, True
    out = _READINGS[key] = Reading()
    return out, False


def read_code(code: str) -> Reading:
    """Read ``code`` for its effects; anything the reader cannot establish is listed in
    ``unknown``."""
    import ast

    out, known = remembered("python:" + code)
    if known:
        return out
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        out.unknown.append("code that does not parse")
        return out
    _Reader(tree, out).run()
    return out


class _Reader:
    __slots__ = ("assigned", "bound", "chained", "funcs", "imports", "out", "stores", "tree")

    def __init__(self, tree: ast.Module, out: Reading) -> None:
        self.tree = tree
        self.out = out
        self.imports: dict[str, str] = {}
        self.bound: set[str] = set()
        self.chained: set[int] = set()
        self.funcs: set[int] = set()
        # Names bound exactly once, by ``name = value``: their value is that expression.
        self.stores: dict[str, int] = {}
        self.assigned: dict[str, ast.expr] = {}

    def unknown(self, why: str) -> None:
        if why not in self.out.unknown:
            self.out.unknown.append(why)

    def run(self) -> None:
        import ast

        nodes = list(ast.walk(self.tree))
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self._imported(alias.name)
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                        self._bind(alias.asname, False)
                    else:
                        root = alias.name.split(".", 1)[0]
                        self.imports[root] = root
                        self._bind(root, False)
            elif isinstance(node, ast.ImportFrom):
                if node.level or node.module is None:
                    self.unknown("a relative import")
                    continue
                self._imported(node.module)
                for alias in node.names:
                    if alias.name == "*":
                        self.unknown(f"from {node.module} import *")
                        continue
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                    self._bind(alias.asname or alias.name, False)
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self._bind(node.id)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                if isinstance(node.targets[0], ast.Name):
                    self.assigned[node.targets[0].id] = node.value
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._bind(node.name)
            elif isinstance(node, ast.arg):
                self._bind(node.arg)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self._bind(node.name)
            elif isinstance(node, ast.Attribute):
                self.chained.add(id(node.value))
            elif isinstance(node, ast.Call):
                self.funcs.add(id(node.func))
        for node in nodes:
            if isinstance(node, ast.Call):
                self._call(node)
            elif isinstance(node, (ast.Name, ast.Attribute)) and id(node) not in self.chained:
                if isinstance(node, ast.Attribute) and not self._attr_ok(node):
                    continue
                if id(node) not in self.funcs:
                    self._reference(node)
            elif isinstance(node, ast.Attribute):
                self._attr_ok(node)

    def _bind(self, name: str, local: bool = True) -> None:
        if local:
            self.bound.add(name)
        self.stores[name] = self.stores.get(name, 0) + 1

    def _imported(self, module: str) -> None:
        root = module.split(".", 1)[0]
        if root not in _KNOWN_ROOTS:
            self.unknown(f"imports {module}, whose code is not read")
        elif module in _NETWORK_MODULES or root in _NETWORK_MODULES:
            self.out.network = True

    def _attr_ok(self, node: ast.Attribute) -> bool:
        attr = node.attr
        if attr.startswith("__") or attr.startswith(_FRAME_PREFIXES):
            self.unknown(f"reaches .{attr}")
            return False
        return True

    def _qualified(self, node: ast.expr) -> str | None:
        """``os.path.join`` for a chain that starts at an imported name; ``None`` else."""
        import ast

        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.imports:
            return None
        parts.append(self.imports[node.id])
        return ".".join(reversed(parts))

    def _pure(self, name: str) -> bool:
        if name in _PURE_NAMES:
            return True
        if name in _REFLECTION:
            return False
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:k])
            if module in _PURE_MODULES:
                own = parts[k - 1]
                # ``glob.os`` is a module reached through a pure one: not pure.
                return all(
                    not a.startswith("_") and (a == own or a not in sys.stdlib_module_names)
                    for a in parts[k:]
                )
        return False

    def _network(self, name: str) -> bool:
        parts = name.split(".")
        return any(".".join(parts[:k]) in _NETWORK_MODULES for k in range(1, len(parts) + 1))

    def _reference(self, node: ast.expr) -> None:
        """A name used as a value, not called."""
        import ast

        name = self._qualified(node)
        if name is not None:
            if self._network(name):
                self.out.network = True
            elif not self._pure(name) and name not in _PATHS:
                self.unknown(f"uses {name} as a value")
            return
        if isinstance(node, ast.Name):
            if node.id in self.bound or node.id in _SAFE_BUILTINS or _exception(node.id):
                return
            self.unknown(f"uses {node.id}")

    def _call(self, node: ast.Call) -> None:
        import ast

        func = node.func
        name = self._qualified(func)
        if name is not None:
            self._module_call(name, node)
            return
        if isinstance(func, ast.Name):
            if func.id == "open" and "open" not in self.bound:
                self._open(node, node.args[:1], node.args[1:2], "file")
            elif func.id in self.bound or func.id in _SAFE_BUILTINS or _exception(func.id):
                return
            else:
                self.unknown(f"calls {func.id}")
            return
        if isinstance(func, ast.Attribute):
            kind = _PATH_METHODS.get(func.attr)
            if kind is None:
                return  # a method of a value the reader placed already
            path = self._path_value(func.value)
            if path is None:
                self.unknown(f".{func.attr}() of a path the reader cannot place")
            elif kind == "open":
                self._open(node, [], node.args[:1], "mode", path)
            elif kind == "move":
                target = self._literal_path(node.args[0]) if len(node.args) == 1 else None
                if target is None:
                    self.unknown(f".{func.attr}() to a path the reader cannot place")
                else:
                    self.out.effects += [("delete", path), ("write", target)]
            elif kind:
                self.out.effects.append((kind, path))
            else:
                self.unknown(f".{func.attr}() makes a link")
            return
        if not isinstance(func, ast.Lambda):
            # ``f(x)(y)``, ``d[k]()``: what is called is a value the reader did not place
            # (``operator.methodcaller("unlink")(p)`` reaches a method by its name).
            self.unknown("calls a value the reader cannot place")

    def _module_call(self, name: str, node: ast.Call) -> None:
        if name in ("io.open",):
            self._open(node, node.args[:1], node.args[1:2], "file")
            return
        if name in _PATH_CALLS:
            if any(_starred(a) for a in node.args) or any(k.arg is None for k in node.keywords):
                self.unknown(f"{name} with arguments the reader cannot place")
                return
            for kind, pos in _PATH_CALLS[name]:
                path = self._literal_path(node.args[pos]) if pos < len(node.args) else None
                if path is None:
                    self.unknown(f"{name} of a path the reader cannot place")
                else:
                    self.out.effects.append((kind, path))
            return
        if self._network(name):
            self.out.network = True
            return
        if name.split(".", 1)[0] == "subprocess" or name in ("os.system", "os.popen"):
            from agentguard.shell.programs.pyrun import command_line

            line = command_line(name, node)
            if line is None:
                self.unknown(f"{name} runs a command the reader cannot place")
            else:
                self.out.commands.append(line)
            return
        if not self._pure(name) and name not in _PATHS:
            self.unknown(f"calls {name}")

    def _open(
        self,
        node: ast.Call,
        file_args: list[ast.expr],
        mode_args: list[ast.expr],
        file_key: str,
        path: str | None = None,
    ) -> None:
        import ast

        keywords = {k.arg: k.value for k in node.keywords}
        if None in keywords or any(_starred(a) for a in node.args):
            self.unknown("open() with arguments the reader cannot place")
            return
        if path is None:
            target = file_args[0] if file_args else keywords.get(file_key)
            path = self._literal_path(target) if target is not None else None
        mode_node = mode_args[0] if mode_args else keywords.get("mode")
        mode = "r"
        if mode_node is not None:
            if not (isinstance(mode_node, ast.Constant) and isinstance(mode_node.value, str)):
                self.unknown("open() with a mode the reader cannot place")
                return
            mode = mode_node.value
        if path is None:
            self.unknown("open() of a path the reader cannot place")
            return
        if any(c in mode for c in "wax+"):
            self.out.effects.append(("write", path))
        if "r" in mode or "+" in mode or not any(c in mode for c in "wax"):
            self.out.effects.append(("read", path))

    def _literal_path(self, node: ast.expr | None) -> str | None:
        import ast

        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
            return node.value
        return self._path_value(node) if node is not None else None

    def _path_value(self, node: ast.expr) -> str | None:
        """The path of ``Path("a", "b")`` with literal parts; ``None`` for anything else."""
        import ast

        if isinstance(node, ast.Name) and self.stores.get(node.id) == 1:
            value = self.assigned.get(node.id)
            if value is not None and value is not node:
                return self._path_value(value)
        if not isinstance(node, ast.Call) or node.keywords:
            return None
        if self._qualified(node.func) not in _PATHS:
            return None
        parts: list[str] = []
        for a in node.args:
            if not (isinstance(a, ast.Constant) and isinstance(a.value, str)):
                return None
            parts.append(a.value)
        if not parts or not all(parts):
            return None
        import os.path

        return os.path.join(*parts)


def _starred(node: ast.expr) -> bool:
    return type(node).__name__ == "Starred"


def _exception(name: str) -> bool:
    return name.endswith(("Error", "Exception", "Warning"))


def apply(fx: Effects, reading: Reading, how: str) -> None:
    """Record a reading on the command: its file effects and classes, and ``opaque``
    with the reason when part of the code could not be read."""
    for kind, path in reading.effects:
        # Python does not expand ``~``: ``open("~/x")`` names a folder called ``~``.
        text = "./" + path if path.startswith("~") else path
        fx.add(kind, Word(text))
        if kind == "write":
            fx.cls("file-write")
        elif kind == "delete":
            fx.cls("file-delete")
    if reading.network:
        fx.cls("network")
    if reading.unknown:
        fx.cls("opaque")
        fx.cmd.notes.append(f"{how} runs code the guard cannot read ({reading.unknown[0]})")
