"""Reading visible JavaScript (``node -e '…'``, ``node -p '…'``) for what it does to files,
processes and the network, with tree-sitter's JavaScript grammar.

Like the Python reader (``pycode``), a whitelist: CommonJS ``require`` of the modules it
knows, ``fs`` calls with literal paths, ``child_process`` calls with literal command
lines, and computation on values it placed. Anything else (a global it does not know,
a computed property, ``constructor``/``__proto__``, ``process.env``, a module passed
around as a value, ``import()``, a reassigned module binding) leaves the code opaque,
and the line asks as before.

Hot path, loaded only for a line that runs inline JavaScript; the grammar loads lazily.
"""

from __future__ import annotations

from agentguard.shell.effects import words
from agentguard.shell.programs.pycode import Reading, remembered

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tree_sitter import Node, Parser

_PARSER: list[Parser] = []

# Modules whose functions only compute.
_PURE_MODULES = words("path os url querystring util assert crypto string_decoder buffer events")
_NETWORK_MODULES = words("http https net tls dgram dns http2")
_KNOWN = _PURE_MODULES | _NETWORK_MODULES | {"fs", "child_process"}
_GLOBALS = words(
    "console JSON Math Object Array String Number Boolean Date parseInt parseFloat isNaN "
    "isFinite Promise Set Map WeakMap WeakSet Error TypeError RangeError SyntaxError "
    "undefined NaN Infinity Buffer Symbol RegExp BigInt encodeURIComponent "
    "decodeURIComponent encodeURI decodeURI setTimeout clearTimeout setInterval "
    "clearInterval queueMicrotask structuredClone TextEncoder TextDecoder URL "
    "URLSearchParams __dirname __filename"
)
_PROCESS = words("argv exit cwd version versions platform arch pid stdout stderr exitCode")
# Property names that reach a function constructor, a prototype or a module loader.
# Also the reflection that hands them over without naming them as a property
# (``Object.getOwnPropertyDescriptor(f, "constructor").value`` is ``Function``) and the
# stack-trace hooks that hand out callers' functions.
_ESCAPES = words(
    "constructor __proto__ prototype __defineGetter__ __defineSetter__ __lookupGetter__ "
    "__lookupSetter__ caller callee mainModule binding _linkedBinding dlopen "
    "getBuiltinModule getOwnPropertyDescriptor getOwnPropertyDescriptors getPrototypeOf "
    "setPrototypeOf defineProperty defineProperties prepareStackTrace captureStackTrace "
    "getFunction getThis"
)
# fs: (effect, argument position) per function; ``move`` and ``copy`` take two paths.
_FS: dict[str, str] = {
    **dict.fromkeys(
        words(
            "writeFileSync writeFile appendFileSync appendFile truncateSync truncate "
            "mkdirSync mkdir createWriteStream chmodSync chmod chownSync chown utimesSync "
            "utimes lchownSync lutimesSync"
        ),
        "write",
    ),
    **dict.fromkeys(words("unlinkSync unlink rmSync rm rmdirSync rmdir"), "delete"),
    **dict.fromkeys(words("renameSync rename"), "move"),
    **dict.fromkeys(words("copyFileSync copyFile cpSync cp"), "copy"),
    **dict.fromkeys(
        words(
            "readFileSync readFile createReadStream readdirSync readdir existsSync statSync "
            "stat lstatSync lstat accessSync access realpathSync realpath readlinkSync "
            "opendirSync"
        ),
        "read",
    ),
    **dict.fromkeys(words("openSync open"), "open"),
}
_LINE_CALLS = words("execSync exec")
_ARGV_CALLS = words("spawnSync spawn execFileSync execFile")
# Options of the child_process calls that change neither what runs nor where.
_PLAIN_OPTIONS = words("stdio encoding timeout maxBuffer windowsHide killSignal")


def read_js(code: str) -> Reading:
    """Read ``code`` for its effects; anything the reader cannot establish is listed in
    ``unknown``."""
    out, known = remembered("javascript:" + code)
    if known:
        return out
    try:
        tree = _parser().parse(code.encode("utf-8"))
    except (ImportError, OSError) as exc:  # pragma: no cover - a broken install
        out.unknown.append(f"no JavaScript grammar ({exc})")
        return out
    if tree.root_node.has_error:
        out.unknown.append("code that does not parse")
        return out
    try:
        _Reader(out).run(tree.root_node)
    except RecursionError:
        # Patterns nested thousands deep: code this reader does not follow asks.
        out.unknown.append("code nested too deeply to read")
    return out


def _parser() -> Parser:
    if not _PARSER:
        import tree_sitter
        import tree_sitter_javascript

        language = tree_sitter.Language(tree_sitter_javascript.language())
        _PARSER.append(tree_sitter.Parser(language))
    return _PARSER[0]


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _literal(node: Node | None) -> str | None:
    """A string literal's value (no escapes, no substitutions); ``None`` otherwise."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    parts = node.named_children
    if any(p.type != "string_fragment" for p in parts):
        return None
    value = "".join(_text(p) for p in parts)
    return value or None


def _module(name: str) -> str:
    name = name.removeprefix("node:")
    return "fs" if name == "fs/promises" else name


class _Reader:
    __slots__ = ("declared", "imports", "out", "stores")

    def __init__(self, out: Reading) -> None:
        self.out = out
        # name -> qualified module path (``fs``, ``child_process.execSync``).
        self.imports: dict[str, str] = {}
        self.declared: set[str] = set()
        self.stores: dict[str, int] = {}

    def unknown(self, why: str) -> None:
        if why not in self.out.unknown:
            self.out.unknown.append(why)

    def run(self, root: Node) -> None:
        nodes: list[Node] = []
        stack = [root]
        while stack:
            node = stack.pop()
            nodes.append(node)
            stack.extend(reversed(node.children))
        for node in nodes:
            self._declare(node)
        for name, count in self.stores.items():
            if count > 1 and name in self.imports:
                self.unknown(f"{name} is bound more than once")
        for node in nodes:
            self._check(node)

    def _declare(self, node: Node) -> None:
        kind = node.type
        if kind == "variable_declarator":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            module = self._qualified(value) if value is not None else None
            if name is not None and name.type == "identifier":
                self._store(_text(name))
                if module is not None:
                    self.imports[_text(name)] = module
            elif name is not None:
                for ident, key in _pattern_names(name):
                    self._store(ident)
                    if module is not None and key is not None:
                        self.imports[ident] = f"{module}.{key}"
                    elif module is not None:
                        # ``const [a] = require("fs")``, ``{...rest}``: a part of a module
                        # the reader cannot name.
                        self.unknown(f"{ident} takes a part of {module} the reader cannot place")
        elif kind in (
            "function_declaration",
            "class_declaration",
            "generator_function_declaration",
        ):
            name = node.child_by_field_name("name")
            if name is not None:
                self._store(_text(name))
        elif kind in ("formal_parameters", "catch_clause", "arrow_function", "for_in_statement"):
            field = {"catch_clause": "parameter", "arrow_function": "parameter"}.get(kind)
            target = (
                node.child_by_field_name(field or "left") if kind != "formal_parameters" else node
            )
            if target is not None:
                for ident, _key in _pattern_names(target):
                    self._store(ident)
        elif kind == "assignment_expression":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier":
                self._store(_text(left))

    def _store(self, name: str) -> None:
        self.declared.add(name)
        self.stores[name] = self.stores.get(name, 0) + 1

    def _required(self, node: Node) -> str | None:
        """The module of ``require("m")`` (or of ``require("m").a.b``), else None."""
        props: list[str] = []
        while node.type == "member_expression":
            prop = node.child_by_field_name("property")
            obj = node.child_by_field_name("object")
            if prop is None or obj is None:
                return None
            props.append(_text(prop))
            node = obj
        if node.type != "call_expression":
            return None
        func = node.child_by_field_name("function")
        if func is None or func.type != "identifier" or _text(func) != "require":
            return None
        args = node.child_by_field_name("arguments")
        named = args.named_children if args is not None else []
        name = _literal(named[0]) if len(named) == 1 else None
        if name is None:
            return None
        return _plain_path(".".join([_module(name), *reversed(props)]))

    def _qualified(self, node: Node) -> str | None:
        """``fs.writeFileSync`` for a chain that starts at a module; None else."""
        required = self._required(node)
        if required is not None:
            return required
        props: list[str] = []
        while node.type == "member_expression":
            prop, obj = node.child_by_field_name("property"), node.child_by_field_name("object")
            if prop is None or obj is None:
                return None
            props.append(_text(prop))
            node = obj
        if node.type != "identifier" or _text(node) not in self.imports:
            return None
        return _plain_path(".".join([self.imports[_text(node)], *reversed(props)]))

    def _check(self, node: Node) -> None:
        kind = node.type
        parent = node.parent
        if kind in (
            "import_statement",
            "import",
            "with_statement",
            "this",
            "super",
            "meta_property",
        ):
            self.unknown(f"uses {kind}")
        elif kind == "subscript_expression":
            index = node.child_by_field_name("index")
            if index is None or index.type != "number":
                self.unknown("a computed property")
        elif kind.endswith("identifier") and "\\" in _text(node):
            # ``Object.\u0063onstructor`` is ``Object.constructor``: an escaped name is
            # not compared as written.
            self.unknown(f"a name written with an escape ({_text(node)})")
        elif kind == "property_identifier" and _text(node) in _ESCAPES:
            self.unknown(f"reaches .{_text(node)}")
        elif kind == "string" and (_literal(node) or "") in _ESCAPES:
            self.unknown(f"names {_literal(node)}")
        elif kind == "call_expression":
            self._call(node)
        elif kind == "member_expression" and not _inner_link(node, parent):
            # The end of a chain: a module's function used as a value (``w = fs.rmSync``)
            # could be called anywhere; only a call of it is read.
            name = self._qualified(node)
            # ``const w = fs.rmSync``: w is that function (``_declare`` bound it).
            bound = parent is not None and parent.type == "variable_declarator"
            declared = parent.child_by_field_name("name") if bound and parent else None
            bound = declared is not None and self.imports.get(_text(declared)) == name
            pure = name is None or name.partition(".")[0] in _PURE_MODULES
            if not (pure or _callee(node, parent) or bound):
                self.unknown(f"uses {name} as a value")
        elif kind in ("identifier", "shorthand_property_identifier"):
            self._reference(node, parent)

    def _reference(self, node: Node, parent: Node | None) -> None:
        name = _text(node)
        if _declaring(node, parent):
            return
        if parent is not None and parent.type == "call_expression" and name == "require":
            if self._required(parent) is None:
                self.unknown("require of a module the reader cannot place")
            elif not self._require_placed(parent):
                self.unknown("a module used as a value")
            return
        if name in self.imports:
            if not (_inner_link(node, parent) or _callee(node, parent)):
                self.unknown(f"uses {self.imports[name]} as a value")
            return
        if name == "process":
            prop = parent.child_by_field_name("property") if parent is not None else None
            if parent is None or parent.type != "member_expression" or prop is None:
                self.unknown("uses process as a value")
            elif _text(prop) not in _PROCESS:
                self.unknown(f"uses process.{_text(prop)}")
            return
        if name == "fetch":
            self.out.network = True
            return
        if name not in self.declared and name not in _GLOBALS:
            self.unknown(f"uses {name}")

    def _require_placed(self, call: Node) -> bool:
        """Whether a ``require(…)`` call sits where its module is read statically: a
        declaration's value or the head of a member chain."""
        node = call
        while node.parent is not None and node.parent.type == "member_expression":
            node = node.parent
        parent = node.parent
        if parent is not None and parent.type == "variable_declarator":
            return True
        if node is not call and parent is not None and parent.type == "call_expression":
            return parent.child_by_field_name("function") == node
        return False

    def _call(self, node: Node) -> None:
        func = node.child_by_field_name("function")
        if func is None:
            return
        name = self._qualified(func)
        if name is None:
            if func.type not in ("identifier", "member_expression") and not _function(func):
                # ``f(x)()``, ``(0, g)()``, ``a[0]()``: what is called is a value the
                # reader did not place.
                self.unknown("calls a value the reader cannot place")
            return  # a call of a local or global value; its names are checked apart
        module, _dot, attr = name.partition(".")
        if module not in _KNOWN:
            self.unknown(f"requires {module}, whose code is not read")
        elif module in _NETWORK_MODULES:
            self.out.network = True
        elif module == "fs":
            self._fs(attr, node)
        elif module == "child_process":
            line = self._command_line(attr, node)
            if line is None:
                self.unknown(f"child_process.{attr} runs a command the reader cannot place")
            else:
                self.out.commands.append(line)

    def _args(self, node: Node) -> list[Node]:
        args = node.child_by_field_name("arguments")
        named = args.named_children if args is not None else []
        return [a for a in named if a.type != "comment"]

    def _fs(self, attr: str, node: Node) -> None:
        effect = _FS.get(attr)
        args = self._args(node)
        if effect is None or any(a.type == "spread_element" for a in args):
            if attr:
                self.unknown(f"fs.{attr} with arguments the reader cannot place")
            return
        paths = [_literal(a) for a in args[: 2 if effect in ("move", "copy") else 1]]
        if not paths or any(p is None for p in paths):
            self.unknown(f"fs.{attr} of a path the reader cannot place")
            return
        first = paths[0] or ""
        if effect == "move" and len(paths) == 2:
            self.out.effects += [("delete", first), ("write", paths[1] or "")]
        elif effect == "copy" and len(paths) == 2:
            self.out.effects += [("read", first), ("write", paths[1] or "")]
        elif effect == "open":
            flags = _literal(args[1]) if len(args) > 1 else "r"
            if flags is None:
                self.unknown(f"fs.{attr} with flags the reader cannot place")
            elif any(c in flags for c in "wa+"):
                self.out.effects.append(("write", first))
            else:
                self.out.effects.append(("read", first))
        elif effect in ("move", "copy"):
            self.unknown(f"fs.{attr} of a path the reader cannot place")
        else:
            self.out.effects.append((effect, first))

    def _command_line(self, attr: str, node: Node) -> str | None:
        args = self._args(node)
        if attr in _LINE_CALLS:
            line = _literal(args[0]) if args else None
            if line is None or not all(self._plain(a) for a in args[1:]):
                return None
            return line
        if attr not in _ARGV_CALLS or not args:
            return None
        program = _literal(args[0])
        rest = args[1:]
        argv: list[str | None] = [program]
        if rest and rest[0].type == "array":
            argv += [_literal(e) for e in rest[0].named_children]
            rest = rest[1:]
        if any(a is None for a in argv) or not all(self._plain(a) for a in rest):
            return None
        from agentguard.shell.wrappers import quote

        return " ".join(quote(a) for a in argv if a is not None)

    def _plain(self, node: Node) -> bool:
        """An options object that changes neither what runs nor where, or a callback."""
        if node.type in ("arrow_function", "function_expression", "function"):
            return True
        if node.type != "object":
            return False
        for pair in node.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is None or _text(key).strip("'\"") not in _PLAIN_OPTIONS:
                return False
        return True


def _plain_path(name: str) -> str:
    """``fs.promises.writeFile`` is ``fs.writeFile``: the promise API has the same names."""
    return name.replace("fs.promises.", "fs.", 1) if name.startswith("fs.promises.") else name


def _inner_link(node: Node, parent: Node | None) -> bool:
    """Whether a member expression is the object of a longer chain (``fs.promises`` in
    ``fs.promises.writeFile``)."""
    return (
        parent is not None
        and parent.type == "member_expression"
        and parent.child_by_field_name("object") == node
    )


def _function(node: Node) -> bool:
    """Whether ``node`` is a function written in place (``(() => 1)()``)."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node.type in ("arrow_function", "function_expression", "function")


def _callee(node: Node, parent: Node | None) -> bool:
    """Whether ``node`` is the function a call expression calls."""
    return (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == node
    )


_PATTERNS = frozenset(
    ("object_pattern", "array_pattern", "pair_pattern", "assignment_pattern", "rest_pattern")
)


def _declaring(node: Node, parent: Node | None) -> bool:
    """Whether an identifier is where a name is declared, not where it is used."""
    if parent is None:
        return False
    kind = parent.type
    if kind in ("variable_declarator", "function_declaration", "class_declaration"):
        return parent.child_by_field_name("name") == node
    if kind == "assignment_pattern":
        return parent.child_by_field_name("left") == node
    if kind == "pair_pattern":
        return parent.child_by_field_name("value") == node
    if kind in ("catch_clause", "arrow_function"):
        return parent.child_by_field_name("parameter") == node
    return kind in _PATTERNS or kind == "formal_parameters"


def _pattern_names(node: Node) -> list[tuple[str, str | None]]:
    """The names a declaration pattern binds, each with the property it takes from the
    value (``{a, b: c}`` binds ``a`` from ``a`` and ``c`` from ``b``; ``None``: not a
    plain property)."""
    kind = node.type
    if kind == "identifier":
        return [(_text(node), None)]
    if kind == "shorthand_property_identifier_pattern":
        return [(_text(node), _text(node))]
    out: list[tuple[str, str | None]] = []
    if kind == "object_pattern":
        for child in node.named_children:
            out += _pattern_names(child) if child.type != "rest_pattern" else [("...", None)]
        return out
    if kind == "pair_pattern":
        key, value = node.child_by_field_name("key"), node.child_by_field_name("value")
        if value is not None and value.type == "identifier":
            plain = key is not None and key.type == "property_identifier"
            return [(_text(value), _text(key) if plain and key is not None else None)]
        return _pattern_names(value) if value is not None else []
    for child in node.named_children:
        out += [(name, None) for name, _key in _pattern_names(child)]
    return out
