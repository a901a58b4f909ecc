"""``find -exec``/``-delete`` and ``xargs``: the paths and words they hand their command.

``find``'s selection is walked by ``findsel``; the paths each ``-exec`` is reached for
stand for its ``{}``, so the command is judged per path (``sed -i`` writes them, ``rm``
deletes them). ``xargs`` reads its operands from a producer the line shows: the plain
command piped into it (``echo``/``printf`` with literal words, a ``find`` whose selection
is walked) or a here-string/here-document. What the guard cannot read keeps the
placeholder (``{}``, ``{stdin}``), an unresolved target, as before.

Hot path, loaded only for a line naming ``find`` or ``xargs``.
"""

from __future__ import annotations

from agentguard.shell import findsel
from agentguard.shell.catalogue import WRAPPERS
from agentguard.shell.effects import written_before
from agentguard.shell.limits import MAX_GLOB_MATCHES
from agentguard.shell.model import Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.shell.model import RawCommand
    from agentguard.shell.wrappers import Frame, Handler

_XARGS_VALUE_OPTS = frozenset(str(WRAPPERS["xargs"]["values"]).split())
_PLACEHOLDER = "{}"


def _selection(f: Frame) -> tuple[findsel.Plan, bool]:
    """The find's plan, walked from its folder; False when the walk is incomplete."""
    plan = findsel.read([w.text for w in f.words[1:]])
    if any(w.dynamic or w.glob for w in f.words[1:]) or f.cwd is None:
        return plan, False
    why = findsel.walk(plan, f.cwd, written_before(f.ex.analysis.commands))
    return plan, why is None


def _find(f: Frame) -> bool:
    # The find itself is classified normally (reads, -fprint); its -exec commands and
    # -delete are judged on the selection the walk found.
    words = f.words
    plan, complete = _selection(f)
    find_cmd = f.ex.emit(words, f.assigns, f.redirects, f.cwd, f.via, f.layers)
    if plan.readable:
        deletes = [a for a in plan.actions if a.kind == "-delete"]
        if deletes and complete and all(a.sure for a in deletes):
            base = find_cmd.cwd or f.ex.analysis.cwd
            find_cmd.deletes = sorted({_abs(p, base) for a in deletes for p in a.paths})
        for action in plan.actions:
            if action.kind in findsel.EXECS:
                inner = [words[1 + k] for k in action.command]
                sure = complete and action.sure
                _exec(f, action.kind, inner, action.end, action.paths, sure)
        return True
    i, n = 1, len(words)
    while i < n:
        text = words[i].text
        if text in findsel.EXECS:
            j = i + 1
            while j < n and words[j].text not in (";", "+"):
                j += 1
            _exec(f, text, list(words[i + 1 : j]), "+", [], False)
            i = j + 1
            continue
        i += 1
    return True


def _abs(path: str, base: str) -> str:
    import os

    return os.path.normpath(os.path.join(base, path))


def _exec(f: Frame, kind: str, inner: list[Word], end: str, paths: list[str], sure: bool) -> None:
    """Emit ``-exec CMD`` for the selected ``paths`` (and the placeholder, when the
    selection is not ``sure``)."""
    if not inner:
        return
    via = [*f.via, f"find {kind}"]
    marked = [Word(w.text, True, w.glob) if _PLACEHOLDER in w.text else w for w in inner]
    if not sure:
        # What the guard cannot list stays an unresolved target, as before.
        paths = [*paths, _PLACEHOLDER]
    elif not paths:
        return  # find selects nothing: the command never runs
    standalone = all(w.text == _PLACEHOLDER or _PLACEHOLDER not in w.text for w in inner)
    if kind in ("-execdir", "-okdir"):
        # The command runs in each path's folder; as a target, the path is the same file.
        base = f.cwd or f.ex.analysis.cwd
        paths = [p if p == _PLACEHOLDER else _abs(p, base) for p in paths]
    if end == "+" or standalone:
        # ``{} +`` (and ``{} ;`` where ``{}`` is a whole word) hands the paths as operands.
        out: list[Word] = []
        for w in inner:
            if w.text == _PLACEHOLDER:
                out.extend(_word(p) for p in paths)
            else:
                out.append(w)
        f.ex.expand(out, {}, [], f.cwd, via, f.layers, f.depth + 1)
        return
    for path in paths:
        words = [
            _word(w.text.replace(_PLACEHOLDER, path)) if _PLACEHOLDER in w.text else w
            for w in marked
        ]
        f.ex.expand(words, {}, [], f.cwd, via, f.layers, f.depth + 1)


def _word(text: str) -> Word:
    """A path the walk found, as one word (its glob characters are the file's name);
    the placeholder stays unresolved."""
    return Word(text, _PLACEHOLDER in text)


# -- xargs ------------------------------------------------------------------------


class _Opts:
    __slots__ = ("delim", "eof", "from_file", "max_args", "replace")

    def __init__(self) -> None:
        self.replace: str | None = None
        self.delim: str | None = None  # None: blanks and quotes; "\0" for -0
        self.max_args = 0
        self.eof = False
        self.from_file = False


def _xargs_opts(f: Frame) -> tuple[_Opts, int] | None:
    """xargs's options and the index of its command; None for an option from an expansion."""
    words = f.words
    opts = _Opts()
    i, n = 1, len(words)
    while i < n:
        w = words[i]
        text = w.text
        if w.dynamic:
            return None
        if text == "--":
            i += 1
            break
        if not text.startswith("-"):
            break
        value = words[i + 1].text if i + 1 < n else ""
        if text in ("-I", "--replace"):
            opts.replace = value or "{}"
            i += 2
            continue
        if text.startswith("--replace=") or (text.startswith("-I") and len(text) > 2):
            opts.replace = text.split("=", 1)[1] if text.startswith("--") else text[2:]
        elif text.startswith("-i"):
            opts.replace = text[2:] or "{}"
        elif text in ("-0", "--null"):
            opts.delim = "\0"
        elif text in ("-d", "--delimiter") or text.startswith(("-d", "--delimiter=")):
            raw = value if text in ("-d", "--delimiter") else text.split("=", 1)[-1]
            if text.startswith("-d") and len(text) > 2:
                raw = text[2:]
            opts.delim = _delimiter(raw)
        elif text in ("-n", "--max-args", "-L", "--max-lines") or text.startswith(
            ("-n", "-L", "--max-args=", "--max-lines=")
        ):
            raw = value if text in ("-n", "--max-args", "-L", "--max-lines") else text
            digits = raw.split("=", 1)[-1].lstrip("-nL")
            opts.max_args = int(digits) if digits.isdigit() else -1
            if text.startswith(("-L", "--max-lines")):
                opts.max_args = -1  # lines, not words: not batched here
        elif text.startswith(("-E", "-e", "--eof")):
            opts.eof = True
        elif text.startswith(("-a", "--arg-file")):
            opts.from_file = True
        if text in _XARGS_VALUE_OPTS:
            i += 2
            continue
        i += 1
    return opts, i


def _delimiter(raw: str) -> str | None:
    escapes = {"\\n": "\n", "\\t": "\t", "\\0": "\0", "\\\\": "\\"}
    if raw in escapes:
        return escapes[raw]
    return raw if len(raw) == 1 else "\uffff"  # unreadable: never matches input


def _xargs(f: Frame) -> bool:
    found = _xargs_opts(f)
    if found is None:
        return f.opaque("xargs option from an expansion")
    opts, i = found
    inner = list(f.words[i:]) or [Word("echo")]
    feed = None if opts.from_file or opts.eof else _feed(f)
    items = None if feed is None else _split(feed, opts)
    if items is not None and len(items) > MAX_GLOB_MATCHES:
        items = None
    f.ex.feed = None  # read once: a second xargs in this command reads what is left
    if opts.replace:
        replace = opts.replace
        if items is None:
            marked = [Word(w.text, True, w.glob) if replace in w.text else w for w in inner]
            return f.run(marked, "xargs")
        for item in items:
            f.run([Word(w.text.replace(replace, item)) for w in inner], "xargs")
        return True
    if items is None:
        # The arguments read from standard input are appended.
        return f.run([*inner, Word("{stdin}", True)], "xargs")
    size = opts.max_args if opts.max_args > 0 else len(items) or 1
    batches = [items[k : k + size] for k in range(0, len(items), size)] or [[]]
    for batch in batches:
        f.run([*inner, *(Word(item) for item in batch)], "xargs")
    return True


def _split(text: str, opts: _Opts) -> list[str] | None:
    """The items xargs reads from ``text`` (None when its quoting is broken)."""
    if opts.replace is not None and opts.delim is None:
        lines = [line.lstrip(" \t") for line in text.split("\n")]
        if any(c in line for line in lines for c in "'\"\\"):
            return None
        return [line for line in lines if line]
    if opts.delim is not None:
        parts = text.split(opts.delim)
        if parts and parts[-1] in ("", "\n"):
            parts.pop()
        return parts
    items: list[str] = []
    current: list[str] = []
    quote = ""
    started = False
    k = 0
    while k < len(text):
        c = text[k]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\n":
                return None  # xargs: unmatched quote
            else:
                current.append(c)
        elif c in "'\"":
            quote, started = c, True
        elif c == "\\":
            k += 1
            if k < len(text):
                current.append(text[k])
            started = True
        elif c in " \t\n":
            if started:
                items.append("".join(current))
                current, started = [], False
        else:
            current.append(c)
            started = True
        k += 1
    if quote:
        return None
    if started:
        items.append("".join(current))
    return items


def _feed(f: Frame) -> str | None:
    """What xargs reads on standard input, when the line shows it."""
    stdin = [r for r in f.redirects if r.fd in (None, "0") and r.op in ("<", "<<", "<<<", "<&")]
    if stdin:
        last = stdin[-1]
        if last.op == "<<<" and not last.target.dynamic:
            return last.target.text + "\n"
        if last.op == "<<" and not last.target.dynamic:
            return last.target.text
        return None
    producer = f.ex.feed
    return None if producer is None else _output(f, producer)


def _output(f: Frame, raw: RawCommand) -> str | None:
    """The output of the plain command ``raw`` when its words say it all."""
    words = raw.words
    if not words or any(w.dynamic for w in words) or raw.assigns:
        return None
    if any(r.fd != "2" or r.op not in (">", ">>") for r in raw.redirects):
        return None
    if any(w.glob for w in words):
        return None
    name = words[0].text
    texts = [w.text for w in words[1:]]
    if name == "echo":
        newline = True
        while texts and texts[0] in ("-n", "-e", "-E", "-ne", "-en"):
            if "n" in texts[0][1:]:
                newline = False
            if "e" in texts[0][1:] and any("\\" in t for t in texts):
                return None
            texts = texts[1:]
        return " ".join(texts) + ("\n" if newline else "")
    if name == "printf":
        return _printf(texts)
    if name == "find":
        return _find_output(f, raw)
    return None


def _printf(texts: list[str]) -> str | None:
    """``printf FORMAT ARGS…`` for a format of ``%s``, ``%%`` and simple escapes."""
    if not texts or texts[0].startswith("-"):
        return None
    fmt, args = texts[0], texts[1:]
    escapes = {"n": "\n", "t": "\t", "0": "\0", "\\": "\\"}
    pieces: list[str | None] = []  # None: one %s
    k = 0
    while k < len(fmt):
        c = fmt[k]
        nxt = fmt[k + 1] if k + 1 < len(fmt) else ""
        if c == "%" and nxt == "s":
            pieces.append(None)
        elif c == "%" and nxt == "%":
            pieces.append("%")
        elif c == "\\" and nxt in escapes:
            pieces.append(escapes[nxt])
        elif c in "%\\":
            return None
        else:
            pieces.append(c)
            k += 1
            continue
        k += 2
    slots = pieces.count(None)
    out: list[str] = []
    rounds = max(1, -(-len(args) // slots)) if slots else 1
    for r in range(rounds):
        chunk = iter(args[r * slots : (r + 1) * slots])
        out.extend(next(chunk, "") if p is None else p for p in pieces)
    return "".join(out)


def _find_output(f: Frame, raw: RawCommand) -> str | None:
    """What ``find … -print``/``-print0`` prints, when its selection is walked exactly."""
    plan = findsel.read([w.text for w in raw.words[1:]])
    if not plan.readable or f.cwd is None:
        return None
    stdout = [a for a in plan.actions if a.kind not in ("-prune", "-quit", "-delete")]
    if any(a.kind not in ("-print", "-print0") for a in stdout):
        return None  # -printf, -ls, or a command printing what it likes
    if findsel.walk(plan, f.cwd, written_before(f.ex.analysis.commands)) is not None:
        return None
    if not all(a.sure for a in stdout):
        return None
    return "".join(p + ("\0" if a.kind == "-print0" else "\n") for a in stdout for p in a.paths)


HANDLERS: dict[str, Handler] = {"xargs": _xargs, "find": _find}
