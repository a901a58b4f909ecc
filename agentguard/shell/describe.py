"""What agentguard knows about one program, for ``agentguard explain --program NAME``.

Cold path: only ``explain`` imports this. It reads the catalogue (``shell/catalogue.py``)
the way the classifier does, so what it prints is what the hook applies.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Mapping

from agentguard.shell.catalogue import GIT, PROGRAMS, WRAPPERS

# What the classifier does with a program it has no entry for (classify._dispatch's
# last branch, plus what applies to every command).
UNKNOWN_ASSUMPTION = (
    "it has no class of its own, so no built-in class (read-only, network …) covers it and"
    " only rules naming it decide; -o FILE, --output FILE (and -oFILE, --output=FILE) name"
    " a file it writes; an operand naming an existing file is read; its redirections and"
    " variable assignments are judged as for any command."
)
_FLAGS = (
    ("names_only", "takes file names only as names (an existing file named is not a read)"),
    ("prints_reads", "prints what it reads (an unknown read target may be a secret)"),
    ("privilege", "runs a command as another user: always the class privilege"),
    ("agent_cli", "another agent's CLI: a changed configuration is guard-tamper"),
    ("deploys_always", "every invocation deploys"),
)
_GIT_TABLES = {
    "read_only": "git read-only",
    "network": "git network",
    "known": "git other known",
}
_PARAMETERS = (
    ("values", "value options"),
    ("code_flags", "code flags"),
    ("code_reader", "code read by"),
    ("loaders", "code loaders"),
    ("write_flags", "write flags"),
    ("check_flags", "check-only flags"),
    ("opaque_modules", "code modules"),
    ("host_options", "host options"),
    ("host_variables", "host variables"),
    ("profile_options", "profile options"),
    ("read_options", "read options"),
    ("write_options", "write options"),
    ("note", "opaque"),
)


def lookup(name: str) -> tuple[str, Mapping[str, object] | None]:
    """The catalogue key and entry the classifier uses for ``name`` (a path's last part;
    ``python3.12`` and other ``python…`` names use ``python``'s entry)."""
    program = os.path.basename(name) or name
    facts = PROGRAMS.get(program)
    if facts is None and program[:6] == "python":
        return "python", PROGRAMS["python"]
    return program, facts


def describe(
    name: str, policy_programs: Mapping[str, Mapping[str, object]] | None = None
) -> dict[str, object]:
    """Everything agentguard knows about ``name``, as a JSON-able report.

    ``policy_programs``: the programs a policy declares (its ``programs:`` section), which
    the report shows beside the built-in entry; ``None`` until the policy has them.
    """
    key, facts = lookup(name)
    wrapper = WRAPPERS.get(key)
    runner = _runner(key)
    declared = (policy_programs or {}).get(key)
    known = bool(facts or wrapper or runner or declared)
    report: dict[str, object] = {"program": name, "known": known}
    if key != name:
        report["entry"] = key
    if facts is not None:
        report["builtin"] = {k: v for k, v in facts.items() if k != "examples"}
        report["examples"] = facts.get("examples", {})
        family, handler = facts.get("family"), facts.get("handler")
        if isinstance(family, str) and isinstance(handler, str):
            report["handler"] = _handler_summary(family, handler)
    if key == "git":
        report["git"] = {k: v for k, v in GIT.items() if k in _GIT_TABLES or k == "subcommands"}
    if wrapper is not None:
        report["wrapper"] = {k: v for k, v in wrapper.items() if k != "examples"}
        report["wrapper_examples"] = wrapper.get("examples", {})
    if runner is not None:
        report["runs"] = runner
    if declared is not None:
        report["policy"] = dict(declared)
    if not report["known"]:
        report["assumed"] = UNKNOWN_ASSUMPTION
    return report


def _runner(key: str) -> dict[str, str] | None:
    """The handler that unwraps ``key`` when it runs other programs with logic of its own
    (``sudo``, ``env``, ``xargs``, ``bash -c``, ``npx`` …): its module and docstring."""
    from agentguard.shell import project, shells, wrappers

    for module, table in (("shells", shells.HANDLERS), ("wrappers", wrappers.HANDLERS)):
        if key in table:
            return _summary(module, table[key])
    if key in project.HANDLERS:
        return _summary("project", project.HANDLERS[key])
    return None


def _summary(module: str, function: object) -> dict[str, str]:
    doc = (getattr(function, "__doc__", None) or "").strip()
    text = " ".join(doc.split("\n\n", 1)[0].split()).replace("``", "")
    return {"module": f"agentguard/shell/{module}.py", "doc": text}


def _handler_summary(family: str, handler: str) -> dict[str, str]:
    """Where the handler lives and the first line of its docstring (what it reads)."""
    from agentguard.shell.classify import handler_of

    function = handler_of({"family": family, "handler": handler})
    doc = (function.__doc__ or "").strip() if function is not None else ""
    summary = " ".join(doc.split("\n\n", 1)[0].split()).replace("``", "")
    return {"module": f"agentguard/shell/programs/{family}.py", "function": handler, "doc": summary}


def render(report: Mapping[str, object], width: int = 80) -> str:
    """``report`` as text lines no wider than ``width``."""
    name = str(report["program"])
    out: list[str] = []

    def item(label: str, text: str) -> None:
        prefix = f"  {label + ':':<18}"
        out.extend(
            textwrap.wrap(
                text,
                width,
                initial_indent=prefix,
                subsequent_indent=" " * len(prefix),
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [prefix.rstrip()]
        )

    if not report["known"]:
        out.append(f"{name}: agentguard does not know this program.")
        out.extend(textwrap.wrap(f"What it assumes: {report['assumed']}", width))
        return "\n".join(out)
    entry = f" (catalogue entry {report['entry']})" if "entry" in report else ""
    if "builtin" in report or "wrapper" in report:
        out.append(f"{name}: known to agentguard{entry}")
    else:
        out.append(f"{name}: not in agentguard's catalogue; the policy declares it")
    facts = report.get("builtin")
    if isinstance(facts, Mapping):
        _render_facts(facts, report.get("handler"), "runs" in report, item)
    runs = report.get("runs")
    if isinstance(runs, Mapping):
        what = f"; {runs['doc']}" if runs.get("doc") else ""
        item("runs", f"another program{what} ({runs['module']})")
    wrapper = report.get("wrapper")
    if isinstance(wrapper, Mapping):
        shape = ", ".join(f"{k}={_text(v)}" for k, v in wrapper.items() if k != "examples")
        item("wrapper", f"runs another program; {shape}" if shape else "runs another program")
    git = report.get("git")
    if isinstance(git, Mapping):
        for key, label in _GIT_TABLES.items():
            item(label, _text(git.get(key, "")))
        handled = git.get("subcommands")
        if isinstance(handled, Mapping):
            for module in sorted(set(handled.values())):
                subs = " ".join(s for s, m in handled.items() if m == module)
                item("git handlers", f"programs/{module}.py: {subs}")
    _render_examples(report, width, out)
    return "\n".join(out)


def _render_examples(report: Mapping[str, object], width: int, out: list[str]) -> None:
    examples = report.get("examples")
    wrapped = report.get("wrapper_examples")
    if isinstance(wrapped, Mapping) and wrapped:
        out.append("  examples (the command it runs):")
        for line, runs in wrapped.items():
            out.extend(
                textwrap.wrap(line, width, initial_indent="    ", subsequent_indent="      ")
            )
            out.extend(
                textwrap.wrap(
                    str(runs), width, initial_indent="      -> ", subsequent_indent="         "
                )
            )
    if isinstance(examples, Mapping) and examples:
        out.append("  examples:")
        for line, expected in examples.items():
            out.extend(
                textwrap.wrap(line, width, initial_indent="    ", subsequent_indent="      ")
            )
            out.extend(
                textwrap.wrap(
                    _expectation(expected),
                    width,
                    initial_indent="      -> ",
                    subsequent_indent="         ",
                    break_long_words=False,
                )
            )


def _render_facts(
    facts: Mapping[str, object],
    handler: object,
    runs_others: bool,
    item: Callable[[str, str], None],
) -> None:
    if isinstance(handler, Mapping):
        item("family", f"{facts['family']} ({handler['module']}: {handler['function']})")
        if handler.get("doc"):
            item("handler", str(handler["doc"]))
        item("classes", "decided by the handler from the arguments")
    elif "classes" in facts:
        item("classes", _text(facts["classes"]) or "none")
    elif runs_others:
        item("classes", "those of the command it runs (and its own, such as privilege)")
    else:
        item("classes", "none of its own; -o FILE and --output FILE name a file it writes")
    reader = facts.get("reader")
    if isinstance(reader, Mapping):
        what = (
            "its operands (the first one is a pattern)"
            if reader.get("first_is_pattern")
            else "its operands"
        )
        item("reads", what)
        if reader.get("values"):
            item("value options", _text(reader["values"]))
    for key, label in _PARAMETERS:
        if key in facts:
            item(label, _text(facts[key]))
    if "stdin_opaque" in facts:
        item("stdin", "a program from standard input is not opaque")
    if facts.get("writes_by_default"):
        item("writes", "rewrites its operands by default")
    if facts.get("output_options") is True:
        item("writes", "the value of -o FILE / --output FILE")
    elif isinstance(facts.get("output_options"), str):
        item("writes", f"the value of {facts['output_options']}")
    verbs = facts.get("verbs")
    if isinstance(verbs, Mapping):
        for kind, words in verbs.items():
            item(f"{kind} verbs", _text(words))
    if facts.get("search"):
        item(
            "search",
            "reads dot-files when recursive"
            if facts["search"] == "grep"
            else "skips hidden files unless --hidden",
        )
    for key, text in _FLAGS:
        if facts.get(key):
            item("note", text)
    lenient = facts.get("lenient_exit")
    if lenient:
        where = f" (sub-commands {lenient})" if isinstance(lenient, str) else ""
        item("exit status", f"1 ending a line is no failure to Claude Code{where}")


def _expectation(expected: object) -> str:
    if not isinstance(expected, Mapping):
        return str(expected)
    parts = [_text(expected.get("classes", ())) or "no class"]
    for key in ("writes", "reads", "deletes"):
        paths = expected.get(key)
        if isinstance(paths, tuple) and paths:
            parts.append(f"{key} {' '.join(str(p) for p in paths)}")
    return "; ".join(parts)


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
