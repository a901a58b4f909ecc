"""Reporters shared by ``lint``, ``test`` and ``verify``: text, JSON, GitHub annotations. Cold path.

Two shapes of result exist. A :class:`Finding` is a located problem in a policy file
(``lint``); an :class:`Outcome` is one pass/fail line (a policy test, a verify check),
optionally pointing at files. Each has the three renderings: text for people, JSON for
tools, and GitHub workflow commands (``::error file=…,line=…,col=…::…``) that annotate a
pull request's diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from agentguard import terminal
from agentguard.errors import Problem

FORMATS = ("text", "json", "github")
SEVERITIES = ("error", "warning", "info")
# GitHub has no "info" level; "notice" is its mildest annotation.
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


class Finding:
    """A located problem with the name of the check that found it."""

    __slots__ = ("code", "problem")

    def __init__(self, code: str, problem: Problem) -> None:
        self.code = code
        self.problem = problem

    @property
    def severity(self) -> str:
        """``error``, ``warning`` or ``info``."""
        return self.problem.severity

    def text(self) -> str:
        """``file:line:col: field: message [severity: code]``."""
        return f"{self.problem} [{self.severity}: {self.code}]"

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        return {**self.problem.as_dict(), "code": self.code}

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order of output: by file, then position, then check."""
        p = self.problem
        return (p.file, p.line, p.col, self.code, p.message)


class Outcome:
    """One pass/fail line of a test run or of ``verify``."""

    __slots__ = ("col", "details", "file", "files", "line", "message", "name", "ok")

    def __init__(
        self,
        name: str,
        ok: bool,
        message: str,
        *,
        details: Sequence[str] = (),
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        files: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.ok = ok
        self.message = message
        # Extra lines shown under a failure (one offending file each, a reason …).
        self.details = list(details)
        # Where the outcome is defined (a test in the policy file), for annotations.
        self.file = file
        self.line = line
        self.col = col
        # Files the outcome is about (offending files of a verify check): one annotation each.
        self.files = list(files)

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        out: dict[str, Any] = {"name": self.name, "ok": self.ok, "message": self.message}
        if self.details:
            out["details"] = self.details
        if self.files:
            out["files"] = self.files
        if self.file is not None:
            out["file"], out["line"], out["col"] = self.file, self.line, self.col
        return out


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    severity: str,
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    col: int | None = None,
    title: str | None = None,
) -> str:
    """One GitHub workflow command, e.g. ``::error file=a.yaml,line=3,col=5::message``."""
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
    if line:
        props.append(f"line={line}")
    if col:
        props.append(f"col={col}")
    if title:
        props.append(f"title={_escape_property(title)}")
    level = _GITHUB_LEVEL.get(severity, "error")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_escape_data(message)}"


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    out = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        out[finding.severity] = out.get(finding.severity, 0) + 1
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def summary(findings: Sequence[Finding]) -> str:
    """``2 errors, 1 warning, 0 info``."""
    c = counts(findings)
    return ", ".join(_plural(c[s], s) for s in SEVERITIES)


def render_findings(
    findings: Sequence[Finding],
    fmt: str,
    out: TextIO,
    *,
    tool: str = "agentguard lint",
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Write ``findings`` (already in order) in ``fmt``."""
    if fmt == "json":
        body: dict[str, Any] = dict(extra or {})
        body["findings"] = [f.as_dict() for f in findings]
        body["summary"] = counts(findings)
        out.write(json.dumps(body, indent=2) + "\n")
        return
    for finding in findings:
        if fmt == "github":
            p = finding.problem
            message = f"{p.field}: {p.message}" if p.field else p.message
            out.write(
                annotation(
                    p.severity,
                    message,
                    file=p.file,
                    line=p.line,
                    col=p.col,
                    title=f"{tool} ({finding.code})",
                )
                + "\n"
            )
        else:
            out.write(terminal.fill(finding.text(), out) + "\n")
    out.write(summary(findings) + "\n")


def render_outcomes(
    outcomes: Sequence[Outcome],
    fmt: str,
    out: TextIO,
    *,
    tool: str,
    header: Sequence[str] = (),
    extra: Mapping[str, Any] | None = None,
    passed_word: str = "passed",
    failed_word: str = "failed",
) -> None:
    """Write pass/fail ``outcomes`` in ``fmt``, with a closing ``N passed, M failed`` line."""
    passed = sum(1 for o in outcomes if o.ok)
    failed = len(outcomes) - passed
    if fmt == "json":
        body: dict[str, Any] = dict(extra or {})
        body["ok"] = failed == 0
        body["results"] = [o.as_dict() for o in outcomes]
        body["summary"] = {passed_word: passed, failed_word: failed}
        out.write(json.dumps(body, indent=2) + "\n")
        return
    for line in header:
        out.write(line + "\n")

    # Wrapped for a person; the github form keeps one line per result beside its annotation.
    def fit(line: str) -> str:
        return terminal.fill(line, out) if fmt == "text" else line

    for outcome in outcomes:
        status = "PASS" if outcome.ok else "FAIL"
        out.write(fit(f"{status} {outcome.name}: {outcome.message}") + "\n")
        for detail in outcome.details:
            out.write(fit(f"     {detail}") + "\n")
        if fmt == "github" and not outcome.ok:
            title = f"{tool}: {outcome.name}"
            if outcome.files:
                for file in outcome.files:
                    out.write(annotation("error", outcome.message, file=file, title=title) + "\n")
            else:
                out.write(
                    annotation(
                        "error",
                        outcome.message,
                        file=outcome.file,
                        line=outcome.line,
                        col=outcome.col,
                        title=title,
                    )
                    + "\n"
                )
    out.write(f"{passed} {passed_word}, {failed} {failed_word}\n")
