"""The vocabulary of program handlers: what a command reads, writes, deletes, and the
helpers every family shares to read its arguments.

A handler (``shell/programs/<family>.py``) receives one ``Effects`` and records classes
and targets on it; ``Effects.finish`` resolves the targets to paths once all are known.

Hot path: standard library only.
"""

from __future__ import annotations

import os

from agentguard.shell.limits import MAX_GLOB_MATCHES, expand_glob
from agentguard.shell.model import Redirect, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from agentguard.shell.model import SimpleCommand

NULL_TARGETS = frozenset(("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-", "/dev/zero"))
_NO_FACTS: dict[str, object] = {}
_SPLIT: dict[str, frozenset[str]] = {}


def words(text: str) -> frozenset[str]:
    """The set of whitespace-separated words in ``text``, split once per string.

    The catalogue keeps option sets as one string each (it holds literals only); a
    handler splits them here, and a line pays the split only for the programs it names.
    """
    found = _SPLIT.get(text)
    if found is None:
        found = _SPLIT[text] = frozenset(text.split())
    return found


def fact(facts: Mapping[str, object], key: str) -> str:
    """The catalogue string ``facts[key]`` (empty when the entry has none)."""
    value = facts.get(key, "")
    return value if isinstance(value, str) else ""


def fact_tuple(facts: Mapping[str, object], key: str) -> tuple[str, ...]:
    """The catalogue tuple of strings ``facts[key]`` (empty when the entry has none)."""
    value = facts.get(key, ())
    return value if isinstance(value, tuple) else ()


def fact_set(facts: Mapping[str, object], key: str) -> frozenset[str]:
    """The catalogue option set ``facts[key]``, split."""
    return words(fact(facts, key))


def fact_table(facts: Mapping[str, object], key: str) -> Mapping[str, object]:
    """The catalogue table ``facts[key]`` (``verbs``, ``reader`` …), empty when absent."""
    value = facts.get(key)
    return value if isinstance(value, dict) else _NO_FACTS


def verb_set(facts: Mapping[str, object], kind: str) -> frozenset[str]:
    """The program's verbs of ``kind`` (``install``, ``publish``, ``deploy`` …)."""
    return words(fact(fact_table(facts, "verbs"), kind))


class Effects:
    """Target collection for one command; paths are resolved at the end.

    ``facts`` is the program's catalogue entry (empty for a program it does not list):
    handlers shared by several programs read their differences from it.
    """

    __slots__ = (
        "args",
        "base",
        "cmd",
        "cwd",
        "env",
        "facts",
        "known",
        "pending",
        "prior",
        "words",
    )

    def __init__(
        self,
        cmd: SimpleCommand,
        words: list[Word],
        base: str,
        env: Mapping[str, str],
        prior: Sequence[SimpleCommand] = (),
        facts: Mapping[str, object] = _NO_FACTS,
        known: Mapping[str, Any] | None = None,
    ):
        self.cmd = cmd
        self.words = words
        self.args = words[1:]
        self.base = base
        self.cwd = cmd.cwd
        self.env = env
        self.facts = facts
        # The commands before this one in the same line: a file they wrote is not the
        # worktree's code any more, whatever folder it is in.
        self.prior = prior
        self.pending: list[tuple[str, Word, str | None]] = []
        # What the policy tells the analyser beyond the catalogue (declared programs, the
        # name lists of shell.listed), or None.
        self.known = known

    def add(self, kind: str, word: Word) -> None:
        """Record that the command ``kind`` (read, write, delete)s the path ``word``."""
        self.pending.append((kind, word, self.cwd))

    def cls(self, *names: str) -> None:
        """Add classes to the command."""
        self.cmd.classes.update(names)

    def finish(self) -> None:
        """Resolve the recorded targets into the command's read/write/delete paths."""
        cmd = self.cmd
        # De-duplicated with sets: a glob may add hundreds of paths to one bucket.
        seen: dict[str, set[str]] = {
            "read": set(cmd.reads),
            "write": set(cmd.writes),
            "delete": set(cmd.deletes),
        }
        for kind, word, cwd in self.pending:
            text = word.text
            if text in NULL_TARGETS or text.startswith("/dev/fd/"):
                continue
            if text.startswith(("/dev/tcp/", "/dev/udp/")):
                cmd.classes.add("network")
                continue
            bucket = {"read": cmd.reads, "write": cmd.writes, "delete": cmd.deletes}[kind]
            known = seen[kind]
            if word.dynamic:
                cmd.unresolved.append((kind, text))
                continue
            if cwd is None:
                cmd.unresolved.append((kind, text))
            root = cwd or self.base
            if word.glob:
                found, capped = expand_glob(os.path.join(root, text))
                for match in found:
                    path = os.path.normpath(match)
                    if path not in known:
                        known.add(path)
                        bucket.append(path)
                if capped is not None:
                    # The rest is not listed, so it is not judged: the command asks.
                    # The pattern itself is judged too (``.claude/*`` names a
                    # protected folder whatever it matches).
                    cmd.limits.append(f"{kind}: {capped}")
                elif found:
                    continue
            if text.startswith("~"):
                home = self.env.get("HOME")
                if home and (text == "~" or text.startswith("~/")):
                    text = home + text[1:]
                else:
                    cmd.unresolved.append((kind, text))
                    continue
            path = os.path.normpath(os.path.join(root, text))
            if path not in known:
                known.add(path)
                bucket.append(path)


def operands(
    args: Iterable[Word], value_opts: frozenset[str] = frozenset()
) -> tuple[list[Word], list[tuple[str, Word]]]:
    """Split arguments into operands and ``(option, value)`` pairs.

    ``value_opts`` take the next word (``-n 5``) or an attached one (``--lines=5``,
    ``-n5``); after ``--`` everything is an operand.
    """
    ops: list[Word] = []
    opts: list[tuple[str, Word]] = []
    items = list(args)
    i, n = 0, len(items)
    while i < n:
        w = items[i]
        text = w.text
        if text == "--":
            ops.extend(items[i + 1 :])
            break
        if text.startswith("-") and text != "-" and not w.dynamic:
            if "=" in text and text.startswith("--"):
                name, _, value = text.partition("=")
                opts.append((name, Word(value, w.dynamic, w.glob)))
            elif text in value_opts:
                if i + 1 < n:
                    opts.append((text, items[i + 1]))
                i += 2
                continue
            elif not text.startswith("--") and len(text) > 2 and text[:2] in value_opts:
                opts.append((text[:2], Word(text[2:])))
            elif not text.startswith("--") and len(text) > 2 and value_opts:
                # A bundle of flags ending in one that takes a value, as getopt reads it:
                # ``curl -fsSLo FILE``, ``cp -rt DIR``: the rest of the bundle, or the
                # next word, is that option's value.
                k = next((k for k in range(2, len(text)) if "-" + text[k] in value_opts), 0)
                if not k:
                    opts.append((text, Word("")))
                elif k + 1 < len(text):
                    opts.append((text[:k], Word("")))
                    opts.append(("-" + text[k], Word(text[k + 1 :])))
                else:
                    opts.append((text[:k], Word("")))
                    if i + 1 < n:
                        opts.append(("-" + text[k], items[i + 1]))
                    i += 2
                    continue
            else:
                opts.append((text, Word("")))
            i += 1
            continue
        ops.append(w)
        i += 1
    return ops, opts


def has_short(opts: list[tuple[str, Word]], letter: str, long: str = "") -> bool:
    """Whether ``opts`` hold the short flag ``letter`` (alone or in a bundle) or ``long``."""
    for name, _ in opts:
        if long and name == long:
            return True
        if not name.startswith("--") and letter in name[1:]:
            return True
    return False


def option_values(opts: list[tuple[str, Word]], *names: str) -> list[Word]:
    """The values given to any of the options ``names``, in order."""
    return [value for name, value in opts if name in names]


def outside_worktree(fx: Effects, w: Word) -> bool:
    """Whether a script file lies outside the agent's worktree (or cannot be placed)."""
    text = w.text
    if w.dynamic or w.glob or text.startswith(("~", "/dev/", "/proc/")) or fx.cwd is None:
        return True
    from agentguard.git.files import find_worktree

    tree = find_worktree(fx.base)
    top = os.path.realpath(tree.top if tree is not None else fx.base)
    path = os.path.realpath(os.path.join(fx.cwd, text))
    return not (path == top or path.startswith(top + os.sep))


def script_file(fx: Effects, w: Word | None) -> None:
    """An interpreter runs ``w``: from standard input, outside the worktree, or written
    earlier in the same line is opaque."""
    name = fx.cmd.program
    if w is None or w.text in ("-", "/dev/stdin"):
        fx.cls("opaque")
        fx.cmd.notes.append(f"{name} reads its program from standard input")
    elif outside_worktree(fx, w):
        fx.cls("opaque")
        fx.cmd.notes.append(f"{name} runs {w.text}, which is not this worktree's code")
    elif fx.prior and os.path.normpath(os.path.join(fx.cwd or fx.base, w.text)) in (
        written_before(fx.prior)
    ):
        fx.cls("opaque")
        fx.cmd.notes.append(f"{name} runs {w.text}, which this line writes first")


def written_before(commands: Iterable[SimpleCommand]) -> set[str]:
    """Every path ``commands`` write (files a later command must not be trusted to run)."""
    out: set[str] = set()
    for cmd in commands:
        out.update(cmd.writes)
    return out


def link_targets(
    fx: Effects, targets: list[Word], dest: Word | None, dest_is_dir: bool, symbolic: bool
) -> None:
    """A link's target is written by every later write through the link.

    A relative symbolic target is resolved against the link's folder (that is where
    the kernel resolves it); a hard link's target is an ordinary path.
    """
    folder = ""
    if symbolic and dest is not None and not dest.dynamic:
        root = fx.cwd or fx.base
        into_dir = dest_is_dir or len(targets) > 1 or os.path.isdir(os.path.join(root, dest.text))
        folder = dest.text if into_dir else os.path.dirname(dest.text)
    for w in targets:
        text = w.text
        if symbolic and not text.startswith(("/", "~")) and not w.dynamic:
            if ".." in text.split("/") and (dest is None or outside_worktree(fx, dest)):
                # Moved into the worktree later, the link points somewhere else.
                fx.cmd.unresolved.append(("write", f"{text} (a relative link made elsewhere)"))
            text = os.path.join(folder, text) if folder else text
        fx.add("write", Word(text, w.dynamic or bool(dest and dest.dynamic), w.glob))


def carries_links(fx: Effects, sources: Sequence[Word | None], dest: Word | None) -> None:
    """A copy or an extraction into the worktree from outside it may carry symbolic
    links, through which later writes land anywhere: the write targets are unknown."""
    if dest is None or outside_worktree(fx, dest):
        return
    outside = [w for w in sources if w is None or outside_worktree(fx, w)]
    if outside:
        what = outside[0].text if outside[0] is not None else "standard input"
        fx.cmd.unresolved.append(("write", f"{dest.text} (may carry symbolic links from {what})"))


def names_from(fx: Effects, names: Word | None) -> None:
    """The program copies the contents of files named in a list (``None`` or ``-``:
    standard input): what it reads cannot be established before it runs."""
    if names is not None and names.text not in ("-", "/dev/stdin"):
        fx.add("read", names)
        where = names.text
    else:
        where = "standard input"
    fx.cmd.unresolved.append(("read", f"(the files named on {where})"))
    fx.cls("opaque")
    fx.cmd.notes.append(f"{fx.cmd.program} copies the files named on {where}")


def patch_targets(fx: Effects, patchfile: Word | None, strip: int, root: str | None = None) -> None:
    """Write targets named by a unified diff (``+++ b/path``), read from the patch file."""
    if patchfile is not None and not patchfile.dynamic:
        path = os.path.join(fx.cwd or fx.base, patchfile.text)
        fx.add("read", patchfile)
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read(1 << 20)
        except OSError:
            text = None
        if text is not None and diff_targets(fx, text, strip, root):
            return
    fx.cmd.unresolved.append(("write", "(the files named by the patch)"))


def patch_body(fx: Effects, body: Word, strip: int, root: str | None = None) -> None:
    """Write targets of a diff given on the line (a here-document or here-string)."""
    if body.dynamic or not diff_targets(fx, body.text, strip, root):
        fx.cmd.unresolved.append(("write", "(the files named by the patch)"))


def diff_targets(fx: Effects, text: str, strip: int, root: str | None) -> bool:
    """Record the files a unified or git diff changes as writes (relative to ``root``,
    else the command's folder); False when it names none, or a name it cannot place
    (the names it can place are recorded either way).

    ``---``/``+++`` names lose ``strip`` leading parts (``-1``: patch without ``-p``,
    which uses the base name; it, the name less its first part and the whole name are
    all recorded); git's own ``rename``/``copy`` lines carry the bare path. A quoted
    name (git's form for unusual characters) is not decoded, and ``Index:``, context and
    normal-format sections are not followed: each makes the answer False, so the
    patch's targets stay unresolved.
    """
    names: list[str] = []
    placed = True
    for line in text.splitlines():
        if line.startswith(("Index: ", "*** ", "Prereq: ")) or _normal_hunk(line):
            # Headers and hunks of the other formats patch reads (``Index:``, context
            # ``***``, normal ``1c1``): a section this reader does not follow.
            placed = False
            if line.startswith("Index: "):
                names.append(line[7:].strip())
            continue
        if line.startswith(("+++ ", "--- ")):
            found = [line[4:].split("\t", 1)[0].strip()]
        elif line.startswith(("rename from ", "rename to ", "copy from ", "copy to ")):
            found = [line.split(" ", 2)[2]]
        elif line.startswith("diff --git "):
            found = line[11:].split(" ")
            if len(found) != 2:
                placed = False  # a name with a space: the split is ambiguous
                continue
        else:
            continue
        for name in found:
            if name.startswith('"'):
                placed = False
            elif name != "/dev/null":
                bare = line.startswith(("rename ", "copy "))
                if strip < 0 and not bare:
                    # patch without -p: the base name (GNU), or the name less a/ b/, or
                    # all of it; every reading is judged.
                    forms = (name, name.partition("/")[2], name.rsplit("/", 1)[-1])
                    names += [n for n in dict.fromkeys(forms) if n]
                    continue
                kept = name if bare or not strip else "/".join(name.split("/")[strip:])
                if kept:
                    names.append(kept)
                else:
                    placed = False
    unique = list(dict.fromkeys(names))
    if len(unique) > MAX_GLOB_MATCHES:
        # A diff naming thousands of files is judged like a glob past its cap: the
        # first names are, the rest stay unresolved (and the hook stays fast). Names in
        # a dot folder or naming agentguard go first, so a protected file hidden at the
        # end of a long patch (.claude/, .git/hooks, agentguard.yaml) is still denied.
        unique = sorted(unique, key=_plain_name)[:MAX_GLOB_MATCHES]
        placed = False
    saved = fx.cwd
    fx.cwd = root or fx.cwd
    for name in unique:
        fx.add("write", Word(name))
    fx.cwd = saved
    return placed and bool(unique)


def _plain_name(name: str) -> bool:
    """False (sorted first) for a name in a dot folder, a dot file or one naming agentguard."""
    return "agentguard" not in name and not any(p[:1] == "." for p in name.split("/"))


def _normal_hunk(line: str) -> bool:
    """Whether ``line`` starts a normal-format hunk (``1c1``, ``3,4d2``, ``0a1,2``)."""
    for op in "acd":
        left, sep, right = line.partition(op)
        if sep and left.replace(",", "").isdigit() and right.replace(",", "").isdigit():
            return True
    return False


def stdin_body(redirects: list[Redirect]) -> Word | None:
    """The literal here-document or here-string a program reads its standard input
    from, when nothing else feeds it."""
    inputs = [r for r in redirects if r.op.startswith("<") and r.fd in (None, "0")]
    if not inputs or inputs[-1].op not in ("<<", "<<-", "<<<") or inputs[-1].target.dynamic:
        return None
    return inputs[-1].target


def write_option_values(fx: Effects, names: tuple[str, ...]) -> None:
    """The values of the options ``names`` (``-o FILE``, ``-oFILE``, ``--output=FILE``)
    are files the command writes."""
    for i, w in enumerate(fx.args):
        text = w.text
        if text in names and i + 1 < len(fx.args):
            value: Word | None = fx.args[i + 1]
        elif text[:2] == "--" and text.partition("=")[0] in names and "=" in text:
            value = Word(text.partition("=")[2], w.dynamic, w.glob)
        elif text[:2] in names and len(text) > 2 and text[1] != "-":
            value = Word(text[2:], w.dynamic, w.glob)
        else:
            continue
        if value is not None and value.text:
            fx.cls("file-write")
            fx.add("write", value)


def is_remote(text: str) -> bool:
    """Whether an operand names another host (``host:path``, ``user@host:``, a URL)."""
    if "://" in text:
        return True
    head = text.split("/", 1)[0]
    return ":" in head and not head.startswith(".")


def note_refs(fx: Effects, names: list[str]) -> None:
    """Note the branches ``names`` the command moves or reads (``refs/heads/`` dropped)."""
    for raw in names:
        name = raw.removeprefix("refs/heads/")
        if name and name not in fx.cmd.refs:
            fx.cmd.refs.append(name)


def worktree_top(fx: Effects) -> str | None:
    """The top folder of the worktree the command runs in (its folder when none)."""
    from agentguard.git.files import find_worktree

    tree = find_worktree(fx.cwd or fx.base)
    return tree.top if tree is not None else fx.cwd
