"""Programs reached by path: a tool's entry point run through its interpreter. Hot path.

``node node_modules/<pkg>/bin/<tool>.js …`` and ``python -m <tool> …`` run that tool,
so the line is judged as the tool would be (``eslint --fix``, ``black``), not as an
interpreter running a file it does not know. Loaded only for a line naming ``node`` or
``python`` (the catalogue's WRAPPERS name this module).
"""

from __future__ import annotations

from agentguard.shell.catalogue import PROGRAMS
from agentguard.shell.model import Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentguard.shell.wrappers import Frame, Handler


def _w(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _bin_of(path: str) -> str | None:
    """The tool a script under ``node_modules`` is: ``.bin/<name>``, else the file's stem
    (``prettier/bin/prettier.cjs``), or its package for a generic stem (``x/bin/cli.js``)."""
    parts = path.split("/")
    if "node_modules" not in parts[:-1]:
        return None
    rest = parts[len(parts) - 1 - parts[::-1].index("node_modules") :]
    if len(rest) == 2 and rest[0] == ".bin":
        return rest[1] or None
    if len(rest) < 2 or rest[0] == ".bin":
        return None
    package = rest[1] if rest[0].startswith("@") and len(rest) > 2 else rest[0]
    stem = rest[-1]
    for suffix in (".js", ".cjs", ".mjs"):
        stem = stem.removesuffix(suffix)
    return package if stem in ("cli", "index", "main", "bin", "run", "") else stem


def _node(f: Frame) -> bool:
    """``node node_modules/<pkg>/bin/<tool>.js …``: the tool runs, judged as that tool.
    Visible code (``-e``, ``-p``) has the command lines it runs judged as lines of
    their own; its own effects are the interpreter handler's."""
    words = f.words
    if len(words) < 2 or words[1].text.startswith("-"):
        code = _node_code(f)
        if code is not None:
            from agentguard.shell.programs.jscode import read_js

            for line in read_js(code).commands:
                f.nested(line, f"{f.name} child_process")
        return False
    if len(words) < 2 or words[1].dynamic:
        return False
    tool = _bin_of(words[1].text)
    if tool is None:
        return False
    return f.run([Word(tool), *words[2:]], f"{f.name} {words[1].text}")


def _python_module(f: Frame) -> bool:
    """``python -m <tool> …`` for a tool the catalogue knows by its own name (black, ruff,
    pytest …): judged as that tool. Modules the interpreter's own handler reads (pip,
    venv, http.server, agentguard, code-running ones) stay with it. Visible code
    (``-c``, a here-document) has the command lines it runs judged as lines of their own;
    its own effects are the interpreter handler's."""
    words = f.words
    if len(words) < 3 or words[1].text != "-m" or words[2].dynamic:
        code = _visible_code(f)
        if code is not None:
            from agentguard.shell.programs.pycode import read_code

            for line in read_code(code).commands:
                f.nested(line, f"{f.name} subprocess")
        return False
    module = words[2].text
    facts = PROGRAMS.get(module)
    if facts is None or module in _PYTHON_OWN or "python" in str(facts.get("handler", "")):
        return False
    return f.run([Word(module), *words[3:]], f"{f.name} -m {module}")


def _node_code(f: Frame) -> str | None:
    """The literal program of ``node [options] -e CODE`` (or ``-p``, ``--eval=``), or of
    the literal here-document or here-string it reads as its program."""
    from agentguard.shell.effects import stdin_body
    from agentguard.shell.programs.code import js_code, later_code_flag

    flags = str(PROGRAMS.get(f.name, {}).get("code_flags", "")).split()
    for i, w in enumerate(f.words[1:], 1):
        if w.dynamic or (w.text != "-" and not w.text.startswith("-")):
            return None
        if w.text in flags or w.text.partition("=")[0] in flags:
            return None if later_code_flag(f.words, i, flags) else js_code(f.words, i)
    body = stdin_body(f.redirects)  # ``node <<'EOF'``, ``node - <<< '…'``
    return None if body is None else body.text


def _visible_code(f: Frame) -> str | None:
    """The literal program of ``python -c CODE`` or ``python [-] <<EOF``; None for a
    script, a module, or code the line builds at run time."""
    from agentguard.shell.effects import stdin_body
    from agentguard.shell.programs.code import code_option

    words = f.words
    i = 1
    while i < len(words):
        w = words[i]
        if w.dynamic:
            return None
        if code_option(w.text):
            code = words[i + 1] if i + 1 < len(words) else None
            return None if code is None or code.dynamic else code.text
        if w.text in ("-W", "-X", "-Q"):
            i += 2
            continue
        if w.text != "-" and w.text[:1] == "-" and w.text[1:2] != "-" and "m" in w.text:
            return None  # -m in a cluster (``-Im``): a module runs, not code
        if w.text == "-" or w.text[:1] != "-":
            if w.text != "-":
                return None
            break
        i += 1
    body = stdin_body(f.redirects)
    return None if body is None else body.text


# Modules ``python -m`` runs that the interpreter's handler judges itself.
_PYTHON_OWN = _w("pip pip3 venv virtualenv http.server SimpleHTTPServer smtpd agentguard")

HANDLERS: dict[str, Handler] = {
    "node": _node,
    **dict.fromkeys(("python", "python3"), _python_module),
}
