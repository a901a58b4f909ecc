"""What bash makes of a word, from tree-sitter-bash's nodes: quoting, ``$'…'``, tilde,
globs, parameter expansions, and the substitutions a word runs.

``Words`` is the word half of the walker over a parse tree; the statement half
(``tsparse._Walker``) builds on it. Loaded only with tree-sitter, for lines the fast
lexer refuses.
"""

from __future__ import annotations

from agentguard.shell.lexer import substitutions
from agentguard.shell.limits import MAX_NESTING, TooDeep
from agentguard.shell.model import RawCommand, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tree_sitter import Node, Parser

_GLOB = frozenset("*?[")
_ANSI = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_OCT = frozenset("01234567")
# Characters bash splits or globs an unquoted ``$f`` on.
_SPLIT = frozenset(" \t\n*?[")
_HEX = frozenset("0123456789abcdefABCDEF")


def decode_ansi_c(body: str) -> str:
    """The value of ``$'…'`` given the text between the quotes."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        i += 2
        if e in _ANSI:
            out.append(_ANSI[e])
        elif e in _OCT:
            j = i - 1
            while j < n and j < i + 2 and body[j] in _OCT:
                j += 1
            out.append(chr(int(body[i - 1 : j], 8) & 0xFF))
            i = j
        elif e in "xuU":
            limit = {"x": 2, "u": 4, "U": 8}[e]
            j = i
            while j < n and j < i + limit and body[j] in _HEX:
                j += 1
            if j == i:
                out.append("\\" + e)
            else:
                out.append(chr(int(body[i:j], 16)))
            i = j
        elif e == "c" and i < n:
            out.append(chr(ord(body[i].upper()) ^ 0x40))
            i += 1
        else:
            out.append("\\" + e)
    return "".join(out)


def _unescape_dq(text: str) -> str:
    """Backslash removal inside double quotes: only before ``$ ` " \\`` and newline."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Words:
    """The state of a walk over a parse tree and how it reads words; ``walk`` (the
    statements) is the subclass's."""

    __slots__ = (
        "attrs",
        "cmds",
        "counter",
        "depth",
        "errors",
        "functions",
        "known",
        "loop_walks",
        "loops",
        "maybe",
        "parser",
        "pending",
        "refs",
        "src",
    )

    def __init__(self, known: dict[str, str], parser: Parser, depth: int = 0) -> None:
        self.known = known
        # The whole line (``forloop.name_is_safe`` reads it), and the loop variables
        # bound to one element of a static list while their body is walked.
        self.src = ""
        self.loops: dict[str, Word] = {}
        self.loop_walks = 0
        # Substitutions found in text (a here-document body) are parsed again with it.
        self.parser = parser
        # How deep the walk is in the tree: past limits.MAX_NESTING it stops (TooDeep)
        # rather than run into the interpreter's recursion limit.
        self.depth = depth
        self.cmds: list[RawCommand] = []
        self.errors: list[str] = []
        self.counter = 0
        # Statements tree-sitter nests inside a here-document node: in
        # ``cat <<EOF | sh`` or ``cat <<EOF && rm -rf src`` the rest of the line is a
        # child of the heredoc_redirect. They run after the command owning the here-doc.
        self.pending: list[tuple[Node, tuple[int, ...]]] = []
        # Name references (``declare -n r=T``: r -> "T"; "" before a target is named,
        # None when it cannot be said), variables' attribute letters (``declare -u``),
        # the functions the line defined so far (name -> body), and how many enclosing
        # list items may not run (after ``&&``/``||``, before ``&``).
        self.refs: dict[str, str | None] = {}
        self.attrs: dict[str, str] = {}
        self.functions: dict[str, Node] = {}
        self.maybe = 0

    def new_scope(self, scope: tuple[int, ...]) -> tuple[int, ...]:
        """A fresh shell scope inside ``scope`` (a subshell, a pipeline's part)."""
        self.counter += 1
        return (*scope, self.counter)

    def enter(self) -> None:
        """One level deeper in the tree; ``TooDeep`` past ``limits.MAX_NESTING``."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise TooDeep("its commands, groups, substitutions or expansions", MAX_NESTING)

    def walk(self, node: Node, scope: tuple[int, ...], certain: bool) -> None:
        """Collect the raw commands under ``node`` (the statement walker's)."""
        raise NotImplementedError

    def opaque(self, text: str, scope: tuple[int, ...]) -> None:
        """A command the guard cannot see: a raw command with an unresolved program."""
        self.cmds.append(RawCommand([Word(text, True)], scope=scope, certain=False))

    def hidden(self, text: str, scope: tuple[int, ...], where: str) -> None:
        """Walk the substitutions bash runs in ``text`` (a here-document body, a word
        tree-sitter did not split), or mark them opaque when they cannot be delimited."""
        if "`" not in text and "$(" not in text and "@P}" not in text:
            return
        found = substitutions(text)
        if found is None or "@P}" in text:
            self.opaque(f"{where}: {text}", scope)
            return
        for inner in found:
            tree = self.parser.parse(inner.encode("utf-8"))
            walker = type(self)(dict(self.known), self.parser, self.depth)
            walker.counter = self.counter
            walker.refs, walker.attrs = dict(self.refs), dict(self.attrs)
            walker.functions = self.functions
            walker.walk(tree.root_node, self.new_scope(scope), False)
            self.counter = walker.counter
            self.cmds.extend(walker.cmds)
            self.errors.extend(walker.errors)
            if tree.root_node.has_error and not walker.errors:
                self.errors.append(f"syntax error in a substitution inside a {where}")

    # -- words ------------------------------------------------------------------
    def loop_word(self, node: Node) -> Word | None:
        """The element a bound loop variable stands for, when ``node`` is exactly
        ``$f``, ``${f}``, ``"$f"`` or ``"${f}"`` (None otherwise)."""
        if not self.loops:
            return None
        quoted = node.type == "string"
        if quoted:
            named = node.named_children
            if len(named) != 1 or len(node.children) != 3:
                return None
            node = named[0]
        if node.type not in ("simple_expansion", "expansion"):
            return None
        inner = node.named_children
        if len(inner) != 1 or inner[0].type != "variable_name":
            return None
        name = text_of(inner[0])
        if text_of(node) not in ("$" + name, "${" + name + "}") or name not in self.loops:
            return None
        return loop_element(self.loops[name], quoted)

    def word(self, node: Node, scope: tuple[int, ...]) -> Word:
        """The word bash sees for ``node``; runs nested substitutions' commands too."""
        parts: list[str] = []
        flags = [False, False]
        self.word_into(node, scope, parts, flags)
        text = "".join(parts)
        glob = flags[1]
        dynamic = flags[0] or brace_expansion(node)
        return Word(text, dynamic, glob)

    def word_into(
        self, node: Node, scope: tuple[int, ...], parts: list[str], flags: list[bool]
    ) -> None:
        """Append the text of ``node`` to ``parts`` (``flags``: dynamic, glob)."""
        self.enter()
        try:
            self._word_part(node, scope, parts, flags)
        finally:
            self.depth -= 1

    def _word_part(
        self, node: Node, scope: tuple[int, ...], parts: list[str], flags: list[bool]
    ) -> None:
        kind = node.type
        if kind in ("word", "number", "test_operator", "variable_name", "extglob_pattern"):
            self.bare(text_of(node), parts, flags, kind != "word")
        elif kind == "raw_string":
            parts.append(text_of(node)[1:-1])
        elif kind == "ansi_c_string":
            parts.append(decode_ansi_c(text_of(node)[2:-1]))
        elif kind in ("string", "translated_string"):
            self._string(node, scope, parts, flags)
        elif kind == "concatenation":
            pos = node.start_byte
            raw = node.text or b""
            for child in node.children:
                if child.start_byte > pos:
                    gap = raw[pos - node.start_byte : child.start_byte - node.start_byte]
                    self.bare(gap.decode("utf-8", "replace"), parts, flags, False)
                self.word_into(child, scope, parts, flags)
                pos = child.end_byte
        elif kind in ("simple_expansion", "expansion"):
            self._expansion(node, scope, parts, flags, quoted=False)
        elif kind in ("command_substitution", "process_substitution"):
            self.walk(node, scope, False)
            if kind == "process_substitution":
                parts.append("/dev/fd/63")
            else:
                parts.append(text_of(node))
                flags[0] = True
        else:
            # Arithmetic, brace expressions, anything new: unresolved, but whatever it
            # runs is still found.
            for child in node.named_children:
                self.find_substitutions(child, scope)
            parts.append(text_of(node))
            flags[0] = True

    def find_substitutions(self, node: Node, scope: tuple[int, ...]) -> None:
        """Walk the command and process substitutions anywhere under ``node``."""
        if node.type in ("command_substitution", "process_substitution"):
            self.walk(node, scope, False)
            return
        self.enter()
        try:
            for child in node.named_children:
                self.find_substitutions(child, scope)
        finally:
            self.depth -= 1

    def bare(self, raw: str, parts: list[str], flags: list[bool], literal: bool) -> None:
        """An unquoted stretch: backslash removal, globs and a leading tilde."""
        if literal:
            parts.append(raw)
            return
        i, n = 0, len(raw)
        out: list[str] = []
        if raw.startswith("~") and not parts:
            end = raw.find("/")
            user = raw[1:] if end < 0 else raw[1:end]
            home = self.known.get("HOME")
            if user or not home:
                flags[0] = True
            else:
                out.append(home)
                i = 1
        while i < n:
            c = raw[i]
            if c == "\\":
                if i + 1 < n and raw[i + 1] != "\n":
                    out.append(raw[i + 1])
                i += 2
                continue
            if c in _GLOB:
                flags[1] = True
            elif c in "$`":
                flags[0] = True
            out.append(c)
            i += 1
        parts.append("".join(out))

    def _string(
        self, node: Node, scope: tuple[int, ...], parts: list[str], flags: list[bool]
    ) -> None:
        raw = node.text or b""
        base = node.start_byte
        opening = 2 if node.type == "translated_string" else 1
        pos = base + opening
        end = node.end_byte - 1
        for child in node.children:
            if not child.is_named:
                continue
            if child.start_byte > pos:
                gap = raw[pos - base : child.start_byte - base].decode("utf-8", "replace")
                parts.append(_unescape_dq(gap))
            if child.type == "string_content":
                parts.append(_unescape_dq(text_of(child)))
            elif child.type in ("simple_expansion", "expansion"):
                self._expansion(child, scope, parts, flags, quoted=True)
            else:
                inner: list[str] = []
                self.word_into(child, scope, inner, flags)
                parts.append("".join(inner))
                flags[0] = True
            pos = child.end_byte
        if end > pos:
            parts.append(_unescape_dq(raw[pos - base : end - base].decode("utf-8", "replace")))

    def _expansion(
        self,
        node: Node,
        scope: tuple[int, ...],
        parts: list[str],
        flags: list[bool],
        quoted: bool,
    ) -> None:
        named = node.named_children
        text = text_of(node)
        simple = len(named) == 1 and named[0].type == "variable_name"
        if node.type == "expansion" and not (simple and text == "${" + text_of(named[0]) + "}"):
            simple = False
        if self.refs and self._reference(node, scope, parts, flags, quoted):
            return
        value = self.known.get(text_of(named[0])) if simple else None
        if value is None:
            for child in named:
                self.find_substitutions(child, scope)
                if child.type == "word":
                    # tree-sitter leaves ``${x:=`cmd`}`` as a plain word.
                    self.hidden(text_of(child), scope, "parameter expansion")
            if node.type == "expansion" and (
                text.endswith("@P}")
                or (text.startswith("${!") and not text.endswith(("@]}", "*]}", "*}", "@}")))
            ):
                # ``${x@P}`` runs the substitutions in x's value as a prompt would, and
                # ``${!x}`` evaluates x's value as a name, whose subscript bash expands.
                self.opaque(text, scope)
            parts.append(text)
            flags[0] = True
            return
        if not quoted and (any(c in value for c in " \t\n") or any(c in _GLOB for c in value)):
            flags[0] = True
        parts.append(value)

    def _reference(
        self,
        node: Node,
        scope: tuple[int, ...],
        parts: list[str],
        flags: list[bool],
        quoted: bool,
    ) -> bool:
        """``$r`` for a name reference r: the expansion of its target (``$T``, or T's
        value when known); opaque when the target cannot be said. False when no
        reference is expanded."""
        named = node.named_children
        var = named[0] if named else None
        if var is not None and var.type == "subscript":
            var = var.child_by_field_name("name")
        if var is None or var.type != "variable_name" or text_of(var) not in self.refs:
            return False
        target = self.refs[text_of(var)]
        text = text_of(node)
        if not target:
            self.opaque(f"{text} (a name reference to a name the guard cannot see)", scope)
            parts.append(text)
            flags[0] = True
            return True
        if node.type == "simple_expansion":
            rewritten = "${" + target + "}"
        else:
            start, end = var.start_byte - node.start_byte, var.end_byte - node.start_byte
            raw = (node.text or b"").decode("utf-8", "replace")
            rewritten = raw[:start] + target + raw[end:]
        value = self.known.get(target) if rewritten == "${" + target + "}" else None
        if value is not None:
            if not quoted and any(c in _SPLIT for c in value):
                flags[0] = True
            parts.append(value)
            return True
        for child in named[1:]:
            self.find_substitutions(child, scope)
        parts.append(rewritten)
        flags[0] = True
        return True


def loop_element(value: Word, quoted: bool) -> Word | None:
    """The word ``$f`` (``quoted``: ``"$f"``) stands for when f is ``value``, or None
    when it cannot be said (an unquoted glob element may split into other words)."""
    if value.dynamic:
        return None
    if quoted:
        return Word(value.text, False, value.glob)
    if value.glob or not value.text or any(c in _SPLIT for c in value.text):
        return None
    return Word(value.text)


def brace_expansion(node: Node) -> bool:
    """True when an unquoted ``{a,b}`` or ``{1..3}`` would split the word."""
    if node.type not in ("word", "concatenation", "brace_expression"):
        return False
    if node.type == "brace_expression":
        return True
    raw = text_of(node)
    depth_open = raw.find("{")
    if depth_open < 0:
        return False
    close = raw.find("}", depth_open)
    if close < 0:
        return False
    inner = raw[depth_open + 1 : close]
    return "," in inner or ".." in inner


def text_of(node: Node | None) -> str:
    """The source text of ``node`` ("" for none)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def first_of(node: Node, kind: str) -> Node | None:
    """The first child of ``node`` of type ``kind``."""
    for child in node.children:
        if child.type == kind:
            return child
    return None


def iter_nodes(node: Node) -> Iterator[Node]:
    """Every node under ``node``, in document order (an explicit stack: no recursion,
    however deep the tree)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
