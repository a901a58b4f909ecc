"""The full parser: tree-sitter-bash, loaded lazily and walked into raw commands (the
statements here, the words in ``tswords``).

Only lines the fast lexer refuses get here. Loading goes straight to the two
compiled extension modules: ``import tree_sitter`` pulls in ``typing`` and
``import tree_sitter_bash`` pulls in ``importlib.resources`` (about 13 ms together
here), and neither is needed to parse.
"""

from __future__ import annotations

import os
import sys

from agentguard.shell import tsstate
from agentguard.shell.continuations import join_continuations
from agentguard.shell.forloop import unroll
from agentguard.shell.model import RawCommand, Redirect, Word
from agentguard.shell.tspipe import walk_pipeline
from agentguard.shell.tswords import Words, first_of, iter_nodes, text_of

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import ModuleType

    from tree_sitter import Node, Parser

_PARSER: list[Parser] = []


def _load_extension(package: str) -> ModuleType | None:
    """Load ``package._binding`` without executing ``package/__init__.py``."""
    import importlib.machinery

    name = package + "._binding"
    if name in sys.modules:
        return sys.modules[name]
    for entry in sys.path:
        folder = os.path.join(entry or ".", package)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for file in names:
            if file.startswith("_binding.") and file.endswith((".so", ".pyd")):
                path = os.path.join(folder, file)
                loader = importlib.machinery.ExtensionFileLoader(name, path)
                spec = importlib.machinery.ModuleSpec(name, loader, origin=path)
                module = loader.create_module(spec)
                loader.exec_module(module)
                sys.modules[name] = module
                return module
        return None
    return None


def parser() -> Parser:
    """The shared tree-sitter parser for bash (loaded on first use)."""
    if _PARSER:
        return _PARSER[0]
    core: ModuleType | None
    grammar: ModuleType | None
    try:
        core = _load_extension("tree_sitter")
        grammar = _load_extension("tree_sitter_bash")
    except (ImportError, OSError):  # pragma: no cover - odd installs take the slow road
        core = grammar = None
    if core is None or grammar is None:  # pragma: no cover - odd installs
        import tree_sitter as core_pkg
        import tree_sitter_bash as grammar_pkg

        core, grammar = core_pkg, grammar_pkg
    language = core.Language(grammar.language())
    made: Parser = core.Parser(language)
    _PARSER.append(made)
    return made


# Characters after which a ``#`` begins a word (and so a comment).
_LIST_OPS = frozenset(("&&", "||", ";", "&", "|", "|&", ";;"))
_SCOPED = frozenset(("subshell", "command_substitution", "process_substitution"))
_LOOPS = frozenset(("while_statement", "for_statement", "c_style_for_statement"))
# Compound statements whose bodies may run zero or many times.
_UNCERTAIN = frozenset(
    (
        "if_statement",
        "while_statement",
        "for_statement",
        "c_style_for_statement",
        "case_statement",
        "function_definition",
        "elif_clause",
        "else_clause",
    )
)
# The children of a heredoc_redirect that belong to the here-document itself.
_HEREDOC_PARTS = frozenset(("heredoc_start", "heredoc_body", "heredoc_end", "heredoc_content"))


def ts_parse(
    line: str, known: Mapping[str, str] | None = None
) -> tuple[list[RawCommand], list[str]]:
    """Raw commands of ``line`` via tree-sitter, and the syntax errors found."""
    if "\\\n" in line:
        line = join_continuations(line)
    tree = parser().parse(line.encode("utf-8"))
    walker = _Walker(dict(known or {}), parser())
    walker.src = line
    walker.walk(tree.root_node, (), True)
    if tree.root_node.has_error and not walker.errors:
        # An ERROR node the walker did not visit (tree-sitter can bury one inside a
        # redirection): the words around it are guesses, so the line is unparseable.
        walker.errors.append("syntax error (tree-sitter could not parse the whole line)")
    return walker.cmds, walker.errors


class _Walker(Words):
    """The statement half of the walk: lists, pipelines, commands, redirections and
    assignments, into raw commands."""

    __slots__ = ()

    def _flush_pending(self) -> None:
        while self.pending:
            node, scope = self.pending.pop(0)
            self.walk(node, self.new_scope(scope), False)

    # -- statements -------------------------------------------------------------
    def walk(self, node: Node, scope: tuple[int, ...], certain: bool) -> None:
        """Collect the raw commands under ``node`` (one level deeper)."""
        self.enter()
        try:
            if node.type == "list":
                self._list(node, scope, certain)
            else:
                self._statement(node, scope, certain)
        finally:
            self.depth -= 1

    def _list(self, node: Node, scope: tuple[int, ...], certain: bool) -> None:
        """``a && b || c``: tree-sitter nests it to the left (``((a && b) || c)``), one
        level per operator; walked as a chain so that a long list is not deep."""
        chain = [node]
        while True:
            first = chain[-1].children[0] if chain[-1].children else None
            if first is None or first.type != "list":
                break
            chain.append(first)
        for index, item in enumerate(reversed(chain)):
            for position, child in enumerate(item.children):
                if position == 0 and index > 0:
                    continue  # the inner list, walked just before
                if child.is_named or child.is_missing:
                    # After ``&&`` or ``||`` a command may not run.
                    self.maybe += position > 0
                    self.walk(child, scope, certain)
                    self.maybe -= position > 0
            self._mark_ops(item)

    def _statement(self, node: Node, scope: tuple[int, ...], certain: bool) -> None:
        kind = node.type
        if node.is_missing:
            self.errors.append(f"missing {kind!r} at column {node.start_point[1] + 1}")
            return
        if kind == "ERROR":
            text = text_of(node)
            self.errors.append(f"cannot parse {text[:40]!r} at column {node.start_point[1] + 1}")
        if kind == "comment":
            return
        if kind == "command":
            self._command(node, [], scope, certain)
            return
        if kind == "redirected_statement":
            self._redirected(node, scope, certain)
            return
        if kind == "variable_assignment" and not _valid_assignment(node):
            word = self._bogus_assignment(node, scope)
            self.cmds.append(RawCommand([word], scope=scope, certain=certain))
            return
        if kind in ("variable_assignment", "variable_assignments"):
            assigns = self._assignments(node, scope, certain)
            self.cmds.append(RawCommand([], assigns, [], scope, certain=certain))
            return
        if kind == "declaration_command":
            self._declaration(node, scope, certain)
            return
        if kind == "unset_command":
            words = [Word("unset")]
            for child in node.named_children:
                words.append(self.word(child, scope))
            tsstate.unset(self, [w.text for w in words[1:]], any(w.dynamic for w in words))
            self.cmds.append(RawCommand(words, scope=scope, certain=certain))
            return
        if kind == "pipeline":
            walk_pipeline(node, scope, certain, self.walk, self.new_scope, self.cmds)
            self._mark_ops(node)
            return
        if kind == "test_command":
            self._test_names(node, scope)
            self._expanded(node.named_children, scope)
        if kind == "case_statement":
            self._expanded(node.children_by_field_name("value"), scope)
        if kind in _SCOPED:
            scope = self.new_scope(scope)
        if kind in _UNCERTAIN or kind in ("command_substitution", "process_substitution"):
            certain = False
        if kind in _LOOPS or (kind == "compound_statement" and text_of(node).startswith("((")):
            # A body may run again after it changed a variable: what the loop may set
            # is unknown throughout it.
            tsstate.forget(self, node, scope)
        if kind == "function_definition":
            tsstate.define(self, node)
        if kind == "for_statement":
            variable = node.child_by_field_name("variable")
            if variable is not None:
                self.known.pop(text_of(variable), None)
                if text_of(variable) not in self.refs and unroll(
                    self, node, text_of(variable), scope
                ):
                    self._mark_ops(node)
                    return
            self._expanded(node.children_by_field_name("value"), scope)
        children = node.children
        for i, child in enumerate(children):
            if child.is_named or child.is_missing:
                background = i + 1 < len(children) and children[i + 1].type == "&"
                self.maybe += background
                self.walk(child, scope, certain)
                self.maybe -= background
        self._mark_ops(node)

    def _expanded(self, nodes: list[Node], scope: tuple[int, ...]) -> None:
        """Words bash expands outside a simple command (a ``for`` list, a ``case``
        subject, a ``[ … ]`` test) as a ``:`` command of their own, so that what they
        read is judged: ``for x in $GITHUB_TOKEN`` expands the token as ``echo`` would."""
        texts = [text_of(n) for n in nodes if "$" in text_of(n)]
        if texts:
            words = [Word(":"), *(Word(t, True) for t in texts)]
            self.cmds.append(RawCommand(words, scope=scope, certain=False))

    def _mark_ops(self, node: Node) -> None:
        """Record ``||`` after a command so that ``cd x || …`` keeps the cwd unknown."""
        children = node.children
        for i, child in enumerate(children[:-1]):
            op = children[i + 1].type
            if child.is_named and op in _LIST_OPS:
                last = _last_command_in(child, self.cmds)
                if last is not None:
                    last.op_after = op

    def _command(
        self, node: Node, redirects: list[Redirect], scope: tuple[int, ...], certain: bool
    ) -> None:
        assigns: list[tuple[str, Word]] = []
        words: list[Word] = []
        for child in node.named_children:
            kind = child.type
            if kind == "variable_assignment" and not _valid_assignment(child):
                # tree-sitter takes ``--y=z`` for an assignment; bash runs it as a word.
                words.append(self._bogus_assignment(child, scope))
            elif kind == "variable_assignment" and not words:
                assigns.extend(self._assignments(child, scope, certain, export=False))
            elif kind == "variable_assignment":
                words.append(self._bogus_assignment(child, scope))
            elif kind in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                redirects.extend(self._redirects(child, scope))
            elif kind == "command_name":
                inner = child.named_children
                words.append(self.word(inner[0], scope) if inner else Word(text_of(child)))
            elif kind == "comment":
                continue
            elif kind in ("subshell", "compound_statement"):
                # ``time ( … )``: tree-sitter-bash does not know ``time`` as a reserved
                # word and hangs the group on it as an argument; the group runs.
                self.pending.append((child, scope))
            else:
                words.append(self.loop_word(child) or self.word(child, scope))
        # Substitutions inside the words were walked first, and run first too.
        self.cmds.append(RawCommand(words, assigns, redirects, scope, certain=certain))
        tsstate.forget(self, node, scope)
        self._flush_pending()

    def _redirected(self, node: Node, scope: tuple[int, ...], certain: bool) -> None:
        redirects: list[Redirect] = []
        body = node.child_by_field_name("body")
        for child in node.named_children:
            if child is not None and body is not None and child.id == body.id:
                continue
            if child.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                redirects.extend(self._redirects(child, scope))
        if body is not None and body.type == "command":
            self._command(body, redirects, scope, certain)
            return
        if body is not None and _ends_in_command(body):
            # ``cd src && patch -p1 <<'EOF'``: tree-sitter hangs the here-document on the
            # whole list, bash on the command it follows; the rest of the line, nested in
            # the here-document's node, runs after that command, not after the first.
            pending, self.pending = self.pending, []
            before = len(self.cmds)
            self.walk(body, scope, certain)
            self.pending = pending + self.pending
            if len(self.cmds) > before:
                self.cmds[-1].redirects.extend(redirects)
                self._flush_pending()
                return
        if body is not None:
            self.walk(body, scope, certain)
        # Redirections of a compound statement (``{ …; } > f``) or a lone ``> f``.
        self.cmds.append(RawCommand([], [], redirects, scope, certain=certain))
        self._flush_pending()

    def _redirects(self, node: Node, scope: tuple[int, ...]) -> list[Redirect]:
        self.enter()
        try:
            return self._redirect_parts(node, scope)
        finally:
            self.depth -= 1

    def _redirect_parts(self, node: Node, scope: tuple[int, ...]) -> list[Redirect]:
        out: list[Redirect] = []
        fd: str | None = None
        op = ""
        targets: list[Word] = []
        if node.type == "heredoc_redirect":
            start = node.child_by_field_name("start") or first_of(node, "heredoc_start")
            quoted = start is not None and any(q in text_of(start) for q in "'\"\\")
            body_node = first_of(node, "heredoc_body")
            body = text_of(body_node) if body_node is not None else ""
            dynamic = False
            if body_node is not None and not quoted:
                # An unquoted body is expanded like a double-quoted string. tree-sitter
                # leaves backticks (and whole ``<<-`` bodies) as plain content, so the
                # substitutions are found in the text itself.
                self.hidden(body, scope, "here-document")
                if "\\" in body or "`" in body or "$" in body:
                    dynamic = True
            out.append(Redirect("<<", Word(body, dynamic)))
            for child in node.named_children:
                if child.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                    out.extend(self._redirects(child, scope))
                elif child.type not in _HEREDOC_PARTS:
                    self.pending.append((child, scope))
            return out
        for child in node.children:
            kind = child.type
            if kind == "file_descriptor":
                fd = text_of(child)
            elif not child.is_named:
                op += kind
            elif kind in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                out.extend(self._redirects(child, scope))
            else:
                targets.append(self.loop_word(child) or self.word(child, scope))
        if not targets:
            targets.append(Word("", dynamic=True))
        for target in targets:
            out.insert(0, Redirect(op, target, fd))
        return out

    def _assignments(
        self, node: Node, scope: tuple[int, ...], certain: bool, export: bool = True
    ) -> list[tuple[str, Word]]:
        nodes = [node] if node.type == "variable_assignment" else list(node.named_children)
        out: list[tuple[str, Word]] = []
        for item in nodes:
            if item.type != "variable_assignment":
                continue
            name_node = item.child_by_field_name("name")
            name = text_of(name_node) if name_node is not None else ""
            if name_node is not None and name_node.type == "subscript":
                # ``a[$(cmd)]=1``: bash expands the subscript, running ``cmd``.
                self.find_substitutions(name_node, scope)
            value_node = item.child_by_field_name("value")
            value = self.word(value_node, scope) if value_node is not None else Word("")
            if "+=" in text_of(item)[: len(name) + 2]:
                value = Word(value.text, True, value.glob)
            sure = certain and not self.maybe
            if export and name_node is not None and name_node.type == "variable_name":
                name, value = tsstate.through(self, name, value, sure)
            out.append((name, value))
            if export and name not in self.refs:
                # A statement-level assignment sets a shell variable later words see.
                if sure and not value.dynamic and name_node is not None:
                    self.known[name] = value.text
                else:
                    self.known.pop(name, None)
        return out

    def _declaration(self, node: Node, scope: tuple[int, ...], certain: bool) -> None:
        words: list[Word] = []
        flags = ""
        for child in node.children:
            if not child.is_named:
                if not words:
                    words.append(Word(child.type))
                continue
            name_node = child.child_by_field_name("name")
            if child.type == "variable_assignment" and name_node is not None:
                value_node = child.child_by_field_name("value")
                value = self.word(value_node, scope) if value_node else Word("")
                sure = certain and not self.maybe
                attributed = words[0].text in tsstate.ATTRIBUTED
                if attributed and tsstate.declare(self, flags, text_of(name_node), value, sure):
                    words.append(Word(f"{text_of(name_node)}={value.text}", value.dynamic))
                    continue
            if child.type == "variable_assignment":
                (name, value) = self._assignments(child, scope, certain)[0]
                words.append(Word(f"{name}={value.text}", value.dynamic, value.glob))
                continue
            word = self.word(child, scope)
            words.append(word)
            if words[0].text not in tsstate.ATTRIBUTED:
                continue
            if word.dynamic or word.text[:1] in "-+":
                flags += "?" if word.dynamic else word.text
            elif child.type == "variable_name" or tsstate.is_name(word.text):
                tsstate.declare(self, flags, word.text, None, certain and not self.maybe)
        self.cmds.append(RawCommand(words, scope=scope, certain=certain))

    def _bogus_assignment(self, node: Node, scope: tuple[int, ...]) -> Word:
        parts: list[str] = []
        flags = [False, False]
        pos = node.start_byte
        raw = node.text or b""
        for child in node.children:
            if child.start_byte > pos:
                gap = raw[pos - node.start_byte : child.start_byte - node.start_byte]
                self.bare(gap.decode("utf-8", "replace"), parts, flags, False)
            if child.type in ("variable_name", "=") or not child.is_named:
                self.bare(text_of(child), parts, flags, False)
            else:
                self.word_into(child, scope, parts, flags)
            pos = child.end_byte
        return Word("".join(parts), flags[0], flags[1])

    def _test_names(self, node: Node, scope: tuple[int, ...]) -> None:
        """``[[ -v NAME ]]``/``[ -R NAME ]``: bash expands an array subscript in NAME."""
        for child in iter_nodes(node):
            if child.type != "unary_expression":
                continue
            op = child.child_by_field_name("operator")
            operands = [c for c in child.named_children if op is None or c.id != op.id]
            if op is None or text_of(op) not in ("-v", "-R") or not operands:
                continue
            name = self.word(operands[0], scope)
            if "[" not in name.text:
                continue
            if name.dynamic:
                self.opaque(name.text, scope)
            else:
                self.hidden(name.text, scope, "variable name")


def _valid_assignment(node: Node) -> bool:
    """A real assignment: ``NAME=`` or ``NAME[sub]=`` with NAME an identifier."""
    name = node.child_by_field_name("name")
    text = text_of(name)
    if name is not None and name.type == "subscript":
        text = text_of(name.child_by_field_name("name"))
    return (
        bool(text)
        and (text[0].isalpha() or text[0] == "_")
        and text.replace("_", "a").isalnum()
        and text.isascii()
    )


def _ends_in_command(node: Node) -> bool:
    """Whether a list or pipeline ends in a simple command (not a group or a loop)."""
    if node.type not in ("list", "pipeline"):
        return False
    while node.type in ("list", "pipeline"):
        named = [c for c in node.named_children if c.type != "comment"]
        if not named:
            return False
        node = named[-1]
    return node.type == "command"


def _last_command_in(node: Node, cmds: list[RawCommand]) -> RawCommand | None:
    del node
    return cmds[-1] if cmds else None
