"""What one effective command does: its classes and the paths it reads, writes, deletes.

Classes: ``read-only``, ``file-write``, ``file-delete``, ``network``,
``package-install``, ``deploy``, ``git-destructive``, ``branch-switch``, ``merge``,
``secret-read``, ``env-dump``, ``opaque``, ``guard-tamper``, ``privilege``. The tables are flat on
purpose: a reviewer should see every program the guard knows in one place.

Hot path: standard library only.
"""

from __future__ import annotations

import os
import re

from agentguard.redact import secret_var
from agentguard.shell import guardentry
from agentguard.shell.limits import expand_glob
from agentguard.shell.model import SimpleCommand, Word

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.


def _w(text: str) -> frozenset[str]:
    """A set of whitespace-separated words (tables read better as one string)."""
    return frozenset(text.split())


TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

_F = frozenset

# Programs that run a command as another user (root, by default). A command run through
# one of them, at any depth of wrappers, is ``privilege``: no rule may wave it through,
# because it skips the prompt Claude Code itself shows for it.
PRIVILEGE = _w("sudo sudoedit doas su pkexec run0 runuser")

AGENT_CLIS = _w(
    "claude codex gemini aider opencode cursor-agent goose amp qwen crush copilot cline droid kiro"
)
# Environment variables that move an agent CLI's configuration (and so its hooks).
_AGENT_CONFIG_VARS = _w(
    "CLAUDE_CONFIG_DIR CODEX_HOME GEMINI_CONFIG_DIR XDG_CONFIG_HOME HOME "
    "CLAUDE_CODE_USE_BEDROCK AIDER_CONFIG"
)
_AGENT_TAMPER_FLAGS = _w(
    "--settings --setting-sources --dangerously-skip-permissions "
    "--allow-dangerously-skip-permissions --dangerously-bypass-approvals-and-sandbox "
    "--yolo --full-auto --config-dir --plugin-dir --permission-prompt-tool "
    "--disallowedTools --allowedTools --allowed-tools --disallowed-tools"
)
_TAMPER_VARS = ("AGENTGUARD", "CLAUDE_CONFIG_DIR", "CODEX_HOME")
# Environment variables whose value is code, or decides which code runs: setting one
# (for a command, or for every later command of the line) runs what the guard cannot see.
_CODE_VARS = _w(
    "PATH BASH_ENV ENV PROMPT_COMMAND PS4 SHELLOPTS BASHOPTS IFS CDPATH GIT_CONFIG_COUNT "
    "GIT_CONFIG_PARAMETERS GIT_CONFIG GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM GIT_EXTERNAL_DIFF "
    "GIT_SSH GIT_SSH_COMMAND GIT_PAGER PAGER GIT_EDITOR EDITOR VISUAL GIT_SEQUENCE_EDITOR "
    "GIT_ASKPASS SSH_ASKPASS GIT_PROXY_COMMAND GIT_EXEC_PATH GIT_TEMPLATE_DIR NODE_OPTIONS "
    "NODE_PATH PYTHONSTARTUP PYTHONPATH PYTHONHOME PYTHONINSPECT PERL5OPT PERL5LIB PERLLIB "
    "RUBYOPT RUBYLIB JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS LESSOPEN LESSCLOSE "
    "MANPAGER BROWSER"
)
_CODE_VAR_PREFIXES = ("LD_", "DYLD_", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "NPM_CONFIG_")
# NODE_OPTIONS flags that only tune the runtime (``--max-old-space-size=4096`` is a
# common build setting); any other flag (``--require``, ``--import`` …) loads code.
_NODE_OPTIONS_SAFE = _w(
    "--max-old-space-size --max-semi-space-size --enable-source-maps --no-warnings "
    "--no-deprecation --trace-warnings --trace-deprecation --unhandled-rejections "
    "--stack-size --stack-trace-limit --dns-result-order --openssl-legacy-provider "
    "--max-http-header-size --experimental-vm-modules --no-experimental-fetch --expose-gc "
    "--trace-uncaught --heapsnapshot-near-heap-limit --experimental-specifier-resolution"
)


def code_var(name: str, value: str | None = None) -> bool:
    """Whether assigning ``name`` (to ``value`` when known) changes which code runs."""
    if name in _CODE_VARS:
        if name == "NODE_OPTIONS" and value is not None:
            return not all(
                flag.split("=", 1)[0] in _NODE_OPTIONS_SAFE or flag.isdigit()
                for flag in value.split()
            )
        return True
    return name.upper().startswith(_CODE_VAR_PREFIXES)


def loaded_vars(program: str, assigns: Mapping[str, str]) -> list[str]:
    """The code-bearing variables ``assigns`` sets for ``program``, sorted.

    ``IFS= read -r line`` is the one harmless case: IFS only changes how the builtin
    splits its input.
    """
    loaded = sorted(name for name, value in assigns.items() if code_var(name, value))
    if program == "read" and set(loaded) <= {"IFS"}:
        return []
    return loaded


def _flag_code_vars(cmd: SimpleCommand, names: Iterable[tuple[str, str | None]]) -> None:
    for name, value in names:
        if code_var(name, value):
            cmd.classes.add("opaque")
            cmd.notes.append(f"sets {name}, which decides what code runs")


_NULL_TARGETS = _F(("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-", "/dev/zero"))

READ_ONLY = _w(
    "ls pwd echo printf true false test [ which type whoami id date uname hostname wc diff "
    "cmp stat file du df ps uptime basename dirname realpath readlink tree cat head tail less "
    "more bat batcat nl tac rev fold fmt column expand unexpand paste comm cut tr grep egrep "
    "fgrep rg ag ack jq md5sum sha1sum sha256sum sha512sum cksum b2sum base64 base32 xxd od "
    "hexdump strings seq sleep yes expr bc dc cal nproc free lsof locale tput clear "
    "history jobs wait cd pushd popd dirs : exit return shift hash ulimit umask getconf "
    "lsb_release arch nvm sort uniq look find fd fdfind tokei cloc sed awk gawk mawk nawk"
)
# Readers: value options (skipped with their value) and whether the first operand is
# not a file (a pattern, a filter, a script).
_READERS: dict[str, tuple[frozenset[str], bool]] = {
    "cat": (_F(), False),
    "tac": (_F(("-s", "--separator")), False),
    "nl": (_F(("-b", "-d", "-f", "-h", "-i", "-l", "-n", "-s", "-v", "-w")), False),
    "head": (_F(("-n", "-c", "--lines", "--bytes")), False),
    "tail": (_F(("-n", "-c", "--lines", "--bytes", "-s", "--pid", "--sleep-interval")), False),
    "less": (_F(("-p", "-x", "-y", "-b", "-h", "-j", "-z", "-o", "-O", "-t", "-T")), False),
    "more": (_F(("-n",)), False),
    "bat": (_F(("-l", "--language", "-r", "--line-range", "--style", "--theme", "-H")), False),
    "batcat": (_F(("-l", "--language", "-r", "--line-range", "--style", "--theme")), False),
    "base64": (_F(("-w", "--wrap")), False),
    "base32": (_F(("-w", "--wrap")), False),
    "xxd": (_F(("-c", "-g", "-l", "-s", "-o", "-n", "-C", "-cols", "-len", "-seek")), False),
    "od": (_F(("-A", "-j", "-N", "-t", "-w", "-S")), False),
    "hexdump": (_F(("-n", "-s", "-e", "-f")), False),
    "strings": (_F(("-n", "-t", "-e", "--bytes", "--radix", "--encoding")), False),
    "md5sum": (_F(), False),
    "sha1sum": (_F(), False),
    "sha256sum": (_F(), False),
    "sha512sum": (_F(), False),
    "cksum": (_F(), False),
    "b2sum": (_F(), False),
    "wc": (_F(), False),
    "diff": (_F(("-U", "-C", "-x", "-X", "-I", "--label", "-L", "-W", "-F")), False),
    "cmp": (_F(("-i", "-n", "--bytes", "--ignore-initial")), False),
    "comm": (_F(("--output-delimiter",)), False),
    "paste": (_F(("-d", "--delimiters")), False),
    "cut": (_F(("-b", "-c", "-d", "-f", "--output-delimiter")), False),
    "fold": (_F(("-w", "--width")), False),
    "fmt": (_F(("-w", "-p", "-g")), False),
    "rev": (_F(), False),
    "column": (_F(("-s", "-c", "-t", "-o", "-N", "-R", "-E", "-W")), False),
    "expand": (_F(("-t",)), False),
    "unexpand": (_F(("-t",)), False),
    "file": (_F(("-m", "-f", "-F", "-e", "-P")), False),
    "sort": (
        _F(("-k", "-t", "-S", "-T", "-o", "--output", "--field-separator", "--key", "--parallel")),
        False,
    ),
    "uniq": (_F(("-f", "-s", "-w", "--skip-fields", "--skip-chars", "--check-chars")), False),
    "grep": (
        _F(
            (
                "-m",
                "-A",
                "-B",
                "-C",
                "-d",
                "-D",
                "--max-count",
                "--context",
                "--label",
                "--binary-files",
                "--devices",
                "--directories",
                "--color",
                "--colour",
            )
        ),
        True,
    ),
    "egrep": (_F(("-m", "-A", "-B", "-C")), True),
    "fgrep": (_F(("-m", "-A", "-B", "-C")), True),
    "rg": (
        _F(
            (
                "-m",
                "-A",
                "-B",
                "-C",
                "-g",
                "--glob",
                "-t",
                "--type",
                "-T",
                "--type-not",
                "-j",
                "-M",
                "--max-depth",
                "-d",
                "--max-columns",
                "--max-count",
                "--context",
                "--after-context",
                "--before-context",
                "--sort",
                "--sortr",
                "--iglob",
                "-E",
                "--encoding",
                "--color",
                "--colors",
                "--type-add",
                "-r",
                "--replace",
                "--engine",
            )
        ),
        True,
    ),
    "ag": (_F(("-m", "-A", "-B", "-C", "-G", "--ignore", "--depth")), True),
    "ack": (_F(("-m", "-A", "-B", "-C", "--type")), True),
    "jq": (
        _F(
            (
                "--indent",
                "--tab",
                "--arg",
                "--argjson",
                "--slurpfile",
                "--rawfile",
                "--args",
                "--jsonargs",
            )
        ),
        True,
    ),
    "source": (_F(), False),
    ".": (_F(), False),
}
_PATTERN_OPTS = _F(("-e", "-f", "--regexp", "--file"))


class _Ctx:
    """Target collection for one command; paths are resolved at the end."""

    __slots__ = ("args", "base", "cmd", "cwd", "env", "pending", "prior", "words")

    def __init__(
        self,
        cmd: SimpleCommand,
        words: list[Word],
        base: str,
        env: Mapping[str, str],
        prior: Sequence[SimpleCommand] = (),
    ):
        self.cmd = cmd
        self.words = words
        self.args = words[1:]
        self.base = base
        self.cwd = cmd.cwd
        self.env = env
        # The commands before this one in the same line: a file they wrote is not the
        # worktree's code any more, whatever folder it is in.
        self.prior = prior
        self.pending: list[tuple[str, Word, str | None]] = []

    def add(self, kind: str, word: Word) -> None:
        self.pending.append((kind, word, self.cwd))

    def cls(self, *names: str) -> None:
        self.cmd.classes.update(names)

    def finish(self) -> None:
        cmd = self.cmd
        # De-duplicated with sets: a glob may add hundreds of paths to one bucket.
        seen: dict[str, set[str]] = {
            "read": set(cmd.reads),
            "write": set(cmd.writes),
            "delete": set(cmd.deletes),
        }
        for kind, word, cwd in self.pending:
            text = word.text
            if text in _NULL_TARGETS or text.startswith("/dev/fd/"):
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
    args: Iterable[Word], value_opts: frozenset[str] = _F(), flags_with_value: str = ""
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


def _has_short(opts: list[tuple[str, Word]], letter: str, long: str = "") -> bool:
    for name, _ in opts:
        if long and name == long:
            return True
        if not name.startswith("--") and letter in name[1:]:
            return True
    return False


def _opt_values(opts: list[tuple[str, Word]], *names: str) -> list[Word]:
    return [value for name, value in opts if name in names]


def classify(
    cmd: SimpleCommand,
    words: list[Word],
    base: str,
    env: Mapping[str, str],
    prior: Sequence[SimpleCommand] = (),
) -> None:
    """Fill ``cmd``'s classes and targets from its words and redirections (``prior``:
    the commands before it in the same line, whose written files it may run)."""
    ctx = _Ctx(cmd, words, base, env, prior)
    for redirect in cmd.redirects:
        op = redirect.op
        if op in ("<<", "<<<"):
            continue
        target = redirect.target
        if op in (">&", "<&") and (target.text.isdigit() or target.text == "-"):
            continue
        if target.text in _NULL_TARGETS:
            continue
        if op in ("<", "<&"):
            ctx.add("read", target)
        else:
            ctx.cls("file-write")
            ctx.add("write", target)
            if op == "<>":
                ctx.add("read", target)
    program = words[0].text if words else ""
    _flag_code_vars(cmd, [(name, cmd.assigns[name]) for name in loaded_vars(program, cmd.assigns)])
    for name, value in cmd.assigns.items():
        if "$(<" in value:
            _read_substitutions(ctx, value)
        if name.upper().startswith("AGENTGUARD"):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"sets {name}")
        if name in ("GIT_DIR", "GIT_WORK_TREE"):
            cmd.repo = os.path.normpath(os.path.join(cmd.cwd or base, value))
    if words:
        name = cmd.program
        entry = guardentry.program(words[0].text, None if cmd.dyn[:1] == [True] else ctx.cwd)
        if entry == guardentry.HOOK:
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{words[0].text} is agentguard's hook entry; {guardentry.NOTE}")
        elif cmd.dyn and cmd.dyn[0]:
            cmd.classes.add("opaque")
            cmd.notes.append("program name from an expansion")
            if entry == guardentry.CLI:
                _guard_cli(ctx, ctx.args)
        elif entry == guardentry.CLI:
            _guard_cli(ctx, ctx.args)
        else:
            handler = _PROGRAMS.get(name)
            if handler is None and name[:6] == "python":
                handler = _python
            if handler is not None:
                handler(ctx)
            elif name in READ_ONLY:
                ctx.cls("read-only")
                if name == "tree":
                    # tree -o FILE writes its listing (grep -o, by contrast, takes no value:
                    # read-only programs are not scanned for output options in general).
                    _output_options(ctx)
            else:
                _output_options(ctx)
            if name in _READERS:
                _reads(ctx, name)
            if name in AGENT_CLIS:
                _agent_cli(ctx)
            if name not in _NAMES_ONLY:
                _operand_reads(ctx)
        for w in words:
            if w.dynamic and "$(<" in w.text:
                _read_substitutions(ctx, w.text)
    elif not cmd.redirects and cmd.assigns and not cmd.classes & {"guard-tamper", "opaque"}:
        # A bare ``X=1`` sets a shell variable; nothing runs.
        cmd.classes.add("read-only")
    ctx.finish()
    for path in cmd.reads:
        if path.startswith("/proc/") and path.endswith("/environ"):
            cmd.classes.update(("env-dump", "secret-read"))
    _environment_reads(cmd, words)
    mark_privilege(cmd)
    # A command that writes, deletes or does anything riskier is not read-only.
    if cmd.classes - {"read-only", "secret-read", "env-dump"}:
        cmd.classes.discard("read-only")


def privilege_wrapper(cmd: SimpleCommand) -> str | None:
    """The privilege wrapper ``cmd`` runs through (``sudo``, ``doas``, ``su -c`` …): the
    program itself or any wrapper of its chain (``env``, ``bash -c``, ``xargs`` …)."""
    if cmd.program in PRIVILEGE:
        return cmd.program
    for layer in cmd.via:
        name = layer.split(" ", 1)[0]
        if name in PRIVILEGE:
            return name
    return None


def mark_privilege(cmd: SimpleCommand) -> None:
    """Add ``privilege`` (and a note naming the wrapper) when ``cmd`` runs through one."""
    wrapper = privilege_wrapper(cmd)
    if wrapper is not None and "privilege" not in cmd.classes:
        cmd.classes.add("privilege")
        cmd.notes.append(f"runs as another user through {wrapper}")


# ``$NAME`` and ``${NAME…}`` (not ``${!NAME}``, ``${#NAME}``: a name list, a length).
_EXPANSION = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
# A process's environment file under a name the guard cannot resolve (/proc/$PPID/…).
_PROC_ENVIRON = re.compile(r"/proc/[^/\s]+/(?:task/[^/\s]+/)?environ(?![\w.-])")
# jq's ``env`` builtin and ``$ENV`` are the whole environment (``.env`` is a field).
_JQ_ENV = re.compile(r"\$ENV\b|(?<![\w$.])env\b")
_DECLARERS = _w("declare typeset export readonly local")


def _environment_reads(cmd: SimpleCommand, words: Sequence[Word]) -> None:
    """Reads of the environment that do not say ``env``: an expanded secret variable
    (``echo $CLAUDE_CODE_MESSAGING_TOKEN``), ``declare -p SECRET``, a /proc environ file
    under a dynamic name, jq's ``env``, awk's ``ENVIRON`` and ``ps e``."""
    found: list[str] = []
    expanded = [w.text for w in words if w.dynamic]
    expanded += [r.target.text for r in cmd.redirects if r.target.dynamic]
    expanded += list(cmd.assigns.values())
    names = {n for text in expanded if "$" in text for n in _EXPANSION.findall(text)}
    secrets = sorted(n for n in names if secret_var(n))
    if secrets:
        shown = ", ".join(f"${n}" for n in secrets)
        found.append(f"expands {shown}, which holds a credential")
    program = cmd.program if words else ""
    args = [w.text for w in words[1:]]
    if program in _DECLARERS and any(
        a.startswith("-") and not a.startswith("--") and "p" in a for a in args
    ):
        printed = [a for a in args if not a.startswith(("-", "+")) and secret_var(a)]
        if printed:
            found.append(f"{program} -p prints {', '.join(printed)}, which holds a credential")
    texts = [w.text for w in words] + [r.target.text for r in cmd.redirects]
    if any(_PROC_ENVIRON.search(t) for t in texts if "environ" in t):
        found.append("reads a process's environment file")
    if program == "jq" and any(_JQ_ENV.search(a) for a in args if "env" in a.lower()):
        found.append("jq's env and $ENV hold the environment")
    if program in ("awk", "gawk", "mawk", "nawk") and any("ENVIRON" in a for a in args):
        found.append("awk's ENVIRON holds the environment")
    if program == "ps":
        # BSD-style ``ps e``/``ps auxe`` appends each process's environment; ``-e`` (all
        # processes) and an option's value (``-u eve``) are something else.
        previous = ""
        for a in args:
            if a.isalpha() and "e" in a and not previous.startswith("-"):
                found.append("ps e prints each process's environment")
                break
            previous = a
    if found:
        cmd.classes.update(("env-dump", "secret-read"))
        cmd.notes.extend(found)


# Programs that take file names only as names: they never print a file's content.
_NAMES_ONLY = _w(
    "echo printf ls stat test [ [[ touch mkdir rmdir basename dirname realpath readlink "
    "which type command true false cd pushd popd rm unlink chmod chown chgrp du find fd "
    "fdfind tree mkfifo mknod shred truncate sleep kill wait exit return export declare "
    "typeset local readonly set unset ln cp mv install tee sudo doas git"
)


def _operand_reads(ctx: _Ctx) -> None:
    """Every operand naming an existing file is read, unless it is already a target.

    A program the guard has no table for (``sdiff .env x``, ``pr .env``) may print what
    it reads; naming a protected file must not pass silently for want of a table.
    """
    root = ctx.cwd
    if root is None:
        return
    named = {w.text for _, w, _ in ctx.pending}
    for w in ctx.args:
        text = w.text
        if w.dynamic or w.glob or not text or text in named:
            continue
        if text[0] == "-":
            # ``--env-file=.env``, ``--input=.env``: an attached value naming a file.
            text = text.partition("=")[2]
            if not text or text in named:
                continue
        if text in _NULL_TARGETS or text.startswith("/proc/self/fd"):
            continue
        if os.path.isfile(os.path.join(root, text)):
            named.add(text)
            ctx.add("read", Word(text))


def _read_substitutions(ctx: _Ctx, text: str) -> None:
    """``$(<FILE)`` reads FILE into the line, like ``$(cat FILE)``."""
    start = text.find("$(<")
    while start >= 0:
        end = text.find(")", start)
        name = text[start + 3 : end if end >= 0 else len(text)].strip().strip("'\"")
        if name:
            ctx.add("read", Word(name, "$" in name or "`" in name))
        start = text.find("$(<", start + 3)


# -- families -----------------------------------------------------------------------
def _reads(ctx: _Ctx, name: str) -> None:
    value_opts, first_is_pattern = _READERS[name]
    ops, opts = operands(ctx.args, value_opts | _PATTERN_OPTS)
    if first_is_pattern and not _opt_values(opts, *_PATTERN_OPTS) and ops:
        ops = ops[1:]
    if name == "jq":
        for opt, value in opts:
            if opt in ("--slurpfile", "--rawfile"):
                ctx.cmd.notes.append(f"{opt} reads a file")
            del value
        ops = [w for w in ops if not w.text.startswith("{") and w.text != "."]
    if name == "uniq" and len(ops) > 1:
        ctx.cls("file-write")
        ctx.add("write", ops[1])
        ops = ops[:1]
    if name == "xxd" and len(ops) > 1:
        ctx.cls("file-write")
        ctx.add("write", ops[1])
        ops = ops[:1]
    for value in _opt_values(opts, "-f", "--file"):
        ctx.add("read", value)
    for w in ops:
        ctx.add("read", w)
    if name == "sort":
        for value in _opt_values(opts, "-o", "--output"):
            ctx.cls("file-write")
            ctx.add("write", value)
    if name in ("source", "."):
        ctx.cls("opaque")
        ctx.cmd.notes.append("runs a script in the current shell")
        if ops and guardentry.script(ops[0].text, None if ops[0].dynamic else ctx.cwd):
            ctx.cls("guard-tamper")
            ctx.cmd.notes.append(f"{ops[0].text} is agentguard's hook entry; {guardentry.NOTE}")


def _writes_all(value_opts: frozenset[str] = _F()) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        ops, opts = operands(ctx.args, value_opts)
        ctx.cls("file-write")
        for w in ops:
            ctx.add("write", w)
        for value in _opt_values(opts, "-r", "--reference"):
            ctx.add("read", value)

    return handler


def _find(ctx: _Ctx) -> None:
    roots: list[Word] = []
    for w in ctx.args:
        if w.text.startswith(("-", "(", "!", ")")):
            break
        roots.append(w)
    roots = roots or [Word(".")]
    ctx.cls("read-only")
    args = ctx.args
    for i, w in enumerate(args):
        if w.text == "-delete":
            ctx.cls("file-delete")
            for root in roots:
                ctx.add("delete", root)
        elif w.text in ("-fprint", "-fprint0", "-fls", "-fprintf") and i + 1 < len(args):
            ctx.cls("file-write")
            ctx.add("write", args[i + 1])


def _tee(ctx: _Ctx) -> None:
    ops, _ = operands(ctx.args)
    if ops:
        ctx.cls("file-write")
    for w in ops:
        ctx.add("write", w)


def _copy_like(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    value_opts = _F(
        (
            "-t",
            "--target-directory",
            "-S",
            "--suffix",
            "-m",
            "--mode",
            "-o",
            "--owner",
            "-g",
            "--group",
        )
    )
    ops, opts = operands(ctx.args, value_opts)
    target_dir = _opt_values(opts, "-t", "--target-directory")
    ctx.cls("file-write")
    if name == "install" and _has_short(opts, "d", "--directory"):
        for w in ops:
            ctx.add("write", w)
        return
    if target_dir:
        sources, dests = ops, target_dir
    elif name in ("ln", "link") and len(ops) == 1:
        sources, dests = ops, [Word(os.path.basename(ops[0].text.rstrip("/")) or ".")]
    else:
        sources, dests = ops[:-1], ops[-1:]
    for w in sources:
        ctx.add("delete" if name == "mv" else "read", w)
        if name == "mv":
            ctx.add("read", w)
    for w in dests:
        ctx.add("write", w)
    if name == "mv" and sources:
        ctx.cls("file-delete")
    symbolic = (name == "ln" and _has_short(opts, "s", "--symbolic")) or (
        name == "cp" and _has_short(opts, "s", "--symbolic-link")
    )
    hard = not symbolic and (
        name in ("ln", "link") or (name == "cp" and _has_short(opts, "l", "--link"))
    )
    if symbolic or hard:
        _link_targets(ctx, sources, dests[0] if dests else None, bool(target_dir), symbolic)
    elif (
        name == "cp"
        and dests
        and (
            any(n in ("--archive", "--recursive", "--no-dereference") for n, _ in opts)
            or any(_has_short(opts, letter) for letter in "arRPd")
        )
    ):
        _carries_links(ctx, sources, dests[0])


def _link_targets(
    ctx: _Ctx, targets: list[Word], dest: Word | None, dest_is_dir: bool, symbolic: bool
) -> None:
    """A link's target is written by every later write through the link.

    A relative symbolic target is resolved against the link's folder (that is where
    the kernel resolves it); a hard link's target is an ordinary path.
    """
    folder = ""
    if symbolic and dest is not None and not dest.dynamic:
        root = ctx.cwd or ctx.base
        into_dir = dest_is_dir or len(targets) > 1 or os.path.isdir(os.path.join(root, dest.text))
        folder = dest.text if into_dir else os.path.dirname(dest.text)
    for w in targets:
        text = w.text
        if symbolic and not text.startswith(("/", "~")) and not w.dynamic:
            if ".." in text.split("/") and (dest is None or _outside_worktree(ctx, dest)):
                # Moved into the worktree later, the link points somewhere else.
                ctx.cmd.unresolved.append(("write", f"{text} (a relative link made elsewhere)"))
            text = os.path.join(folder, text) if folder else text
        ctx.add("write", Word(text, w.dynamic or bool(dest and dest.dynamic), w.glob))


def _carries_links(ctx: _Ctx, sources: Sequence[Word | None], dest: Word | None) -> None:
    """A copy or an extraction into the worktree from outside it may carry symbolic
    links, through which later writes land anywhere: the write targets are unknown."""
    if dest is None or _outside_worktree(ctx, dest):
        return
    outside = [w for w in sources if w is None or _outside_worktree(ctx, w)]
    if outside:
        what = outside[0].text if outside[0] is not None else "standard input"
        ctx.cmd.unresolved.append(("write", f"{dest.text} (may carry symbolic links from {what})"))


def _rm(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    ops, opts = operands(ctx.args, _F(("-n", "--iterations", "-s", "--size")))
    if name == "shred" and not _has_short(opts, "u", "--remove"):
        ctx.cls("file-write")
        for w in ops:
            ctx.add("write", w)
        return
    ctx.cls("file-delete")
    for w in ops:
        ctx.add("delete", w)


def _dd(ctx: _Ctx) -> None:
    for w in ctx.args:
        key, eq, value = w.text.partition("=")
        if not eq:
            continue
        if key == "of":
            ctx.cls("file-write")
            ctx.add("write", Word(value, w.dynamic, w.glob))
        elif key == "if":
            ctx.add("read", Word(value, w.dynamic, w.glob))


def _chmod(ctx: _Ctx) -> None:
    ops: list[Word] = []
    reference = False
    for w in ctx.args:
        if w.text in (
            "-R",
            "-v",
            "-c",
            "-f",
            "-h",
            "-H",
            "-L",
            "-P",
            "--recursive",
            "--verbose",
            "--changes",
            "--silent",
            "--quiet",
            "--dereference",
            "--no-dereference",
            "--",
        ):
            continue
        if w.text.startswith("--reference="):
            reference = True
            continue
        ops.append(w)
    ctx.cls("file-write")
    for w in ops if reference else ops[1:]:
        ctx.add("write", w)


def _sed(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args, _F(("-e", "-f", "-l", "--expression", "--file", "--line-length"))
    )
    scripts = _opt_values(opts, "-e", "--expression")
    files = _opt_values(opts, "-f", "--file")
    if not scripts and not files and ops:
        scripts, ops = [ops[0]], ops[1:]
    in_place = any(
        name == "--in-place" or (not name.startswith("--") and "i" in name[1:]) for name, _ in opts
    )
    for w in ops:
        ctx.add("write" if in_place else "read", w)
        if in_place:
            ctx.add("read", w)
    if in_place:
        ctx.cls("file-write")
    else:
        ctx.cls("read-only")
    for w in files:
        ctx.add("read", w)
        ctx.cls("opaque")
        ctx.cmd.notes.append("sed script from a file")
    for script in scripts:
        runs, writes, reads = sed_script(script.text)
        if runs or script.dynamic:
            ctx.cls("opaque")
            ctx.cmd.notes.append("sed script runs commands (e) or cannot be read")
        for name in reads:
            ctx.add("read", Word(name))
        for name in writes:
            ctx.cls("file-write", "opaque")
            ctx.cmd.notes.append(f"sed script writes {name}")
            ctx.add("write", Word(name))


_SED_SIMPLE = frozenset("=dDgGhHlLnNpPqQxzF}{#")


def sed_script(script: str) -> tuple[bool, list[str], list[str]]:
    """``(runs code, files written, files read)`` of a sed script (GNU syntax).

    A small parser rather than a pattern: ``w`` hides as ``wFILE``, as an ``s`` flag
    after any delimiter (``s|x|y|w FILE``) and after addresses; an ``e`` command or
    flag runs a shell command. Anything it does not understand counts as running code.
    """
    writes: list[str] = []
    reads: list[str] = []
    i, n = 0, len(script)

    def to_eol(k: int) -> tuple[str, int]:
        end = script.find("\n", k)
        end = n if end < 0 else end
        return script[k:end].strip(), end

    def delimited(k: int, delim: str) -> int:
        # Index after the closing ``delim``; backslash escapes the next character.
        while k < n:
            c = script[k]
            if c == "\\":
                k += 2
                continue
            if c == delim:
                return k + 1
            k += 1
        return -1

    while i < n:
        c = script[i]
        if c in " \t\n;}{!":
            i += 1
            continue
        # Addresses: numbers, $, /re/, \cREc, first~step, +N, ~N, separated by ``,``.
        while i < n and script[i] in "0123456789$,~+/\\ \t!":
            c = script[i]
            if c == "/":
                i = delimited(i + 1, "/")
            elif c == "\\" and i + 1 < n:
                i = delimited(i + 2, script[i + 1])
            else:
                i += 1
            if i < 0:
                return True, writes, reads
            while i < n and script[i] in "IM":
                i += 1
        if i >= n:
            break
        c = script[i]
        i += 1
        if c in _SED_SIMPLE:
            if c in "qQlL":
                while i < n and script[i] in "0123456789 ":
                    i += 1
            continue
        if c in "aic":
            _, i = to_eol(i)
        elif c in "btT:v":
            while i < n and script[i] not in ";\n}":
                i += 1
        elif c in "rRwW":
            name, i = to_eol(i)
            (reads if c in "rR" else writes).append(name)
        elif c == "e":
            return True, writes, reads
        elif c in "sy":
            if i >= n or script[i] in "\\\n":
                return True, writes, reads
            delim = script[i]
            i = delimited(i + 1, delim)
            i = delimited(i, delim) if i >= 0 else -1
            if i < 0:
                return True, writes, reads
            while c == "s" and i < n and script[i] not in ";\n}":
                flag = script[i]
                if flag == "e":
                    return True, writes, reads
                if flag in "wW":
                    name, i = to_eol(i + 1)
                    writes.append(name)
                    break
                if flag not in "gpiImM0123456789 \t":
                    return True, writes, reads
                i += 1
        else:
            return True, writes, reads
    return False, [w for w in writes if w not in _NULL_TARGETS], reads


def _awk(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args,
        _F(("-F", "-v", "-f", "-i", "--field-separator", "--assign", "--file", "--include")),
    )
    programs = _opt_values(opts, "-f", "--file")
    if programs:
        ctx.cls("opaque")
        ctx.cmd.notes.append("awk program from a file")
    elif ops:
        program, ops = ops[0], ops[1:]
        text = program.text
        if program.dynamic or "system" in text or "|" in text or ">" in text or "getline" in text:
            ctx.cls("opaque")
            ctx.cmd.notes.append("awk program runs commands or writes files")
    in_place = any(v.text == "inplace" for v in _opt_values(opts, "-i", "--include"))
    for w in ops:
        if "=" in w.text and not w.text.startswith(("/", ".")):
            continue
        ctx.add("read", w)
        if in_place:
            ctx.add("write", w)
    if in_place:
        ctx.cls("file-write")
    elif "opaque" not in ctx.cmd.classes:
        ctx.cls("read-only")


def _perl(ctx: _Ctx) -> None:
    ops, opts = operands(ctx.args, _F(("-e", "-E", "-M", "-m", "-I", "-x", "-0", "-l")))
    code = _opt_values(opts, "-e", "-E")
    in_place = any(not n.startswith("--") and "i" in n[1:] for n, _ in opts)
    if not code and any(not n.startswith("--") and ("e" in n[1:] or "E" in n[1:]) for n, _ in opts):
        code = [Word("")]
        # ``-pie 's/…/'``: the code is the first operand.
        if ops:
            ops = ops[1:]
    if code:
        ctx.cls("opaque")
        ctx.cmd.notes.append("perl runs inline code")
    elif ops:
        _script_file(ctx, ops[0])
        ops = ops[1:]
    else:
        _script_file(ctx, None)
    for w in ops:
        ctx.add("write" if in_place else "read", w)
    if in_place:
        ctx.cls("file-write")


def _agent_cli(ctx: _Ctx) -> None:
    cmd = ctx.cmd
    changed = [n for n in cmd.assigns if n in _AGENT_CONFIG_VARS]
    flags = [
        w.text
        for w in ctx.args
        if w.text.split("=", 1)[0] in _AGENT_TAMPER_FLAGS
        or w.text in ("--permission-mode=bypassPermissions",)
    ]
    args = [w.text for w in ctx.args]
    for i, text in enumerate(args[:-1]):
        if text == "--permission-mode" and args[i + 1] in ("bypassPermissions", "acceptEdits"):
            flags.append(f"{text} {args[i + 1]}")
        if cmd.program == "codex" and text in ("-c", "--config", "-s", "--sandbox"):
            flags.append(f"{text} {args[i + 1]}")
        if cmd.program == "gemini" and text in ("-y",):
            flags.append(text)
    if changed or flags:
        cmd.classes.add("guard-tamper")
        cmd.notes.append(
            f"starts {cmd.program} with a changed configuration: " + ", ".join(changed + flags)
        )
    else:
        cmd.notes.append(f"starts another agent: {cmd.program}")


def _export(ctx: _Ctx) -> None:
    cmd = ctx.cmd
    args = [w.text for w in ctx.args]
    names = [a.split("=", 1)[0] for a in args if not a.startswith("-")]
    dumps = not args if cmd.program == "set" else not names
    if dumps and cmd.program in ("export", "declare", "typeset", "readonly", "set"):
        cmd.classes.update(("env-dump", "secret-read"))
        return
    if cmd.program == "set" and names:
        cmd.classes.add("read-only")
        return
    if cmd.program not in ("unset", "set"):
        _flag_code_vars(
            cmd,
            (
                (a.split("=", 1)[0], a.split("=", 1)[1] if "=" in a else None)
                for a in args
                if not a.startswith(("-", "+"))
            ),
        )
    for name in names:
        if name.upper().startswith(_TAMPER_VARS):
            cmd.classes.add("guard-tamper")
            cmd.notes.append(f"{cmd.program} {name}")
    if not cmd.classes & {"guard-tamper", "opaque"}:
        cmd.classes.add("read-only")


def _printenv(ctx: _Ctx) -> None:
    ctx.cls("env-dump", "secret-read")


def _tar(ctx: _Ctx) -> None:
    args = ctx.args
    mode = ""
    archive: Word | None = None
    directory: Word | None = None
    lists: list[Word | None] = []
    ops: list[Word] = []
    i = 0
    while i < len(args):
        text = args[i].text
        if i == 0 and not text.startswith("-") and text.isalpha():
            text = "-" + text  # old style: ``tar czf out.tgz …``
        if text.startswith("--"):
            key, eq, value = text.partition("=")
            if key == "--file":
                archive = Word(value) if eq else (args[i + 1] if i + 1 < len(args) else None)
                i += 1 if eq else 2
                continue
            if key == "--directory":
                directory = Word(value) if eq else (args[i + 1] if i + 1 < len(args) else None)
                i += 1 if eq else 2
                continue
            if key == "--files-from":
                lists.append(Word(value) if eq else (args[i + 1] if i + 1 < len(args) else None))
                i += 1 if eq else 2
                continue
            for long, m in (
                ("--extract", "x"),
                ("--get", "x"),
                ("--create", "c"),
                ("--list", "t"),
                ("--append", "r"),
                ("--update", "u"),
            ):
                if key == long:
                    mode = m
            i += 1
            continue
        if text.startswith("-") and len(text) > 1:
            letters = text[1:]
            for m in "xctru":
                if m in letters:
                    mode = mode or m
            if "C" in letters and i + 1 < len(args):
                directory = args[i + 1]
                i += 1
            if "T" in letters:
                if letters.endswith("T"):
                    lists.append(args[i + 1] if i + 1 < len(args) else None)
                    i += 1
                else:
                    lists.append(Word(letters.split("T", 1)[1]))
            if "f" in letters:
                if letters.endswith("f") and i + 1 < len(args):
                    archive = args[i + 1]
                    i += 1
                elif not letters.endswith("f"):
                    archive = Word(letters.split("f", 1)[1])
            i += 1
            continue
        ops.append(args[i])
        i += 1
    _tar_opaque(ctx)
    for names in lists:
        _names_from(ctx, names)
    if mode == "x":
        ctx.cls("file-write")
        ctx.add("write", directory or Word("."))
        if archive is not None:
            ctx.add("read", archive)
        _carries_links(
            ctx,
            [archive if archive is None or archive.text != "-" else None],
            directory or Word("."),
        )
    elif mode in ("c", "r", "u"):
        ctx.cls("file-write")
        if archive is not None:
            ctx.add("write", archive)
        for w in ops:
            ctx.add("read", w)
    else:
        ctx.cls("read-only")
        if archive is not None:
            ctx.add("read", archive)


def _archive_tool(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    ops, opts = operands(ctx.args, _F(("-d", "-x", "-i", "-P", "-S", "--suffix")))
    if name == "unzip":
        if _has_short(opts, "l") or _has_short(opts, "t") or _has_short(opts, "p"):
            ctx.cls("read-only")
            return
        ctx.cls("file-write")
        dest = _opt_values(opts, "-d")
        ctx.add("write", dest[0] if dest else Word("."))
        for w in ops[:1]:
            ctx.add("read", w)
        _carries_links(ctx, ops[:1] or [None], dest[0] if dest else Word("."))
        return
    if name == "zip":
        if any("@" in n for n, _ in opts if not n.startswith("--")) or any(
            n == "--names-stdin" for n, _ in opts
        ):
            _names_from(ctx, None)
        ctx.cls("file-write")
        for w in ops[:1]:
            ctx.add("write", w)
        for w in ops[1:]:
            ctx.add("read", w)
        return
    # gzip and friends replace each file with its (de)compressed form.
    if _has_short(opts, "c", "--stdout") or _has_short(opts, "l") or _has_short(opts, "t"):
        for w in ops:
            ctx.add("read", w)
        return
    ctx.cls("file-write", "file-delete")
    for w in ops:
        ctx.add("write", w)
        ctx.add("delete", w)


def _patch(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args,
        _F(
            (
                "-p",
                "-i",
                "-o",
                "-d",
                "-r",
                "-B",
                "-D",
                "-F",
                "-V",
                "-z",
                "--input",
                "--output",
                "--directory",
                "--strip",
            )
        ),
    )
    ctx.cls("file-write")
    strip = 0
    for value in _opt_values(opts, "-p", "--strip"):
        strip = int(value.text) if value.text.isdigit() else 0
    patchfile: Word | None = None
    inputs = _opt_values(opts, "-i", "--input")
    if inputs:
        patchfile = inputs[0]
    elif len(ops) >= 2:
        patchfile = ops[1]
    else:
        for redirect in ctx.cmd.redirects:
            if redirect.op == "<":
                patchfile = redirect.target
    for value in _opt_values(opts, "-o", "--output"):
        ctx.add("write", value)
        return
    if ops:
        ctx.add("write", ops[0])
        return
    _patch_targets(ctx, patchfile, strip)


def _patch_targets(ctx: _Ctx, patchfile: Word | None, strip: int, root: str | None = None) -> None:
    """Write targets named by a unified diff (``+++ b/path``), read from the patch file."""
    if patchfile is not None and not patchfile.dynamic:
        path = os.path.join(ctx.cwd or ctx.base, patchfile.text)
        ctx.add("read", patchfile)
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read(1 << 20).splitlines()
        except OSError:
            lines = None
        if lines is not None:
            found = False
            for line in lines:
                if line.startswith(("+++ ", "--- ", "rename to ", "rename from ")):
                    name = line.split(" ", 2)[-1] if line.startswith("rename") else line[4:]
                    name = name.split("\t", 1)[0].strip()
                    if name == "/dev/null":
                        continue
                    parts = name.split("/")
                    name = "/".join(parts[strip:]) if strip else name
                    if name:
                        found = True
                        saved = ctx.cwd
                        ctx.cwd = root or ctx.cwd
                        ctx.add("write", Word(name))
                        ctx.cwd = saved
            if found:
                return
    ctx.cmd.unresolved.append(("write", "(the files named by the patch)"))


def _network(ctx: _Ctx) -> None:
    ctx.cls("network")
    name = ctx.cmd.program
    if name == "curl":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-o",
                    "--output",
                    "-T",
                    "--upload-file",
                    "-d",
                    "--data",
                    "--data-binary",
                    "--data-raw",
                    "--data-urlencode",
                    "-F",
                    "--form",
                    "-K",
                    "--config",
                    "-c",
                    "--cookie-jar",
                    "-D",
                    "--dump-header",
                    "-H",
                    "--header",
                    "-X",
                    "--request",
                    "-u",
                    "--user",
                    "-e",
                    "-A",
                    "-b",
                    "--cookie",
                    "-m",
                    "--max-time",
                    "--output-dir",
                    "-w",
                    "--write-out",
                    "-x",
                    "--proxy",
                    "--connect-timeout",
                    "-r",
                    "--retry",
                    "--cacert",
                    "--cert",
                    "--key",
                    "-E",
                )
            ),
        )
        for value in _opt_values(
            opts, "-o", "--output", "-c", "--cookie-jar", "-D", "--dump-header"
        ):
            ctx.cls("file-write")
            ctx.add("write", value)
        if _has_short(opts, "O", "--remote-name") and ops:
            ctx.cls("file-write")
            url = ops[-1].text.split("?", 1)[0]
            ctx.add(
                "write", Word(url.rstrip("/").rsplit("/", 1)[-1] or "index.html", ops[-1].dynamic)
            )
        for value in _opt_values(opts, "-T", "--upload-file", "-K", "--config"):
            ctx.add("read", value)
        for value in _opt_values(
            opts, "-d", "--data", "--data-binary", "--data-urlencode", "-F", "--form", "--data-raw"
        ):
            text = value.text.split("=", 1)[-1] if value.text[:1] != "@" else value.text
            if text.startswith(("@", "<")):
                ctx.add("read", Word(text[1:], value.dynamic, value.glob))
    elif name == "wget":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-O",
                    "--output-document",
                    "-o",
                    "--output-file",
                    "-P",
                    "--directory-prefix",
                    "-i",
                    "--input-file",
                    "--post-file",
                    "--body-file",
                    "-a",
                    "--append-output",
                    "-U",
                    "--user-agent",
                    "--header",
                    "-t",
                    "-T",
                )
            ),
        )
        outs = _opt_values(
            opts,
            "-O",
            "--output-document",
            "-o",
            "--output-file",
            "-a",
            "--append-output",
            "-P",
            "--directory-prefix",
        )
        for value in outs:
            ctx.add("write", value)
        if not _opt_values(opts, "-O", "--output-document", "-P", "--directory-prefix"):
            for w in ops:
                url = w.text.split("?", 1)[0]
                ctx.add(
                    "write", Word(url.rstrip("/").rsplit("/", 1)[-1] or "index.html", w.dynamic)
                )
        ctx.cls("file-write")
        for value in _opt_values(opts, "-i", "--input-file", "--post-file", "--body-file"):
            ctx.add("read", value)
    elif name in ("scp", "rsync", "sftp"):
        ops, opts = operands(
            ctx.args,
            _RSYNC_VALUE_OPTS
            if name == "rsync"
            else _F(
                (
                    "-e",
                    "--rsh",
                    "-i",
                    "-P",
                    "-p",
                    "-F",
                    "-o",
                    "-c",
                    "-l",
                    "-S",
                    "-J",
                    "--port",
                    "--exclude",
                    "--include",
                    "--filter",
                    "-f",
                    "--timeout",
                    "--password-file",
                    "--files-from",
                    "--exclude-from",
                    "--include-from",
                    "--log-file",
                    "--backup-dir",
                    "--temp-dir",
                    "--partial-dir",
                    "--chmod",
                    "--chown",
                    "-T",
                    "--bwlimit",
                    "--max-size",
                    "--min-size",
                )
            ),
        )
        remote = [w for w in ops if _is_remote(w.text)]
        if name == "rsync" and not remote:
            ctx.cmd.classes.discard("network")
        for value in _opt_values(opts, "--password-file", "-i" if name != "rsync" else ""):
            ctx.add("read", value)
        for value in _opt_values(opts, "--files-from"):
            _names_from(ctx, value)
        for link_dest in _opt_values(opts, "--link-dest"):
            # Unchanged files become hard links into DIR: writing them writes DIR. A
            # relative DIR is relative to the destination folder.
            ctx.cls("file-write")
            dest = ops[-1] if ops and not _is_remote(ops[-1].text) else None
            target = link_dest
            if dest is not None and not link_dest.text.startswith(("/", "~")):
                joined = os.path.join(dest.text, link_dest.text)
                target = Word(joined, link_dest.dynamic or dest.dynamic)
            ctx.add("write", target)
        if (
            name == "rsync"
            and ops
            and not _is_remote(ops[-1].text)
            and (
                any(n in ("--archive", "--links") for n, _ in opts)
                or _has_short(opts, "a")
                or _has_short(opts, "l")
            )
        ):
            _carries_links(ctx, [w for w in ops[:-1] if not _is_remote(w.text)] or [None], ops[-1])
        for value in _opt_values(opts, "--log-file"):
            ctx.add("write", value)
        if ops and not _is_remote(ops[-1].text):
            ctx.cls("file-write")
            ctx.add("write", ops[-1])
            if name == "rsync" and any(n.startswith("--delete") for n, _ in opts):
                ctx.cls("file-delete")
                ctx.add("delete", ops[-1])
        for w in ops[:-1]:
            if not _is_remote(w.text):
                ctx.add("read", w)
                if any(n == "--remove-source-files" for n, _ in opts):
                    ctx.cls("file-delete")
                    ctx.add("delete", w)
        for n, value in opts:
            plain_ssh = value.text.split(" ", 1)[0].rsplit("/", 1)[-1] == "ssh"
            if n in ("-e", "--rsh", "--rsync-path") and name == "rsync" and not plain_ssh:
                ctx.cls("opaque")
                ctx.cmd.notes.append(f"rsync {n} {value.text} runs a program")
    elif name == "ssh":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-i",
                    "-F",
                    "-p",
                    "-l",
                    "-o",
                    "-L",
                    "-R",
                    "-D",
                    "-J",
                    "-W",
                    "-b",
                    "-c",
                    "-E",
                    "-e",
                    "-m",
                    "-O",
                    "-Q",
                    "-S",
                    "-w",
                    "-B",
                    "-I",
                )
            ),
        )
        for value in _opt_values(opts, "-i", "-F"):
            ctx.add("read", value)
        if len(ops) > 1:
            ctx.cmd.notes.append("runs a command on a remote host")


# rsync's options that take a separate value (``-l``, ``-p``, ``-P``, ``-c`` … are flags).
_RSYNC_VALUE_OPTS = _w(
    "-e --rsh --rsync-path -f --filter --exclude --include --exclude-from --include-from "
    "--files-from -T --temp-dir --partial-dir --backup-dir --suffix --log-file "
    "--log-file-format --out-format --password-file --chmod --chown --usermap --groupmap "
    "--timeout --contimeout --port --bwlimit --max-size --min-size --max-delete -B "
    "--block-size --link-dest --compare-dest --copy-dest --iconv -M --remote-option "
    "--modify-window -@ --info --debug --address --sockopts --write-batch "
    "--only-write-batch --read-batch --protocol --checksum-seed --compress-choice "
    "--zc --checksum-choice --cc --compress-level --zl --skip-compress --outbuf "
    "--stop-after --stop-at --mkpath-mode"
)


def _is_remote(text: str) -> bool:
    if "://" in text:
        return True
    head = text.split("/", 1)[0]
    return ":" in head and not head.startswith(".")


# -- package managers ---------------------------------------------------------------
_INSTALL_VERBS = {
    "npm": _w(
        "install i in ins inst insta instal isnt isnta isntal isntall add ci "
        "clean-install ic install-clean isntall-clean update up upgrade udpate "
        "uninstall un unlink remove rm r link ln dedupe ddp rebuild rb install-test it "
        "install-ci-test cit init create innit prune"
    ),
    "pnpm": _w(
        "add install i update up upgrade remove rm uninstall un link ln unlink import "
        "fetch rebuild rb prune dedupe install-test it setup create init env"
    ),
    "yarn": _w(
        "add install upgrade up remove upgrade-interactive dedupe link unlink import "
        "create init global"
    ),
    "bun": _w("install i add a remove rm update upgrade link unlink create init pm"),
    "pip": _w("install uninstall"),
    "pipx": _w("install inject upgrade upgrade-all reinstall reinstall-all uninstall run uninject"),
    "uv": _w("add remove sync pip tool python venv init lock"),
    "poetry": _w("add install update remove lock self init new"),
    "cargo": _w("install add remove rm update uninstall"),
    "gem": _w("install update uninstall"),
    "go": _w("get install"),
    "composer": _w("install require update remove upgrade"),
    "conda": _w("install create update remove upgrade env"),
    "mamba": _w("install create update remove upgrade env"),
    "micromamba": _w("install create update remove env"),
    "deno": _w("install add remove uninstall"),
    "brew": _w("install upgrade uninstall remove reinstall tap untap link unlink bundle update"),
    "apt": _w("install remove purge upgrade update dist-upgrade full-upgrade autoremove reinstall"),
    "apt-get": _w(
        "install remove purge upgrade update dist-upgrade autoremove reinstall build-dep source"
    ),
    "aptitude": _w("install remove purge upgrade update safe-upgrade full-upgrade"),
    "dnf": _w("install remove erase upgrade update reinstall downgrade autoremove"),
    "yum": _w("install remove erase upgrade update reinstall downgrade autoremove"),
    "zypper": _w("install in remove rm update up dist-upgrade dup"),
    "apk": _w("add del upgrade update fix"),
    "snap": _w("install remove refresh"),
    "flatpak": _w("install uninstall update"),
    "nix-env": _w("-i -iA --install -e --uninstall -u --upgrade"),
    "dotnet": _w("add restore tool"),
    "bundle": _w("install update add remove"),
    "rustup": _w("install update toolchain component target default"),
}
_PUBLISH_VERBS = {
    "npm": _w("publish unpublish deprecate dist-tag owner access team org token star unstar"),
    "pnpm": _F(("publish",)),
    "yarn": _F(("publish",)),
    "bun": _F(("publish",)),
    "poetry": _F(("publish",)),
    "uv": _F(("publish",)),
    "cargo": _F(("publish", "yank", "owner")),
    "gem": _F(("push", "yank", "owner")),
    "twine": _F(("upload", "register")),
    "deno": _F(("publish", "deploy")),
}
_REGISTRY_VERBS = {
    "npm": _w(
        "view v info show search s se find outdated audit ping whoami login logout "
        "adduser add-user repo docs bugs fund doctor"
    ),
    "pnpm": _w("audit outdated view info search login logout whoami"),
    "yarn": _w("info outdated audit npm search login logout"),
    "pip": _w("download search index wheel"),
    "cargo": _w("fetch search login"),
    "go": _F(("mod",)),
    "gem": _F(("search", "fetch")),
}
_READ_VERBS = {
    "npm": _w(
        "ls list ll la config get prefix root bin help explain why version -v --version query"
    ),
    "pip": _w("list show freeze check --version -V help inspect debug"),
}


def _package(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    if name[:3] == "pip" and name[3:].replace(".", "").isdigit():
        name = "pip"
    args = ctx.args
    if name == "bun" and any(
        w.text in ("-e", "--eval", "-p", "--print") or w.text.startswith(("--eval=", "--print="))
        for w in args
    ):
        ctx.cls("opaque")
        ctx.cmd.notes.append("bun -e runs inline code")
        return
    i = 0
    while i < len(args) and args[i].text.startswith("-") and not args[i].dynamic:
        if name in ("nix-env", "pacman"):
            break
        i += 2 if args[i].text in _PACKAGE_VALUE_OPTS else 1
    verb = args[i].text if i < len(args) else ""
    ctx.cmd.subcommand = verb or None
    if i < len(args) and args[i].dynamic:
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{name} sub-command from an expansion")
        return
    rest = args[i + 1 :]
    later = [w.text for w in rest if not w.text.startswith("-")]
    if name == "go" and verb == "run" and any("@" in t for t in later[:1]):
        ctx.cls("package-install", "network")
        ctx.cmd.notes.append("go run PKG@VERSION downloads and runs a module")
        return
    if (name, verb) in (("pnpm", "self-update"), ("yarn", "set"), ("yarn", "policies")):
        ctx.cls("package-install", "network")
        return
    if name == "npm" and verb in ("config", "c") and _npm_config(ctx, rest):
        return
    if name == "npm" and verb == "set" and _npm_config(ctx, [Word("set"), *rest]):
        return
    if name in ("npm", "pnpm", "yarn") and (
        (verb == "pack" and any(not _local_spec(t) for t in later))
        or (verb == "cache" and later[:1] == ["add"])
    ):
        ctx.cls("network")
        return
    if name == "npm" and verb in ("run", "run-script", "rum", "urn") and later[:1] == ["env"]:
        from agentguard.shell.project import package_scripts

        found = package_scripts(ctx.cwd or ctx.base)
        if found is None or "env" not in found[1]:
            ctx.cls("env-dump", "secret-read")
            ctx.cmd.notes.append("npm run env prints the environment")
            return
    if name == "pip":
        _pip(ctx, args)
        return
    if name == "deno" and verb in ("eval", "repl"):
        ctx.cls("opaque")
        ctx.cmd.notes.append("deno eval runs inline code")
        return
    if name == "deno" and verb == "run":
        script = next((w for w in rest if not w.text.startswith("-")), None)
        if script is not None and (
            _is_remote(script.text) or script.text.startswith(("npm:", "jsr:"))
        ):
            ctx.cls("network", "opaque")
            ctx.cmd.notes.append(f"deno run {script.text} downloads and runs code")
        else:
            _script_file(ctx, script)
        return
    if name == "pacman":
        if any(a.text[:2] in ("-S", "-U", "-R") for a in args):
            ctx.cls("package-install", "network")
        return
    if name == "yarn" and not verb:
        ctx.cls("package-install", "network")
        return
    if name == "uv" and verb == "pip" and i + 1 < len(args):
        if args[i + 1].text in ("install", "uninstall", "sync", "compile"):
            ctx.cls("package-install", "network")
        return
    if name == "uv" and verb == "run":
        return
    if name == "go" and verb == "mod":
        sub = args[i + 1].text if i + 1 < len(args) else ""
        if sub in ("download", "tidy", "vendor", "get"):
            ctx.cls("network")
            if sub == "tidy":
                ctx.cls("file-write")
                ctx.add("write", Word("go.mod"))
        return
    if name == "npm" and verb == "version":
        if i + 1 < len(args) and not args[i + 1].text.startswith("-"):
            ctx.cls("file-write")
            ctx.add("write", Word("package.json"))
        return
    if (
        name == "npm"
        and verb in ("pkg", "set-script")
        and any(a.text in ("set", "delete") for a in args[i + 1 :])
    ):
        ctx.cls("file-write")
        ctx.add("write", Word("package.json"))
        return
    if verb in _PUBLISH_VERBS.get(name, ()):
        ctx.cls("deploy", "network")
        return
    if verb in _INSTALL_VERBS.get(name, ()):
        if name in ("uv", "dotnet") and verb in ("tool", "python", "venv", "init", "lock"):
            sub = args[i + 1].text if i + 1 < len(args) else ""
            if verb == "lock":
                ctx.cls("network")
                return
            if verb in ("venv", "init") or sub in ("list", "dir", "find", "--help"):
                return
            if verb == "tool" and sub == "run":
                return
        if (
            name == "brew"
            and verb == "bundle"
            and i + 1 < len(args)
            and args[i + 1].text in ("check", "list")
        ):
            return
        ctx.cls("package-install", "network")
        return
    if verb in _REGISTRY_VERBS.get(name, ()):
        ctx.cls("network")
        return
    if verb in _READ_VERBS.get(name, ()) or verb in ("--version", "-v", "version", "help"):
        ctx.cls("read-only")


_PACKAGE_VALUE_OPTS = _w(
    "--prefix -C --dir --filter -F --cwd -w --workspace --manifest-path --directory "
    "--registry --userconfig --globalconfig --cache --loglevel --otp --tag --access "
    "--scope --config --modules-folder --cache-folder --global-folder --use-yarnrc "
    "--index-url -i --extra-index-url --target -t --root --python --project"
)


def _local_spec(text: str) -> bool:
    return text.startswith(("./", "../", "/", "~", "file:")) or text in (".", "..")


def _corepack(ctx: _Ctx) -> None:
    if [w.text for w in ctx.args][:1] in (["--version"], ["-v"], ["--help"], ["-h"]):
        ctx.cls("read-only")
        return
    ctx.cls("package-install", "network")
    ctx.cmd.notes.append("corepack installs package managers")


def _pip(ctx: _Ctx, args: list[Word]) -> None:
    verbs = [a.text for a in args if not a.text.startswith("-")]
    verb = verbs[0] if verbs else ""
    if verb in ("install", "uninstall"):
        ctx.cls("package-install", "network")
    elif verb in _REGISTRY_VERBS["pip"]:
        ctx.cls("network")
    elif verb in _READ_VERBS["pip"] or not verb:
        ctx.cls("read-only")


# -- deploys ------------------------------------------------------------------------
_DEPLOY_VERBS: dict[str, frozenset[str]] = {
    "wrangler": _w(
        "deploy publish rollback delete secret versions triggers d1 kv kv:key "
        "kv:namespace kv:bulk r2 queues"
    ),
    "netlify": _w(
        "deploy sites:delete sites:create env:set env:unset functions:deploy link unlink"
    ),
    "ntl": _w("deploy"),
    "fly": _w(
        "deploy launch scale secrets apps machine machines destroy restart volumes "
        "releases ips certs"
    ),
    "flyctl": _w("deploy launch scale secrets apps machine machines destroy restart volumes"),
    "kubectl": _w(
        "apply delete create replace patch scale rollout set edit annotate label "
        "drain cordon uncordon taint run expose autoscale exec cp attach"
    ),
    "oc": _w(
        "apply delete create replace patch scale rollout set edit annotate label "
        "run expose new-app start-build"
    ),
    "terraform": _w("apply destroy import taint untaint state force-unlock workspace"),
    "tofu": _w("apply destroy import taint untaint state force-unlock workspace"),
    "terragrunt": _w("apply destroy import run-all taint state"),
    "pulumi": _w("up update destroy refresh import cancel stack config"),
    "helm": _w("install upgrade uninstall delete rollback push"),
    "serverless": _w("deploy remove rollback"),
    "sls": _w("deploy remove rollback"),
    "cdk": _w("deploy destroy bootstrap"),
    "sam": _w("deploy delete sync"),
    "railway": _w("up deploy redeploy down delete"),
    "surge": _F(),
    "heroku": _w(
        "create destroy deploy releases:rollback config:set config:unset ps:scale "
        "apps:destroy addons:create addons:destroy"
    ),
    "docker": _F(("push",)),
    "podman": _F(("push",)),
    "ansible-playbook": _F(),
    "firebase": _w(
        "deploy hosting:channel:deploy functions:delete firestore:delete "
        "database:set database:push database:update database:remove "
        "hosting:disable"
    ),
    "gh-pages": _F(),
}
# Programs whose every invocation deploys (empty verb set above) unless only asking help.
_DEPLOY_ALWAYS = _F(("surge", "ansible-playbook", "gh-pages"))


def _deploy(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    ops = [w for w in ctx.args if not w.text.startswith("-")]
    flags = [w.text for w in ctx.args if w.text.startswith("-")]
    verb = ops[0].text if ops else ""
    # ``wrangler --env prod deploy``: the guard does not know every tool's value options,
    # so the word after a bare flag may be its value; the verb may be the next word.
    bare = [
        w
        for j, w in enumerate(ctx.args)
        if not w.text.startswith("-")
        and not (j and ctx.args[j - 1].text.startswith("-") and "=" not in ctx.args[j - 1].text)
    ]
    verbs = _DEPLOY_VERBS.get(name, _F())
    if verb not in verbs and bare and bare[0].text in verbs:
        ops = bare
        verb = ops[0].text
    if (
        name == "wrangler"
        and verb == "pages"
        and any(w.text in ("deploy", "publish") for w in ops[1:])
    ):
        ctx.cmd.subcommand = verb
        ctx.cls("deploy", "network")
        return
    ctx.cmd.subcommand = verb or None
    if "--help" in flags or "-h" in flags or verb == "help" or "--version" in flags:
        ctx.cls("read-only")
        return
    if ops and ops[0].dynamic:
        ctx.cls("opaque")
        return
    if name in ("vercel", "vc"):
        if (
            not verb
            or verb
            in (
                "deploy",
                "promote",
                "redeploy",
                "rollback",
                "alias",
                "remove",
                "rm",
                "domains",
                "dns",
                "secrets",
                "certs",
            )
            or "--prod" in flags
        ):
            ctx.cls("deploy", "network")
        else:
            ctx.cls("network")
        return
    if name in _DEPLOY_ALWAYS:
        ctx.cls("deploy", "network")
        return
    if name == "wrangler" and verb == "pages" and len(ops) > 1:
        if ops[1].text in ("deploy", "publish"):
            ctx.cls("deploy", "network")
        return
    if name == "docker" and verb in ("pull", "login", "search"):
        ctx.cls("network")
        return
    if name in ("docker", "podman") and verb != "push":
        return
    if name in ("aws", "gcloud", "az"):
        words = [w.text for w in ops]
        risky = (
            "create",
            "update",
            "delete",
            "put",
            "deploy",
            "publish",
            "remove",
            "terminate",
            "run-instances",
            "start",
            "stop",
            "reboot",
            "modify",
            "attach",
            "detach",
            "invoke",
            "import",
            "register",
            "deregister",
            "set",
            "add",
            "cp",
            "mv",
            "rm",
            "sync",
            "mb",
            "rb",
            "apply",
            "scale",
            "restart",
            "upload",
            "submit",
            "replace",
            "patch",
            "rollback",
            "enable",
            "disable",
        )
        ctx.cls("network")
        if any(w.split("-", 1)[0] in risky or w in risky for w in words[1:]):
            ctx.cls("deploy")
        return
    if verb in _DEPLOY_VERBS.get(name, ()):
        if (
            name == "terraform"
            and verb == "workspace"
            and len(ops) > 1
            and ops[1].text in ("list", "show", "select")
        ):
            ctx.cls("network")
            return
        ctx.cls("deploy", "network")
        return
    ctx.cls("network")


def _gh(ctx: _Ctx) -> None:
    ops = [w.text for w in ctx.args if not w.text.startswith("-")]
    flags = [w.text for w in ctx.args if w.text.startswith("-")]
    ctx.cls("network")
    if len(ops) < 1:
        return
    group, action = ops[0], ops[1] if len(ops) > 1 else ""
    ctx.cmd.subcommand = group
    if (group, action) in (
        ("release", "create"),
        ("release", "upload"),
        ("release", "delete"),
        ("release", "edit"),
        ("workflow", "run"),
        ("run", "rerun"),
        ("repo", "delete"),
        ("repo", "create"),
        ("repo", "edit"),
        ("repo", "rename"),
        ("repo", "archive"),
        ("secret", "set"),
        ("secret", "delete"),
        ("variable", "set"),
        ("variable", "delete"),
        ("workflow", "enable"),
        ("workflow", "disable"),
    ):
        ctx.cls("deploy")
    elif (group, action) == ("pr", "merge"):
        ctx.cls("merge")
        ctx.cmd.refs.append("(pull request base)")
    elif (group, action) == ("auth", "token") or (group == "auth" and "--show-token" in flags):
        ctx.cls("secret-read")
    elif group == "api":
        method = ""
        for i, f in enumerate(ctx.args):
            if f.text in ("-X", "--method") and i + 1 < len(ctx.args):
                method = ctx.args[i + 1].text.upper()
            elif f.text.startswith(("--method=", "-X")) and len(f.text) > 2:
                method = f.text.split("=", 1)[-1].removeprefix("-X").upper()
        if method in ("POST", "PUT", "PATCH", "DELETE") or any(
            f in ("-f", "-F", "--field", "--raw-field", "--input") for f in flags
        ):
            ctx.cls("deploy")


def _formatter(
    write_flags: tuple[str, ...], default_writes: bool = False, read_flags: tuple[str, ...] = ()
) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        texts = [w.text for w in ctx.args]
        writes = default_writes or any(t.split("=", 1)[0] in write_flags for t in texts)
        if any(t in read_flags for t in texts):
            writes = False
        if ctx.cmd.program == "ruff":
            writes = ("format" in texts and "--check" not in texts and "--diff" not in texts) or (
                "--fix" in texts
            )
        if not writes:
            return
        ctx.cls("file-write")
        ops = [
            w
            for w in ctx.args
            if not w.text.startswith("-") and w.text not in ("format", "check", "lint", "fmt")
        ]
        for w in ops or [Word(".")]:
            ctx.add("write", w)

    return handler


# -- agentguard's own command line ------------------------------------------------------
# Sub-commands that change neither the guard's installation nor its counters, evidence or
# log. ``hook`` is not one: a forged event records evidence and moves counters. ``wrap``
# counts blocks and logs. ``compile`` writes only the policy cache, keyed by the policy's
# content, so it can only write what the next hook call would; ``test`` and ``demo`` run in
# a throwaway state folder; ``doctor`` probes the hook with a harmless Read under its own
# session id, which no agent's session can be credited with.
_GUARD_READ_ONLY = _w(
    "verify logs explain lint test schema compile demo doctor memory metrics"
    " --version --help -h version help"
)


# The sub-command ``agentguard integrate run`` is given: the judge lets only the
# integration owner, on the integration branch, run it.
INTEGRATE_RUN = "agentguard-integrate-run"


def _guard_cli(ctx: _Ctx, args: list[Word]) -> None:
    """``agentguard SUB …``: read-only sub-commands pass, the rest reconfigure the guard."""
    sub = next((w for w in args if not w.text.startswith("-") or w.text in _GUARD_READ_ONLY), None)
    cmd = ctx.cmd
    if sub is not None and sub.dynamic:
        cmd.classes.add("guard-tamper")
        cmd.notes.append("agentguard sub-command from an expansion")
        return
    verb = sub.text if sub is not None else "--help"
    writes_schema = verb == "schema" and any(w.text.startswith("--write") for w in args)
    if verb in _GUARD_READ_ONLY and not writes_schema:
        cmd.classes.add("read-only")
        _guard_cli_output(ctx, args)
        return
    if verb == "integrate" and sub is not None:
        # ``plan`` only reads git; ``run`` merges into the branch checked out, which only
        # the integration owner may do on the integration branch (it refuses anyone else
        # itself too).
        action = next((w for w in args[args.index(sub) + 1 :] if not w.text.startswith("-")), None)
        if action is not None and not action.dynamic and action.text in ("plan", "run"):
            if action.text == "plan":
                cmd.classes.add("read-only")
            else:
                cmd.classes.add("merge")
                cmd.subcommand = INTEGRATE_RUN
            return
    cmd.classes.add("guard-tamper")
    if verb == "hook":
        cmd.notes.append(f"agentguard hook: {guardentry.NOTE}")
    else:
        cmd.notes.append(f"agentguard {verb} changes the guard's installation or state")


def _guard_cli_output(ctx: _Ctx, args: list[Word]) -> None:
    """``--out FILE`` (``logs report``, ``logs export``) writes FILE: judged like any write."""
    for n, w in enumerate(args):
        if w.text == "--out" and n + 1 < len(args):
            target = args[n + 1]
        elif w.text.startswith("--out="):
            target = Word(w.text[len("--out=") :], w.dynamic, w.glob)
        else:
            continue
        ctx.cls("file-write")
        ctx.add("write", target)


# -- code runners -----------------------------------------------------------------------
def _outside_worktree(ctx: _Ctx, w: Word) -> bool:
    """Whether a script file lies outside the agent's worktree (or cannot be placed)."""
    text = w.text
    if w.dynamic or w.glob or text.startswith(("~", "/dev/", "/proc/")) or ctx.cwd is None:
        return True
    from agentguard.git.files import find_worktree

    tree = find_worktree(ctx.base)
    top = os.path.realpath(tree.top if tree is not None else ctx.base)
    path = os.path.realpath(os.path.join(ctx.cwd, text))
    return not (path == top or path.startswith(top + os.sep))


def _script_file(ctx: _Ctx, w: Word | None) -> None:
    """An interpreter runs ``w``: from standard input, outside the worktree, or written
    earlier in the same line is opaque."""
    name = ctx.cmd.program
    if w is None or w.text in ("-", "/dev/stdin"):
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{name} reads its program from standard input")
    elif _outside_worktree(ctx, w):
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{name} runs {w.text}, which is not this worktree's code")
    elif ctx.prior and os.path.normpath(os.path.join(ctx.cwd or ctx.base, w.text)) in (
        written_before(ctx.prior)
    ):
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{name} runs {w.text}, which this line writes first")


def written_before(commands: Iterable[SimpleCommand]) -> set[str]:
    """Every path ``commands`` write (files a later command must not be trusted to run)."""
    out: set[str] = set()
    for cmd in commands:
        out.update(cmd.writes)
    return out


_PY_OPAQUE_MODULES = _w("timeit runpy code pdb trace profile cProfile idlelib IPython pyclbr")


def _python(ctx: _Ctx) -> None:
    args = ctx.args
    i = 0
    while i < len(args):
        text = args[i].text
        if text == "-c" or (
            text.startswith("-")
            and not text.startswith("--")
            and "c" in text[1:]
            and text[1:].replace("c", "").isalpha() is not False
            and text[-1] == "c"
        ):
            ctx.cls("opaque")
            ctx.cmd.notes.append("python -c runs inline code")
            code = args[i + 1] if i + 1 < len(args) else None
            if code is not None and _names_guard(code.text):
                _guard_code(ctx, "python -c")
            return
        if text == "-m" or (text.startswith("-m") and len(text) > 2 and text[1] == "m"):
            module = text[2:] if len(text) > 2 else (args[i + 1].text if i + 1 < len(args) else "")
            rest = args[i + 1 :] if len(text) > 2 else args[i + 2 :]
            root = module.split(".", 1)[0]
            if args[i].dynamic or (len(text) == 2 and i + 1 < len(args) and args[i + 1].dynamic):
                ctx.cls("opaque")
            elif root == "agentguard":
                if guardentry.module(module) == guardentry.CLI:
                    _guard_cli(ctx, rest)
                else:
                    ctx.cls("guard-tamper")
                    ctx.cmd.notes.append(f"python -m {module} runs agentguard's code directly")
            elif module in ("pip", "pip3"):
                _pip(ctx, rest)
            elif module in ("http.server", "SimpleHTTPServer", "smtpd"):
                ctx.cls("network")
            elif module in ("venv", "virtualenv"):
                ctx.cls("file-write")
                for w in [w for w in rest if not w.text.startswith("-")][:1]:
                    ctx.add("write", w)
            elif root in _PY_OPAQUE_MODULES:
                ctx.cls("opaque")
                ctx.cmd.notes.append(f"python -m {module} runs code given to it")
                if any(_names_guard(w.text) for w in rest):
                    _guard_code(ctx, f"python -m {module}")
            return
        if text in ("-W", "-X", "-Q"):
            i += 2
            continue
        if text in ("--version", "-V", "--help", "-h"):
            return
        if text == "-i" or (text[:1] == "-" and text[1:2] != "-" and "i" in text[1:]):
            ctx.cls("opaque")
            ctx.cmd.notes.append("python -i reads code from standard input")
            return
        if text == "-" or not text.startswith("-"):
            entry = guardentry.python_script(text, None if args[i].dynamic else ctx.cwd)
            if entry == guardentry.CLI:
                _guard_cli(ctx, args[i + 1 :])
                if args[i].dynamic:
                    _script_file(ctx, args[i])
            elif entry == guardentry.HOOK:
                ctx.cls("guard-tamper")
                ctx.cmd.notes.append(f"{text} is agentguard's own code; {guardentry.NOTE}")
            else:
                _script_file(ctx, args[i])
            if text == "-":
                _stdin_code(ctx)
            return
        i += 1
    _script_file(ctx, None)
    _stdin_code(ctx)


def _names_guard(code: str) -> bool:
    """Whether inline code names agentguard (``from agentguard.hook.run import main``)."""
    return "agentguard" in code.lower()


def _guard_code(ctx: _Ctx, how: str) -> None:
    ctx.cls("guard-tamper")
    ctx.cmd.notes.append(f"{how} runs code that names agentguard")


def _stdin_code(ctx: _Ctx) -> None:
    """Python reading its program from a literal here-document or here-string."""
    if any(r.op in ("<<", "<<<") and _names_guard(r.target.text) for r in ctx.cmd.redirects):
        _guard_code(ctx, "python reading standard input")


# Per interpreter: flags whose value is code, and flags whose value is a file of code.
_NODE_LOADERS = _F(
    ("-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file-if-exists")
)


def _interpreter(
    flags: frozenset[str], stdin_opaque: bool = True, loaders: frozenset[str] = _F()
) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        args = ctx.args
        name = ctx.cmd.program
        i = 0
        while i < len(args):
            w = args[i]
            text = w.text
            key = text.split("=", 1)[0] if text[:2] == "--" else text
            if text in flags or (key in flags and key != text):
                ctx.cls("opaque")
                ctx.cmd.notes.append(f"{name} {text} runs inline code")
                return
            if key in loaders and key != "--env-file-if-exists":
                ctx.cls("opaque")
                ctx.cmd.notes.append(f"{name} {key} loads code before the program")
                return
            if key in ("--env-file", "--env-file-if-exists"):
                value = text.partition("=")[2] if key != text else ""
                if not value and i + 1 < len(args):
                    value = args[i + 1].text
                    i += 1
                ctx.add("read", Word(value, w.dynamic))
                i += 1
                continue
            if text == "-":
                break
            if not text.startswith("-"):
                _script_file(ctx, w)
                return
            if text in ("--version", "-v", "-V", "--help", "-h"):
                return
            if name in ("node", "nodejs", "bun", "deno") and text == "--test":
                return  # the runtime's test runner: it runs the project's test files
            i += 1
        if stdin_opaque:
            ctx.cls("opaque")
            ctx.cmd.notes.append(f"{name} reads its program from standard input")

    return handler


_EDITOR_CODE = _F(("-c", "--cmd", "-S", "-u", "-U", "-i", "-s", "-W", "-w", "-T"))


def _editor(ctx: _Ctx) -> None:
    """Editors write the files they open; commands given to them run anything."""
    name = ctx.cmd.program
    files: list[Word] = []
    code = name in ("ed", "red", "ex")
    args = ctx.args
    i = 0
    while i < len(args):
        w = args[i]
        text = w.text
        if text == "--":
            files.extend(args[i + 1 :])
            break
        if name in ("emacs", "emacsclient"):
            if text.split("=", 1)[0] in (
                "--eval",
                "-l",
                "--load",
                "-f",
                "--funcall",
                "--script",
                "-x",
                "--batch",
                "-batch",
                "--exec",
                "-e",
            ):
                code = True
        elif text.startswith("+") and not text[1:].isdigit():
            code = True
        elif text in _EDITOR_CODE and name not in ("nano", "pico"):
            code = True
            i += 2
            continue
        elif (
            text[:1] == "-"
            and name in ("vim", "vi", "nvim", "view", "vimdiff", "gvim")
            and any(c in text[1:] for c in "esE")
        ):
            code = True
        if text[:1] not in ("-", "+"):
            files.append(w)
        i += 1
    if code:
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{name} runs editor commands")
    if files:
        ctx.cls("file-write")
    for w in files:
        ctx.add("write", w)
        ctx.add("read", w)


def _opaque(note: str) -> Callable[[_Ctx], None]:
    def handler(ctx: _Ctx) -> None:
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{ctx.cmd.program} {note}")

    return handler


def _make(ctx: _Ctx) -> None:
    texts = [w.text for w in ctx.args]
    if any(
        t in ("-n", "--dry-run", "--just-print", "--recon", "-q", "--question", "--version", "-v")
        or t == "--help"
        for t in texts
    ):
        ctx.cls("read-only")
        return
    ctx.cls("opaque")
    ctx.cmd.notes.append("make runs the Makefile's recipes")


_CMAKE_WRITES = _w(
    "copy copy_directory copy_directory_if_different copy_if_different make_directory "
    "touch touch_nocreate create_symlink create_hardlink tar"
)
_CMAKE_DELETES = _w("rm remove remove_directory")
_CMAKE_READS = _w(
    "echo echo_append capabilities compare_files md5sum sha1sum sha224sum sha256sum "
    "sha384sum sha512sum cat true false sleep"
)


def _cmake(ctx: _Ctx) -> None:
    texts = [w.text for w in ctx.args]
    if texts[:1] in (["--version"], ["--help"]):
        ctx.cls("read-only")
        return
    if texts[:1] != ["-E"] or len(texts) < 2:
        ctx.cls("opaque")
        ctx.cmd.notes.append("cmake runs the project's CMake code")
        return
    verb = texts[1]
    ops = [w for w in ctx.args[2:] if not w.text.startswith("-")]
    if verb in _CMAKE_READS:
        ctx.cls("read-only")
    elif verb == "environment":
        ctx.cls("env-dump", "secret-read")
    elif verb in _CMAKE_DELETES:
        ctx.cls("file-delete")
        for w in ops:
            ctx.add("delete", w)
    elif verb == "rename" and ops:
        ctx.cls("file-write", "file-delete")
        ctx.add("delete", ops[0])
        for w in ops[1:]:
            ctx.add("write", w)
    elif verb in _CMAKE_WRITES:
        ctx.cls("file-write")
        targets = ops if verb in ("make_directory", "touch", "touch_nocreate") else ops[-1:]
        if verb == "tar":
            targets = ops[1:2]
        for w in targets:
            ctx.add("write", w)
        if verb == "create_symlink" and len(ops) == 2:
            _link_targets(ctx, ops[:1], ops[1], False, True)
        if verb == "create_hardlink":
            ctx.add("write", ops[0])
    else:
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"cmake -E {verb} runs a command")


def _sqlite(ctx: _Ctx) -> None:
    texts = [w.text for w in ctx.args]
    ops = [w for w in ctx.args if not w.text.startswith("-")]
    bodies = [r.target.text for r in ctx.cmd.redirects if r.op in ("<<", "<<<")]
    code = " ".join(texts + bodies)
    if any(d in code for d in (".shell", ".system", ".load", "load_extension", ".output", ".once")):
        ctx.cls("opaque")
        ctx.cmd.notes.append("sqlite3 dot-command runs a program or writes a file")
    elif len(ops) < 2 and not bodies:
        ctx.cls("opaque")
        ctx.cmd.notes.append("sqlite3 reads commands from standard input")
    if any(w.dynamic for w in ctx.args):
        ctx.cls("opaque")
    for w in ops[:1]:
        ctx.cls("file-write")
        ctx.add("write", w)


def _tar_opaque(ctx: _Ctx) -> bool:
    for w in ctx.args:
        key = w.text.split("=", 1)[0]
        if key in (
            "--use-compress-program",
            "--to-command",
            "--info-script",
            "--new-volume-script",
            "--rsh-command",
            "--rmt-command",
            "--checkpoint-action",
            "-I",
            "-F",
        ) or (key[:1] == "-" and key[1:2] != "-" and ("I" in key or "F" in key)):
            if key == "--checkpoint-action" and "exec" not in w.text:
                continue
            ctx.cls("opaque")
            ctx.cmd.notes.append(f"tar {key} runs a program")
            return True
    return False


def _sort_split(ctx: _Ctx) -> None:
    name = ctx.cmd.program
    for w in ctx.args:
        key = w.text.split("=", 1)[0]
        if (name == "sort" and key == "--compress-program") or (
            name == "split" and key == "--filter"
        ):
            ctx.cls("opaque")
            ctx.cmd.notes.append(f"{name} {key} runs a program")
    if name == "sort":
        ctx.cls("read-only")
    elif name == "split":
        ops, opts = operands(
            ctx.args,
            _F(
                (
                    "-a",
                    "-b",
                    "-C",
                    "-l",
                    "-n",
                    "-t",
                    "--additional-suffix",
                    "--numeric-suffixes",
                    "--hex-suffixes",
                    "--suffix-length",
                    "--bytes",
                    "--line-bytes",
                    "--lines",
                    "--number",
                    "--separator",
                    "--filter",
                )
            ),
        )
        prefix = ops[1] if len(ops) > 1 else Word("x")
        ctx.cls("file-write")
        ctx.add("write", Word(prefix.text + "aa", prefix.dynamic, prefix.glob))
        for w in ops[:1]:
            ctx.add("read", w)
    elif name == "csplit":
        ops, opts = operands(
            ctx.args, _F(("-f", "--prefix", "-b", "--suffix-format", "-n", "--digits"))
        )
        prefixes = _opt_values(opts, "-f", "--prefix") or [Word("xx")]
        ctx.cls("file-write")
        ctx.add("write", Word(prefixes[0].text + "00", prefixes[0].dynamic))
        for w in ops[:1]:
            ctx.add("read", w)


def _docker(ctx: _Ctx) -> None:
    ops = [w.text for w in ctx.args if not w.text.startswith("-")]
    if ops and ops[0] in ("run", "exec", "create", "start", "compose", "build", "buildx"):
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"{ctx.cmd.program} {ops[0]} runs code in a container")
        return
    if ops[:2] in (["container", "run"], ["container", "exec"], ["container", "create"]):
        ctx.cls("opaque")
        return
    _deploy(ctx)


# -- writes the tables above do not see ---------------------------------------------------
def _cpio(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args, _F(("-D", "--directory", "-F", "--file", "-O", "-I", "-H", "--format", "-R"))
    )
    names = {n for n, _ in opts}
    archive = _opt_values(opts, "-F", "--file", "-I", "-O")
    folder = _opt_values(opts, "-D", "--directory")
    mode = next((m for n in names for m in "iop" if not n.startswith("--") and m in n[1:]), "") or {
        "--extract": "i",
        "--create": "o",
        "--pass-through": "p",
    }.get(next((n for n in names if n in ("--extract", "--create", "--pass-through")), ""), "")
    if mode == "i":
        if _has_short(opts, "t", "--list"):
            ctx.cls("read-only")
            return
        ctx.cls("file-write")
        ctx.add("write", folder[0] if folder else Word("."))
        ctx.cmd.unresolved.append(("write", "(the files named in the archive)"))
        for w in archive:
            ctx.add("read", w)
    elif mode == "p":
        ctx.cls("file-write")
        for w in ops[:1] or folder:
            ctx.add("write", w)
        _names_from(ctx, None)
        if _has_short(opts, "l", "--link"):
            # Hard links to unnamed files: writing through them writes those files.
            ctx.cmd.unresolved.append(("write", "(hard links to the files named on stdin)"))
    elif mode == "o":
        for w in archive:
            ctx.cls("file-write")
            ctx.add("write", w)
        _names_from(ctx, None)


def _names_from(ctx: _Ctx, names: Word | None) -> None:
    """The program copies the contents of files named in a list (``None`` or ``-``:
    standard input): what it reads cannot be established before it runs."""
    if names is not None and names.text not in ("-", "/dev/stdin"):
        ctx.add("read", names)
        where = names.text
    else:
        where = "standard input"
    ctx.cmd.unresolved.append(("read", f"(the files named on {where})"))
    ctx.cls("opaque")
    ctx.cmd.notes.append(f"{ctx.cmd.program} copies the files named on {where}")


# ``-o json``, ``--output yaml``: an output format, not a file.
_FORMAT_WORDS = _w(
    "json yaml yml wide name text table tsv csv raw none pretty short verbose cat export "
    "json-pretty jsonl ndjson xml html markdown md plain"
)


def _output_options(ctx: _Ctx) -> None:
    """A program the guard has no table for: ``-o FILE``, ``-oFILE``, ``--output FILE``
    and ``--output=FILE`` name the file it writes (``-o`` only when the value looks like
    a path, since many programs take ``-o`` for an option or a format)."""
    args = ctx.args
    for i, w in enumerate(args):
        text = w.text
        value: Word | None = None
        long = False
        if text in ("-o", "--output", "--outfile", "--output-file", "--out-file"):
            value = args[i + 1] if i + 1 < len(args) else None
            long = text != "-o"
        elif text.startswith(("--output=", "--outfile=", "--output-file=", "--out-file=")):
            value = Word(text.partition("=")[2], w.dynamic, w.glob)
            long = True
        elif text.startswith("-o") and len(text) > 2 and not text.startswith("--"):
            value = Word(text[2:], w.dynamic, w.glob)
        elif text == "--":
            return
        if value is None or not value.text or value.text in _FORMAT_WORDS:
            continue
        vt = value.text
        if any(c in vt for c in "={,%"):
            continue
        pathlike = "/" in vt or "." in vt or value.dynamic
        if not pathlike and not long:
            root = ctx.cwd or ctx.base
            pathlike = os.path.exists(os.path.join(root, vt))
        if pathlike or long:
            ctx.cls("file-write")
            ctx.add("write", value)


def _output_opt(*names: str) -> Callable[[_Ctx], None]:
    """Programs whose only file output is an option's value (``shuf -o FILE``)."""

    def handler(ctx: _Ctx) -> None:
        for i, w in enumerate(ctx.args):
            text = w.text
            if text in names and i + 1 < len(ctx.args):
                value: Word | None = ctx.args[i + 1]
            elif text[:2] == "--" and text.partition("=")[0] in names and "=" in text:
                value = Word(text.partition("=")[2], w.dynamic, w.glob)
            elif text[:2] in names and len(text) > 2 and text[1] != "-":
                value = Word(text[2:], w.dynamic, w.glob)
            else:
                continue
            if value is not None and value.text:
                ctx.cls("file-write")
                ctx.add("write", value)

    return handler


def _compiler(ctx: _Ctx) -> None:
    """``gcc -o FILE`` writes FILE; without ``-o`` (and ``-c``/``-S``/``-E``) a.out."""
    texts = [w.text for w in ctx.args]
    if any(t in ("--version", "-v", "--help", "-dumpversion", "-dumpmachine") for t in texts):
        ctx.cls("read-only")
        return
    _output_opt("-o")(ctx)
    if not any(t == "-o" or t.startswith("-o") for t in texts) and not any(
        t in ("-c", "-S", "-E", "-M", "-MM", "-fsyntax-only") for t in texts
    ):
        ctx.cls("file-write")
        ctx.add("write", Word("a.out"))


def _mktemp(ctx: _Ctx) -> None:
    """``mktemp -p DIR``/``--tmpdir=DIR`` creates a file in DIR; a template without
    them is relative to the current folder."""
    ops, opts = operands(ctx.args, _F(("-p", "--suffix")))
    folders = _opt_values(opts, "-p", "--tmpdir")
    template = ops[0].text if ops else "tmp.XXXXXXXXXX"
    dynamic = any(w.dynamic for w in ops)
    if folders and folders[0].text:
        target = Word(os.path.join(folders[0].text, template), folders[0].dynamic or dynamic)
    elif ops and not _has_short(opts, "t") and not any(n == "--tmpdir" for n, _ in opts):
        target = Word(template, dynamic)
    else:
        return  # $TMPDIR or /tmp
    ctx.cls("file-write")
    ctx.add("write", target)


def _ssh_keygen(ctx: _Ctx) -> None:
    """``ssh-keygen -f FILE`` writes FILE and FILE.pub unless it only reads a key."""
    ops, opts = operands(
        ctx.args,
        _F(
            (
                "-f",
                "-t",
                "-b",
                "-C",
                "-N",
                "-P",
                "-F",
                "-R",
                "-E",
                "-O",
                "-Z",
                "-a",
                "-m",
                "-n",
                "-I",
                "-V",
                "-z",
                "-s",
                "-h",
                "-w",
                "-Y",
                "-D",
                "-r",
                "-g",
                "-M",
                "-S",
                "-W",
                "-G",
                "-T",
                "-K",
                "-j",
                "-J",
            )
        ),
    )
    del ops
    files = _opt_values(opts, "-f")
    reads_only = any(n in ("-l", "-y", "-B", "-F", "-D", "-e") for n, _ in opts)
    for w in files:
        if reads_only:
            ctx.add("read", w)
        else:
            ctx.cls("file-write")
            ctx.add("write", w)
            ctx.add("write", Word(w.text + ".pub", w.dynamic, w.glob))


def _yq(ctx: _Ctx) -> None:
    """``yq -i EXPR FILE…`` rewrites the files in place."""
    ops, opts = operands(
        ctx.args,
        _F(
            (
                "-I",
                "--indent",
                "-p",
                "--input-format",
                "-o",
                "--output-format",
                "--from-file",
                "--split-exp",
                "-s",
                "--expression",
                "--front-matter",
                "-f",
            )
        ),
    )
    if ops and ops[0].text in ("e", "eval", "ea", "eval-all"):
        ops = ops[1:]
    if ops and not _opt_values(opts, "--from-file", "--expression"):
        ops = ops[1:]
    in_place = any(
        n in ("--inplace", "-i") or (n[:1] == "-" and n[1:2] != "-" and "i" in n[1:])
        for n, _ in opts
    )
    for value in _opt_values(opts, "--from-file"):
        ctx.add("read", value)
    for w in ops:
        ctx.add("read", w)
        if in_place:
            ctx.add("write", w)
    ctx.cls("file-write" if in_place else "read-only")


def _astro(ctx: _Ctx) -> None:
    """``astro add`` installs integrations (package.json, the lockfile, the config)."""
    ops = [w for w in ctx.args if not w.text.startswith("-")]
    if ops and ops[0].text == "add":
        ctx.cls("package-install", "network")


def _mknod(ctx: _Ctx) -> None:
    ops, _ = operands(ctx.args, _F(("-m", "--mode", "-Z", "--context")))
    ctx.cls("file-write")
    for w in ops[:1]:
        ctx.add("write", w)


def _iconv(ctx: _Ctx) -> None:
    ops, opts = operands(ctx.args, _F(("-f", "-t", "-o", "--output", "--from-code", "--to-code")))
    for value in _opt_values(opts, "-o", "--output"):
        ctx.cls("file-write")
        ctx.add("write", value)
    for w in ops:
        ctx.add("read", w)


def _sevenzip(ctx: _Ctx) -> None:
    args = ctx.args
    verb = args[0].text if args else ""
    ops = [w for w in args[1:] if not w.text.startswith("-")]
    outs = [Word(w.text[2:], w.dynamic) for w in args if w.text.startswith("-o") and w.text[2:]]
    if verb in ("x", "e"):
        ctx.cls("file-write")
        ctx.add("write", outs[0] if outs else Word("."))
        for w in ops[:1]:
            ctx.add("read", w)
    elif verb in ("a", "u", "d", "rn"):
        ctx.cls("file-write")
        for w in ops[:1]:
            ctx.add("write", w)
        for w in ops[1:]:
            ctx.add("read" if verb in ("a", "u") else "write", w)
    else:
        ctx.cls("read-only")
        for w in ops[:1]:
            ctx.add("read", w)


def _script_log(ctx: _Ctx) -> None:
    ops, opts = operands(
        ctx.args,
        _F(
            (
                "-c",
                "--command",
                "-E",
                "--echo",
                "-I",
                "-O",
                "-B",
                "-T",
                "--log-in",
                "--log-out",
                "--log-io",
                "--log-timing",
                "-t",
                "--timing",
                "-m",
                "--logging-format",
            )
        ),
    )
    ctx.cls("file-write")
    for value in _opt_values(
        opts, "-I", "-O", "-B", "-T", "--log-in", "--log-out", "--log-io", "--log-timing"
    ):
        ctx.add("write", value)
    ctx.add("write", ops[0] if ops else Word("typescript"))


def _rename(ctx: _Ctx) -> None:
    ops, _ = operands(ctx.args, _F(("-e",)))
    ctx.cls("file-write", "file-delete")
    for w in ops[1:]:
        ctx.add("delete", w)
    ctx.cmd.unresolved.append(("write", "(the renamed files' new names)"))


def _openssl(ctx: _Ctx) -> None:
    args = ctx.args
    verb = args[0].text if args else ""
    if verb in ("s_client", "s_server", "s_time", "ocsp") or any(
        w.text in ("-connect", "-proxy") for w in args
    ):
        ctx.cls("network")
    for i, w in enumerate(args[:-1]):
        value = args[i + 1]
        if w.text in ("-out", "-keyout"):
            ctx.cls("file-write")
            ctx.add("write", value)
        elif w.text in ("-in", "-inkey", "-key", "-pass", "-passin", "-kfile", "-CAfile"):
            if value.text.startswith("file:"):
                value = Word(value.text[5:], value.dynamic)
            if ":" not in value.text:
                ctx.add("read", value)


def _npm_config(ctx: _Ctx, rest: list[Word]) -> bool:
    """``npm config set KEY VALUE`` writes ~/.npmrc; some keys choose code that runs."""
    verbs = [w.text for w in rest if not w.text.startswith("-")]
    if not verbs or verbs[0] not in ("set", "delete", "rm", "edit", "fix"):
        return False
    ctx.cls("file-write")
    location = next(
        (w.text.split("=", 1)[1] for w in rest if w.text.startswith("--location=")), "user"
    )
    if any(w.text in ("-g", "--global") for w in rest) or location == "global":
        ctx.cmd.unresolved.append(("write", "(the global npmrc)"))
    elif location == "project":
        ctx.add("write", Word(".npmrc"))
    else:
        ctx.add("write", Word("~/.npmrc"))
    keys = [v.split("=", 1)[0].lstrip("-").lower() for v in verbs[1:2]]
    risky = (
        "script-shell",
        "node-options",
        "prefix",
        "globalconfig",
        "userconfig",
        "shell",
        "editor",
        "git",
        "browser",
        "viewer",
        "init-module",
        "onload-script",
        "registry",
        "ignore-scripts",
        "node-gyp",
        "npm-path",
    )
    if verbs[0] == "edit" or any(k.replace("_", "-") in risky for k in keys):
        ctx.cls("opaque")
        ctx.cmd.notes.append(f"npm config {' '.join(verbs[:2])} changes what code npm runs")
    return True


from agentguard.shell.programs.git import classify_git  # noqa: E402  (git needs the helpers above)

_PROGRAMS: dict[str, Callable[[_Ctx], None]] = {
    "tee": _tee,
    "cp": _copy_like,
    "mv": _copy_like,
    "install": _copy_like,
    "ln": _copy_like,
    "link": _copy_like,
    "vim": _editor,
    "vi": _editor,
    "nvim": _editor,
    "view": _editor,
    "vimdiff": _editor,
    "gvim": _editor,
    "ex": _editor,
    "ed": _editor,
    "red": _editor,
    "emacs": _editor,
    "emacsclient": _editor,
    "nano": _editor,
    "pico": _editor,
    "make": _make,
    "gmake": _make,
    "cmake": _cmake,
    "sqlite3": _sqlite,
    "parallel": _opaque("runs the commands it is given"),
    "gdb": _interpreter(_F(("-ex", "-x", "--eval-command", "--command", "-iex", "-ix")), False),
    "expect": _interpreter(_F(("-c",))),
    "luajit": _interpreter(_F(("-e",))),
    "docker": _docker,
    "podman": _docker,
    "nerdctl": _docker,
    "cpio": _cpio,
    "mknod": _mknod,
    "iconv": _iconv,
    "7z": _sevenzip,
    "7za": _sevenzip,
    "7zr": _sevenzip,
    "script": _script_log,
    "rename": _rename,
    "prename": _rename,
    "file-rename": _rename,
    "mmv": _rename,
    "split": _sort_split,
    "sort": _sort_split,
    "csplit": _sort_split,
    "openssl": _openssl,
    "corepack": _corepack,
    "touch": _writes_all(_F(("-d", "-r", "-t", "--date", "--reference"))),
    "truncate": _writes_all(_F(("-s", "-r", "--size", "--reference"))),
    "mkdir": _writes_all(_F(("-m", "--mode"))),
    "mkfifo": _writes_all(_F(("-m", "--mode", "-Z", "--context"))),
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "setfacl": _chmod,
    "chattr": _chmod,
    "rm": _rm,
    "rimraf": _rm,
    "find": _find,
    "rmdir": _rm,
    "unlink": _rm,
    "shred": _rm,
    "dd": _dd,
    "sed": _sed,
    "gsed": _sed,
    "awk": _awk,
    "gawk": _awk,
    "mawk": _awk,
    "nawk": _awk,
    "perl": _perl,
    "node": _interpreter(_F(("-e", "-p", "--eval", "--print", "-pe")), True, _NODE_LOADERS),
    "nodejs": _interpreter(_F(("-e", "-p", "--eval", "--print")), True, _NODE_LOADERS),
    "ruby": _interpreter(_F(("-e",))),
    "php": _interpreter(_F(("-r",))),
    "lua": _interpreter(_F(("-e",))),
    "Rscript": _interpreter(_F(("-e",))),
    "julia": _interpreter(_F(("-e", "--eval"))),
    "osascript": _interpreter(_F(("-e",))),
    "pwsh": _interpreter(_F(("-c", "-Command", "-command", "-EncodedCommand"))),
    "powershell": _interpreter(_F(("-c", "-Command", "-command", "-EncodedCommand"))),
    "tclsh": _interpreter(_F(()), True),
    "tsx": _interpreter(_F(("-e", "-p", "--eval", "--print"))),
    "ts-node": _interpreter(_F(("-e", "-p", "--eval", "--print"))),
    "crontab": lambda ctx: ctx.cls("opaque"),
    "at": lambda ctx: ctx.cls("opaque"),
    "batch": lambda ctx: ctx.cls("opaque"),
    "export": _export,
    "declare": _export,
    "typeset": _export,
    "local": _export,
    "readonly": _export,
    "set": _export,
    "unset": _export,
    "printenv": _printenv,
    "compgen": _printenv,
    "tar": _tar,
    "unzip": _archive_tool,
    "zip": _archive_tool,
    "gzip": _archive_tool,
    "gunzip": _archive_tool,
    "bzip2": _archive_tool,
    "bunzip2": _archive_tool,
    "xz": _archive_tool,
    "unxz": _archive_tool,
    "zstd": _archive_tool,
    "patch": _patch,
    "curl": _network,
    "wget": _network,
    "scp": _network,
    "sftp": _network,
    "rsync": _network,
    "ssh": _network,
    "gh": _gh,
    "prettier": _formatter(("--write", "-w")),
    "eslint": _formatter(("--fix",)),
    "black": _formatter((), True, ("--check", "--diff")),
    "isort": _formatter((), True, ("--check", "--check-only", "--diff", "-c")),
    "ruff": _formatter(()),
    "gofmt": _formatter(("-w",)),
    "goimports": _formatter(("-w",)),
    "rustfmt": _formatter((), True, ("--check",)),
    "biome": _formatter(("--write", "--apply", "--fix")),
    "git": classify_git,
}
for _name in (
    "nc",
    "ncat",
    "netcat",
    "telnet",
    "socat",
    "ftp",
    "tftp",
    "lynx",
    "w3m",
    "links",
    "elinks",
    "nmap",
    "axel",
    "httpie",
    "gnutls-cli",
    "http",
    "https",
    "xh",
    "aria2c",
    "ping",
    "dig",
    "nslookup",
    "host",
    "whois",
    "traceroute",
    "mtr",
):
    _PROGRAMS[_name] = _network
for _name in (*_INSTALL_VERBS, "pacman", "pip3", "twine", "npm", "pnpm", "yarn", "bun"):
    _PROGRAMS.setdefault(_name, _package)


def _upgrader(ctx: _Ctx) -> None:
    """Dependency upgraders (npm-check-updates): they query the registry, and with
    ``-u`` rewrite package.json, which is a dependency upgrade."""
    ctx.cls("network")
    args = ctx.args
    if any(a.text in ("-u", "--upgrade") or a.text.startswith("--upgrade=") for a in args):
        ctx.cls("package-install", "file-write")
        ctx.add("write", Word("package.json"))


_PROGRAMS.update(
    {
        "shuf": _output_opt("-o", "--output"),
        "mktemp": _mktemp,
        "fallocate": _writes_all(_F(("-l", "--length", "-o", "--offset"))),
        "ssh-keygen": _ssh_keygen,
        "yq": _yq,
        "astro": _astro,
        "rclone": lambda ctx: ctx.cls("network"),
        "gsutil": lambda ctx: ctx.cls("network"),
        "s3cmd": lambda ctx: ctx.cls("network"),
        "azcopy": lambda ctx: ctx.cls("network"),
    }
)
for _name in ("gcc", "cc", "clang", "g++", "c++", "clang++", "tcc"):
    _PROGRAMS[_name] = _compiler


for _name in ("npm-check-updates", "ncu", "taze"):
    _PROGRAMS[_name] = _upgrader
for _name in (*_DEPLOY_VERBS, "vercel", "vc", "aws", "gcloud", "az"):
    _PROGRAMS.setdefault(_name, _deploy)
