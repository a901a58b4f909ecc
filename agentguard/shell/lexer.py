"""A fast, stdlib-only lexer for the common shell command line.

It understands plain words, single quotes, double quotes without ``$``, backtick or
backslash inside, the operators ``&&`` ``||`` ``;`` ``|`` ``&`` and newline, leading
``NAME=value`` and ``NAME+=value`` assignments and the simple redirections ``>`` ``>>`` ``>|`` ``<``
``&>`` ``&>>`` ``N>`` ``N>>`` ``N<`` ``N>&M`` ``N<&M``, and ``#`` comments (a ``#`` that
begins a word, to the end of the line; elsewhere in a word it is a letter). Anything
else returns ``None``,
and the caller hands the line to tree-sitter-bash. The rule is an allow-list of
characters and shapes: a character this module does not know makes it give up,
so a construct nobody thought of goes to the real parser rather than through here.
"""

from __future__ import annotations

from agentguard.shell.model import RawCommand, Redirect, Word

# Characters allowed outside quotes in a word. Everything that means something to bash
# beyond "part of a word" is missing on purpose: $ ` \ ( ) { } [ ] * ? ~ ! # and the
# operator characters, which the scanner handles itself (``#`` too: a comment where it
# begins a word, a letter inside one).


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_^")
# Characters allowed inside double quotes: printable ASCII except $ ` \ and the quote.
_DQ = frozenset(chr(c) for c in range(32, 127)) - set('$`\\"') | {"\t", "\n"}
# Inside single quotes every printable ASCII character is literal.
_SQ = frozenset(chr(c) for c in range(32, 127)) - {"'"} | {"\t", "\n"}
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME = _NAME_START | frozenset("0123456789")
_DIGITS = frozenset("0123456789")
# Reserved words start compound commands; the fast path does not do grammar.
_RESERVED = _w(
    "if then else elif fi do done case esac while until for in function select time "
    "coproc ! [[ ]] { }"
)


_ATTRIBUTED = _w("declare typeset local")


class _Bail(Exception):
    """The line holds something the fast lexer does not handle."""


def fast_parse(line: str) -> list[RawCommand] | None:
    """Raw commands of ``line``, or ``None`` when tree-sitter must parse it."""
    try:
        return _Lexer(line).run()
    except _Bail:
        return None


def fast_comments(line: str) -> list[tuple[int, int]] | None:
    """The ``(start, end)`` offsets of ``line``'s comments as the fast lexer reads them
    (``end`` at the newline or the end of the line), or ``None`` when it refuses the line."""
    lexer = _Lexer(line)
    try:
        lexer.run()
    except _Bail:
        return None
    return lexer.comments


class _Lexer:
    __slots__ = ("cmds", "comments", "counter", "last_op", "line", "pipeline", "pos")

    def __init__(self, line: str) -> None:
        self.line = line
        self.pos = 0
        self.cmds: list[RawCommand] = []
        self.pipeline: list[RawCommand] = []
        self.comments: list[tuple[int, int]] = []
        self.counter = 0
        self.last_op = ""

    def run(self) -> list[RawCommand]:
        line = self.line
        n = len(line)
        words: list[Word] = []
        assigns: list[tuple[str, Word]] = []
        redirects: list[Redirect] = []
        while True:
            # Skip blanks.
            while self.pos < n and line[self.pos] in " \t":
                self.pos += 1
            if self.pos >= n:
                self._end(words, assigns, redirects, "", final=True)
                break
            c = line[self.pos]
            if c == "#":
                # Here a word would begin: bash reads a comment to the end of the line.
                end = line.find("\n", self.pos)
                end = n if end < 0 else end
                self.comments.append((self.pos, end))
                self.pos = end
                continue
            if c in "<>" or (c == "&" and line.startswith("&>", self.pos)):
                redirects.append(self._redirect(None))
                continue
            if c in ";&|\n":
                op = self._operator()
                self._end(words, assigns, redirects, op, final=False)
                words, assigns, redirects = [], [], []
                continue
            fd, word, is_assign = self._word(assignable=not words)
            if fd is not None:
                redirects.append(self._redirect(fd))
                continue
            if is_assign:
                name, _, value = word.partition("=")
                if name.endswith("+"):
                    # The appended-to value is unknown (the variable may be set already).
                    assigns.append((name[:-1], Word(value, True)))
                else:
                    assigns.append((name, Word(value)))
                continue
            if not words and word in _RESERVED:
                raise _Bail
            if words and word[:1] in "-+" and words[0].text in _ATTRIBUTED:
                # ``declare -n r=PATH; r=/tmp/x``: attributes change what a later
                # assignment sets; the full parser tracks them.
                raise _Bail
            words.append(Word(word))
        self._flush_pipeline()
        return self.cmds

    def _operator(self) -> str:
        line, pos = self.line, self.pos
        two = line[pos : pos + 2]
        if two in ("&&", "||"):
            self.pos += 2
            return two
        if two in (";;", ";&", "|&", "&|"):
            raise _Bail
        self.pos += 1
        return "\n" if line[pos] == "\n" else line[pos]

    def _end(
        self,
        words: list[Word],
        assigns: list[tuple[str, Word]],
        redirects: list[Redirect],
        op: str,
        final: bool,
    ) -> None:
        empty = not words and not assigns and not redirects
        if empty:
            # ``a && && b``, ``| b``, ``a |`` are syntax errors: let the real parser say so.
            if op in ("&&", "||", "|", "&", ";"):
                raise _Bail
            # After ``&&``/``||``/``|`` bash reads on over newlines (and comments); a line
            # that ends there is incomplete: let the real parser say so.
            if final and self.last_op in ("&&", "||", "|"):
                raise _Bail
            return
        if op == "\n":
            op = ";"
        self.last_op = op
        cmd = RawCommand(words, assigns, redirects, op_after=op)
        self.pipeline.append(cmd)
        if op != "|":
            self._flush_pipeline()

    def _flush_pipeline(self) -> None:
        if not self.pipeline:
            return
        if len(self.pipeline) > 1:
            for index, cmd in enumerate(self.pipeline):
                self.counter += 1
                cmd.scope = (self.counter,)
                if index:
                    cmd.fed_by = self.pipeline[index - 1]
        self.cmds.extend(self.pipeline)
        self.pipeline = []

    def _redirect(self, fd: str | None) -> Redirect:
        line, n = self.line, len(self.line)
        pos = self.pos
        for op in ("&>>", "&>", ">>", ">|", ">&", "<&", ">", "<"):
            if line.startswith(op, pos):
                break
        else:  # pragma: no cover - the caller only calls on < > &>
            raise _Bail
        if line.startswith("<<", pos) or line.startswith("<>", pos):
            raise _Bail
        if op in ("&>", "&>>") and fd is not None:
            raise _Bail
        self.pos = pos + len(op)
        if op in (">&", "<&"):
            # Only descriptor duplication (``2>&1``, ``>&2``, ``<&-``); ``>&file``
            # is a file redirection bash spells ambiguously.
            start = self.pos
            while self.pos < n and line[self.pos] in _DIGITS:
                self.pos += 1
            if self.pos == start and self.pos < n and line[self.pos] == "-":
                self.pos += 1
            if self.pos == start or (self.pos < n and line[self.pos] not in " \t;&|\n"):
                raise _Bail
            return Redirect(op, Word(line[start : self.pos]), fd)
        while self.pos < n and line[self.pos] in " \t":
            self.pos += 1
        if self.pos >= n or line[self.pos] in ";&|\n<>":
            raise _Bail
        target_fd, word, _ = self._word(assignable=False)
        if target_fd is not None:
            raise _Bail
        return Redirect(op, Word(word), fd)

    def _word(self, assignable: bool) -> tuple[str | None, str, bool]:
        """Read one word. Returns (fd, text, is_assignment); fd is set when the word is
        all digits directly followed by ``<`` or ``>`` (a descriptor, not a word)."""
        line, n = self.line, len(self.line)
        out: list[str] = []
        quoted = False
        # The assignment name must be plain, unquoted text before the first ``=``.
        name_ok = assignable
        seen_eq = False
        start = self.pos
        while self.pos < n:
            c = line[self.pos]
            if c in _WORD or (c == "#" and self.pos > start):
                if c == "+" and not seen_eq and line.startswith("+=", self.pos):
                    # ``NAME+=value`` appends: bash takes it for an assignment prefix,
                    # so the next word is the program. Only a name may come before it.
                    if self.pos == start:
                        name_ok = False
                elif c == "=" and not seen_eq:
                    seen_eq = True
                    if name_ok and (self.pos == start or line[start] not in _NAME_START):
                        name_ok = False
                elif not seen_eq and c not in _NAME:
                    name_ok = False
                out.append(c)
                self.pos += 1
            elif c == "'":
                if not seen_eq:
                    name_ok = False
                end = line.find("'", self.pos + 1)
                if end < 0:
                    raise _Bail
                body = line[self.pos + 1 : end]
                if not all(ch in _SQ for ch in body):
                    raise _Bail
                out.append(body)
                quoted = True
                self.pos = end + 1
            elif c == '"':
                if not seen_eq:
                    name_ok = False
                end = line.find('"', self.pos + 1)
                if end < 0:
                    raise _Bail
                body = line[self.pos + 1 : end]
                if not all(ch in _DQ for ch in body):
                    raise _Bail
                out.append(body)
                quoted = True
                self.pos = end + 1
            elif c in " \t;&|\n":
                break
            elif c in "<>":
                text = "".join(out)
                if not quoted and text and all(ch in _DIGITS for ch in text):
                    return text, text, False
                if not quoted and not text:
                    raise _Bail
                break
            else:
                raise _Bail
        text = "".join(out)
        is_assign = name_ok and seen_eq
        return None, text, is_assign


def substitutions(text: str) -> list[str] | None:
    """The command texts of every ``$(…)`` and backtick substitution in ``text``, in
    order, or ``None`` when one is unbalanced.

    For text bash expands without the parser having split it into nodes: here-document
    bodies, ``${x:=`…`}``, and strings bash evaluates as arithmetic or as an array
    subscript (``let 'a[$(…)]'``, ``test -v``, ``printf -v``). Nested substitutions are
    left inside the outer command text, whose own parse finds them.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            j = i + 1
            body: list[str] = []
            while j < n and text[j] != "`":
                if text[j] == "\\" and j + 1 < n and text[j + 1] in "`\\$":
                    body.append(text[j + 1])
                    j += 2
                    continue
                body.append(text[j])
                j += 1
            if j >= n:
                return None
            out.append("".join(body))
            i = j + 1
            continue
        if c == "$" and text.startswith("$(", i):
            if text.startswith("$((", i):
                # Arithmetic: the substitutions inside are found as the scan goes on.
                i += 3
                continue
            end = _closing_paren(text, i + 2)
            if end < 0:
                return None
            out.append(text[i + 2 : end])
            i = end + 1
            continue
        i += 1
    return out


def _closing_paren(text: str, i: int) -> int:
    """Index of the ``)`` closing a ``$(`` whose body starts at ``i``, or -1."""
    depth = 1
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                return -1
            i = end + 1
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return -1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1
