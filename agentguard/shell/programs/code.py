"""Programs that run code: interpreters, editors, build tools, compilers, formatters.

Hot path, loaded only when a line names one of these programs.
"""

from __future__ import annotations

from agentguard.shell import guardentry
from agentguard.shell.effects import (
    Effects,
    fact,
    fact_set,
    link_targets,
    operands,
    option_values,
    script_file,
    stdin_body,
    verb_set,
    write_option_values,
)
from agentguard.shell.model import Word


def _guard_command_line(fx: Effects, args: list[Word]) -> None:
    from agentguard.shell.programs.guard import command_line

    command_line(fx, args)


def python(fx: Effects) -> None:
    """``python``: ``-c`` and code-running ``-m`` modules are opaque; a script must be
    this worktree's."""
    args = fx.args
    i = 0
    while i < len(args):
        text = args[i].text
        if code_option(text):
            code = args[i + 1] if i + 1 < len(args) else None
            if code is None or code.dynamic or _names_guard(code.text):
                fx.cls("opaque")
                fx.cmd.notes.append("python -c runs inline code")
                if code is not None and _names_guard(code.text):
                    _guard_code(fx, "python -c")
                return
            _read_python(fx, code.text, "python -c")
            return
        if text == "-m" or (text.startswith("-m") and len(text) > 2 and text[1] == "m"):
            module = text[2:] if len(text) > 2 else (args[i + 1].text if i + 1 < len(args) else "")
            rest = args[i + 1 :] if len(text) > 2 else args[i + 2 :]
            root = module.split(".", 1)[0]
            if args[i].dynamic or (len(text) == 2 and i + 1 < len(args) and args[i + 1].dynamic):
                fx.cls("opaque")
            elif root == "agentguard":
                if guardentry.module(module) == guardentry.CLI:
                    _guard_command_line(fx, rest)
                else:
                    fx.cls("guard-tamper")
                    fx.cmd.notes.append(f"python -m {module} runs agentguard's code directly")
            elif module in ("pip", "pip3"):
                from agentguard.shell.programs.packages import pip

                pip(fx, rest)
            elif module in ("http.server", "SimpleHTTPServer", "smtpd"):
                fx.cls("network")
            elif module in ("venv", "virtualenv"):
                fx.cls("file-write")
                for w in [w for w in rest if not w.text.startswith("-")][:1]:
                    fx.add("write", w)
            elif root in fact_set(fx.facts, "opaque_modules"):
                fx.cls("opaque")
                fx.cmd.notes.append(f"python -m {module} runs code given to it")
                if any(_names_guard(w.text) for w in rest):
                    _guard_code(fx, f"python -m {module}")
            return
        if text in ("-W", "-X", "-Q"):
            i += 2
            continue
        if text in ("--version", "-V", "--help", "-h"):
            return
        if text == "-i" or (text[:1] == "-" and text[1:2] != "-" and "i" in text[1:]):
            fx.cls("opaque")
            fx.cmd.notes.append("python -i reads code from standard input")
            return
        if text == "-" or not text.startswith("-"):
            entry = guardentry.python_script(text, None if args[i].dynamic else fx.cwd)
            if entry == guardentry.CLI:
                _guard_command_line(fx, args[i + 1 :])
                if args[i].dynamic:
                    script_file(fx, args[i])
            elif entry == guardentry.HOOK:
                fx.cls("guard-tamper")
                fx.cmd.notes.append(f"{text} is agentguard's own code; {guardentry.NOTE}")
            elif text == "-" and _visible_stdin(fx) is not None:
                _read_stdin(fx)
                return
            else:
                script_file(fx, args[i])
            if text == "-":
                _stdin_code(fx)
            return
        i += 1
    if _visible_stdin(fx) is not None:
        _read_stdin(fx)
        return
    script_file(fx, None)
    _stdin_code(fx)


def code_option(text: str) -> bool:
    """Whether ``text`` is python's ``-c`` (alone or ending a cluster: ``-Bc``)."""
    return text == "-c" or (
        text[:1] == "-"
        and text[1:2] != "-"
        and text[-1] == "c"
        and text[1:].replace("c", "").isalpha()
    )


def _visible_stdin(fx: Effects) -> Word | None:
    return stdin_body(fx.cmd.redirects)


def _read_stdin(fx: Effects) -> None:
    body = _visible_stdin(fx)
    if body is None or _names_guard(body.text):
        script_file(fx, None)
        _stdin_code(fx)
        return
    _read_python(fx, body.text, "python reading a here-document")


def _read_python(fx: Effects, code: str, how: str) -> None:
    """Judge visible Python code by what it does (``shell/programs/pycode.py``)."""
    from agentguard.shell.programs import pycode

    pycode.apply(fx, pycode.read_code(code), how)


def _names_guard(code: str) -> bool:
    """Whether inline code names agentguard (``from agentguard.hook.run import main``)."""
    return "agentguard" in code.lower()


def _guard_code(fx: Effects, how: str) -> None:
    fx.cls("guard-tamper")
    fx.cmd.notes.append(f"{how} runs code that names agentguard")


def _stdin_code(fx: Effects) -> None:
    """Python reading its program from a literal here-document or here-string."""
    if any(r.op in ("<<", "<<<") and _names_guard(r.target.text) for r in fx.cmd.redirects):
        _guard_code(fx, "python reading standard input")


def interpreter(fx: Effects) -> None:
    """An interpreter: its catalogue entry names the flags whose value is code
    (``code_flags``), the flags that load code first (``loaders``) and whether reading the
    program from standard input is opaque (``stdin_opaque``)."""
    flags = fact_set(fx.facts, "code_flags")
    loaders = fact_set(fx.facts, "loaders")
    stdin_opaque = fx.facts.get("stdin_opaque", True)
    args = fx.args
    name = fx.cmd.program
    i = 0
    while i < len(args):
        w = args[i]
        text = w.text
        key = text.split("=", 1)[0] if text[:2] == "--" else text
        if text in flags or (key in flags and key != text):
            reader = fx.facts.get("code_reader") == "javascript"
            if reader and later_code_flag(args, i, flags):
                fx.cls("opaque")
                fx.cmd.notes.append(f"{name} is given code more than once; the last runs")
                return
            code = js_code(args, i) if reader else None
            if code is not None and not _names_guard(code):
                from agentguard.shell.programs import jscode, pycode

                pycode.apply(fx, jscode.read_js(code), f"{name} {key}")
                return
            fx.cls("opaque")
            fx.cmd.notes.append(f"{name} {text} runs inline code")
            if code is not None:
                _guard_code(fx, f"{name} {key}")
            return
        if key in loaders and key != "--env-file-if-exists":
            fx.cls("opaque")
            fx.cmd.notes.append(f"{name} {key} loads code before the program")
            return
        if key in ("--env-file", "--env-file-if-exists"):
            value = text.partition("=")[2] if key != text else ""
            if not value and i + 1 < len(args):
                value = args[i + 1].text
                i += 1
            fx.add("read", Word(value, w.dynamic))
            i += 1
            continue
        if text == "-":
            break
        if not text.startswith("-"):
            script_file(fx, w)
            return
        if text in ("--version", "-v", "-V", "--help", "-h"):
            return
        if name in ("node", "nodejs", "bun", "deno") and text == "--test":
            return  # the runtime's test runner: it runs the project's test files
        i += 1
    body = stdin_body(fx.cmd.redirects)
    if body is not None and fx.facts.get("code_reader") == "javascript":
        if not _names_guard(body.text):
            from agentguard.shell.programs import jscode, pycode

            pycode.apply(fx, jscode.read_js(body.text), f"{name} reading a here-document")
            return
        _guard_code(fx, f"{name} reading standard input")
    if stdin_opaque:
        fx.cls("opaque")
        fx.cmd.notes.append(f"{name} reads its program from standard input")


def later_code_flag(args: list[Word], i: int, flags: frozenset[str] | list[str]) -> bool:
    """Whether a code flag follows the one at ``args[i]`` (before ``--``): node runs
    the last ``-e``/``-p`` it is given, so reading the first would read the wrong code."""
    for w in args[i + 1 :]:
        if w.text == "--":
            return False
        if w.dynamic or w.text in flags or w.text.partition("=")[0] in flags:
            return True
    return False


def js_code(args: list[Word], i: int) -> str | None:
    """The literal program of node's code flag at ``args[i]`` (``-e CODE``,
    ``--eval=CODE``); None when it is missing or built at run time."""
    text = args[i].text
    if args[i].dynamic:
        return None
    if text.startswith("--") and "=" in text:
        return text.partition("=")[2] or None
    code = args[i + 1] if i + 1 < len(args) else None
    return None if code is None or code.dynamic else code.text


def editor(fx: Effects) -> None:
    """Editors write the files they open; commands given to them run anything."""
    name = fx.cmd.program
    files: list[Word] = []
    code = name in ("ed", "red", "ex")
    args = fx.args
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
        elif text in fact_set(fx.facts, "code_flags") and name not in ("nano", "pico"):
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
        fx.cls("opaque")
        fx.cmd.notes.append(f"{name} runs editor commands")
    if files:
        fx.cls("file-write")
    for w in files:
        fx.add("write", w)
        fx.add("read", w)


def opaque(fx: Effects) -> None:
    """A program that runs what it is given (its catalogue ``note`` says how)."""
    note = fact(fx.facts, "note")
    fx.cls("opaque")
    fx.cmd.notes.append(f"{fx.cmd.program} {note}")


def make(fx: Effects) -> None:
    """``make`` runs the Makefile's recipes (opaque) unless it only prints them."""
    texts = [w.text for w in fx.args]
    if any(
        t in ("-n", "--dry-run", "--just-print", "--recon", "-q", "--question", "--version", "-v")
        or t == "--help"
        for t in texts
    ):
        fx.cls("read-only")
        return
    fx.cls("opaque")
    fx.cmd.notes.append("make runs the Makefile's recipes")


def cmake(fx: Effects) -> None:
    """``cmake -E`` commands are judged one by one; anything else runs the project's CMake code."""
    texts = [w.text for w in fx.args]
    if texts[:1] in (["--version"], ["--help"]):
        fx.cls("read-only")
        return
    if texts[:1] != ["-E"] or len(texts) < 2:
        fx.cls("opaque")
        fx.cmd.notes.append("cmake runs the project's CMake code")
        return
    verb = texts[1]
    ops = [w for w in fx.args[2:] if not w.text.startswith("-")]
    if verb in verb_set(fx.facts, "read"):
        fx.cls("read-only")
    elif verb == "environment":
        fx.cls("env-dump", "secret-read")
    elif verb in verb_set(fx.facts, "delete"):
        fx.cls("file-delete")
        for w in ops:
            fx.add("delete", w)
    elif verb == "rename" and ops:
        fx.cls("file-write", "file-delete")
        fx.add("delete", ops[0])
        for w in ops[1:]:
            fx.add("write", w)
    elif verb in verb_set(fx.facts, "write"):
        fx.cls("file-write")
        targets = ops if verb in ("make_directory", "touch", "touch_nocreate") else ops[-1:]
        if verb == "tar":
            targets = ops[1:2]
        for w in targets:
            fx.add("write", w)
        if verb == "create_symlink" and len(ops) == 2:
            link_targets(fx, ops[:1], ops[1], False, True)
        if verb == "create_hardlink":
            fx.add("write", ops[0])
    else:
        fx.cls("opaque")
        fx.cmd.notes.append(f"cmake -E {verb} runs a command")


def sqlite(fx: Effects) -> None:
    """``sqlite3 DB``: writes DB; dot-commands that run programs or write files are opaque."""
    texts = [w.text for w in fx.args]
    ops = [w for w in fx.args if not w.text.startswith("-")]
    bodies = [r.target.text for r in fx.cmd.redirects if r.op in ("<<", "<<<")]
    code = " ".join(texts + bodies)
    if any(d in code for d in (".shell", ".system", ".load", "load_extension", ".output", ".once")):
        fx.cls("opaque")
        fx.cmd.notes.append("sqlite3 dot-command runs a program or writes a file")
    elif len(ops) < 2 and not bodies:
        fx.cls("opaque")
        fx.cmd.notes.append("sqlite3 reads commands from standard input")
    if any(w.dynamic for w in fx.args):
        fx.cls("opaque")
    for w in ops[:1]:
        fx.cls("file-write")
        fx.add("write", w)


def perl(fx: Effects) -> None:
    """``perl``: inline code is opaque, a script must be this worktree's, ``-i`` rewrites files."""
    ops, opts = operands(fx.args, fact_set(fx.facts, "values"))
    code = option_values(opts, "-e", "-E")
    in_place = any(not n.startswith("--") and "i" in n[1:] for n, _ in opts)
    if not code and any(not n.startswith("--") and ("e" in n[1:] or "E" in n[1:]) for n, _ in opts):
        code = [Word("")]
        # ``-pie 's/…/'``: the code is the first operand.
        if ops:
            ops = ops[1:]
    if code:
        fx.cls("opaque")
        fx.cmd.notes.append("perl runs inline code")
    elif ops:
        script_file(fx, ops[0])
        ops = ops[1:]
    else:
        script_file(fx, None)
    for w in ops:
        fx.add("write" if in_place else "read", w)
    if in_place:
        fx.cls("file-write")


def compiler(fx: Effects) -> None:
    """``gcc -o FILE`` writes FILE; without ``-o`` (and ``-c``/``-S``/``-E``) a.out."""
    texts = [w.text for w in fx.args]
    if any(t in ("--version", "-v", "--help", "-dumpversion", "-dumpmachine") for t in texts):
        fx.cls("read-only")
        return
    write_option_values(fx, ("-o",))
    if not any(t == "-o" or t.startswith("-o") for t in texts) and not any(
        t in ("-c", "-S", "-E", "-M", "-MM", "-fsyntax-only") for t in texts
    ):
        fx.cls("file-write")
        fx.add("write", Word("a.out"))


def formatter(fx: Effects) -> None:
    """A formatter or linter: it rewrites its operands (the folder, without any) when
    one of its ``write_flags`` is given or it ``writes_by_default``, unless one of its
    ``check_flags`` is."""
    write_flags = fact_set(fx.facts, "write_flags")
    default_writes = fx.facts.get("writes_by_default", False)
    read_flags = fact_set(fx.facts, "check_flags")
    texts = [w.text for w in fx.args]
    writes = default_writes or any(t.split("=", 1)[0] in write_flags for t in texts)
    if any(t in read_flags for t in texts):
        writes = False
    if fx.cmd.program == "ruff":
        writes = ("format" in texts and "--check" not in texts and "--diff" not in texts) or (
            "--fix" in texts
        )
    if not writes:
        return
    fx.cls("file-write")
    ops = [
        w
        for w in fx.args
        if not w.text.startswith("-") and w.text not in ("format", "check", "lint", "fmt")
    ]
    for w in ops or [Word(".")]:
        fx.add("write", w)
