"""The command lines inline Python runs (``subprocess.run([...])``, ``os.system("...")``),
when every part of the call is a literal: each is analysed as a line of its own.

Hot path, loaded only for inline Python that calls ``subprocess``, ``os.system`` or
``os.popen``.
"""

from __future__ import annotations

import ast

from agentguard.shell.effects import words

# Calls that run an argument vector (or, with ``shell=True``, a line for ``/bin/sh``).
_ARGV_RUNS = words(
    "subprocess.run subprocess.call subprocess.check_call subprocess.check_output subprocess.Popen"
)
# Calls whose one argument is a line for ``/bin/sh``.
_LINE_RUNS = words("os.system os.popen subprocess.getoutput subprocess.getstatusoutput")
# Keywords of the argv calls that change neither what runs nor where: anything else
# (``cwd``, ``env``, ``executable``, ``input``, ``preexec_fn`` …) leaves the call opaque.
_PLAIN_KEYWORDS = words(
    "check capture_output text universal_newlines encoding errors timeout stdout stderr "
    "stdin bufsize close_fds"
)


def command_line(name: str, node: ast.Call) -> str | None:
    """The shell line a ``subprocess``/``os.system`` call runs, when every part of it
    is a literal; ``None`` otherwise (the code stays opaque)."""
    import ast

    if name in _LINE_RUNS:
        # os.popen's mode and buffering change nothing that runs; nothing else may.
        extra = len(node.args) > 1 or node.keywords
        if not node.args or (extra and name != "os.popen"):
            return None
        rest = [*node.args[1:], *(k.value for k in node.keywords)]
        if any(not isinstance(a, ast.Constant) for a in rest):
            return None
        return _text(node.args[0])
    if name not in _ARGV_RUNS or len(node.args) > 1:
        return None
    keywords = {k.arg: k.value for k in node.keywords}
    if any(k not in _PLAIN_KEYWORDS and k not in ("args", "shell") for k in keywords):
        return None  # ``None``: ``**kwargs``, which could carry cwd= or env=
    program = node.args[0] if node.args else keywords.get("args")
    shell = keywords.get("shell")
    if shell is not None and not (
        isinstance(shell, ast.Constant) and isinstance(shell.value, bool)
    ):
        return None
    with_shell = isinstance(shell, ast.Constant) and shell.value is True
    if isinstance(program, (ast.List, ast.Tuple)):
        argv = [_text(e) for e in program.elts]
        if not argv or any(a is None for a in argv):
            return None
        if with_shell:  # the first item is the line; the rest are its $0, $1 …
            return argv[0] if len(argv) == 1 else None
        from agentguard.shell.wrappers import quote

        return " ".join(quote(a) for a in argv if a is not None)
    text = _text(program) if program is not None else None
    if text is None or with_shell:
        return text
    from agentguard.shell.wrappers import quote

    return quote(text)  # without a shell, the whole string names one program


def _text(node: ast.expr) -> str | None:
    """A non-empty literal string's value; ``None`` for anything else."""
    value = getattr(node, "value", None) if type(node).__name__ == "Constant" else None
    return value if isinstance(value, str) and value else None
