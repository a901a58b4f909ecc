"""Failure signatures: a stable fingerprint of "the same failure, again".

Hot path: standard library only. A failure (a failed tool call, a failed check, a
blocked Stop) is reduced to tool + normalised command or path + normalised error
text, hashed to 16 hex characters. Two runs of the same failing test collide although
temp paths, durations, addresses, timestamps and line numbers differ; a different
failing test or a different error message does not.

How the error text is reduced (``normalise_error``):

1. Cap the raw size (head and tail of a huge output), strip ANSI and control codes and
   carriage-return progress redraws.
2. Keep only the lines that *identify* a failure: known failure formats first (pytest
   ``FAILED``/``E`` lines, ``XxxError:``, ``error TS2322``, ``error[E0308]``,
   ``--- FAIL:``, ``panicked at``, ``command not found`` …), else lines with failure
   words, else the last lines. Source-code frames (``12 |  code``, ``>  code``, carets)
   are never kept: they change whenever the agent edits the code between two attempts.
3. Replace volatile parts: UUIDs, timestamps, memory addresses, hex ids, temp paths,
   durations, then every free-standing number (line:col, counts, PIDs, ports). Digits
   glued after letters (``TS2322``, ``test_case_1``, ``E0308``), pytest parameter ids
   (``test_x[1-2]``), ``ts(2322)`` and the exit status (``Exit code 2``) are kept:
   they identify the failure.
4. Deduplicate, sort (parallel runners print failures in any order) and cap.

Errors that differ only in numbers (``assert 3 == 4`` vs ``assert 5 == 4``) collide by
design: that is an agent nudging a value and re-running the same failing test.
"""

from __future__ import annotations

import os
from bisect import bisect_right

from agentguard.regexes import compiled

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False

if TYPE_CHECKING:
    import re
    from collections.abc import Iterable
    from hashlib import sha256
else:
    # ``hashlib`` loads OpenSSL (~2.5 ms here); the builtin module costs ~0.2 ms.
    try:
        from _sha256 import sha256
    except ImportError:  # Python 3.12 renamed it
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

SIGNATURE_LENGTH = 16
# A 1 MB output is cut to its head and tail before any line work.
_HEAD_CHARS = 20_000
_TAIL_CHARS = 60_000
_MAX_LINES = 40
_MAX_LINE_CHARS = 300
_FALLBACK_LINES = 15
_TAIL_LINES = 5
_SCAN_LINES = 100

_ANSI = r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"

# Lines that name a failing test or a coded error: the best one-line summary.
_STRONG = r"""
    ^(?:FAILED|ERROR)\s+\S+::                    # pytest short summary
  | ^---\s+FAIL:                                 # go test
  | ^test\s+\S+\s+\.\.\.\s+FAILED                # cargo test
  | ^\s*(?:✕|✗|×|●)\s                            # jest / vitest
  | \berror\s*(?:\[\w+\]|TS\d+|ts\(\d+\))        # rustc, tsc, astro check
  | ^\S+?[:(]\d+(?:[:,]\d+)?\)?:?\s+-?\s*error\b # file:line: error (mypy, tsc, astro)
  | ^[\w.]*(?:Error|Exception|Exit|Interrupt)\b:  # the last line of a Python traceback
"""

# Known failure formats, anchored at the line start: cheap enough to try on every line.
_TIER1_START = r"""
    (?:FAILED|ERROR|FAIL|XPASS)\b
  | E\s
  | \s*[\w.$]*(?:Error|Exception|Failure|Interrupt|Exit)(?:\s*\[\w+\])?:
  | (?i:\s*(?:error|fatal|failed|failure|panic)\b)
  | npm\s(?:ERR!|error)\s
  | panic: | thread\s'.*'\spanicked
  | ---\s+FAIL: | test\s\S+\s\.\.\.\sFAILED | \s*(?:✕|✗|×|●)\s
  | \S+:\d+:\d+:\s[A-Z]{1,4}\d{2,4}\b              # ruff / flake8 codes
  | \s*\d+:\d+\s+error\s                          # eslint stylish
"""

# Known failure formats anywhere in a line; each contains one of ``_KEYWORDS``, so they
# are only tried on lines that the substring prefilter kept.
_TIER1_ANY = r"""
    (?i:\berror\b(?:\[\w+\])?\s*(?:TS\d+|ts\(\d+\))?\s*:)
  | panicked\sat | _test\.go:\d+:
  | command\snot\sfound | No\ssuch\sfile | Permission\sdenied | Operation\snot\spermitted
  | Segmentation\sfault | core\sdumped | unbound\svariable | syntax\serror
  | (?i:\bnot\sfound\b) | (?i:\bcannot\b) | (?i:\bcould\snot\b)
"""

# Lower-case substrings that every ``_TIER1_ANY`` and ``_TIER2`` match contains. A
# substring scan of the whole output runs in C; an unanchored case-insensitive regex over
# every line of a large output costs tens of milliseconds.
_KEYWORDS = (
    "error", "exception", "fail", "panic", "assert", "fatal", "abort", "denied", "refused",
    "not found", "no such", "cannot", "can't", "could not", "unable", "invalid", "undefined",
    "missing", "unexpected", "expected", "mismatch", "timeout", "timed out", "time out",
    "killed", "want", "got", "_test.go:", "segmentation", "core dumped", "unbound variable",
    "not permitted",
)  # fmt: skip

# Failure words anywhere: used only when no known format matched.
_TIER2 = r"""(?i)
    error | exception | fail | panic | assert | fatal | abort | denied | refused
  | not\sfound | no\ssuch | cannot | can't | could\snot | unable | invalid | undefined
  | missing | unexpected | expected | mismatch | timed?\s?out | killed | \bwant\b | \bgot\b
"""

# Source frames and decoration: they move with every edit, so they never identify.
_CONTEXT = r"""
    ^\s*>?\s*\d*\s*\|                            # rustc / babel / gcc code frames
  | ^>(?:\s|$)                                   # pytest's failing source line
  | ^\s*\d+\s{2,}\S                              # tsc --pretty / astro code frames
  | ^[\s~^|_-]*$                                 # carets, underlines, rules
  | ^\s*-->\s                                    # rustc location arrow
  | ^\s*at\s.*[:(]                               # JS stack frames
"""

_CLASS = r"(?i)^\s*exit\s+code\s+-?\d+\s*$"

_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_DAYS = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"

# Applied in order to each kept line; placeholders carry no digits, so later rules
# cannot touch them.
_VOLATILE = (
    (r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b", "<uuid>"),
    (
        r"\d{4}-\d\d-\d\d(?:[T_ ]\d\d[:_]\d\d(?:[:_]\d\d)?(?:[.,_]\d+)?)?"
        r"(?:Z|[+-]\d\d:?\d\d)?(?![\d])",
        "<time>",
    ),
    (rf"\b(?:{_DAYS}[a-z]*,?\s+)?{_MONTHS}[a-z]*\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?\b", "<date>"),
    (r"\b\d{1,2}:\d\d:\d\d(?:[.,]\d+)?(?:\s?[AaPp][Mm]\b)?", "<time>"),
    (r"\b0[xX][0-9a-fA-F]+\b", "<addr>"),
    # Temp folders: the random part (pytest-12/test_x0, tmpab12cd_x, go-build123,
    # macOS /var/folders/xy/…/T) goes; the file name below it stays.
    (r"(?<![\w.-])(?:/private)?/var/folders/[^/\s]+/[^/\s]+/[A-Z](?=/|\b)", "<tmp>"),
    (r"(?<![\w.-])(?:/var)?/tmp/", "<tmp>/"),
    (
        r"<tmp>/pytest-of-[^/\s]+/pytest-(?:\d+|current)(?:/([^/\s]*?)\d+(?=/|\s|$|[:'\")]))?",
        r"<tmp>/\1",
    ),
    (r"(?<=<tmp>/)(?:tmp[\w]{6,10}|[\w.-]*?\d{3,}[\w.-]*)(?=/|\s|$|[:'\")])", "<rand>"),
    (r"\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b", "<hex>"),
    (
        r"\b(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|μs|ns)){2,}\b"
        r"|\b\d+(?:\.\d+)?(?:ns|µs|μs|us|ms|s)\b"
        r"|\b\d+(?:\.\d+)?\s(?:ns|µs|μs|us|ms|s|secs?|seconds?|mins?|minutes?|hours?)\b",
        "<dur>",
    ),
)

# One pass: protected spans (kept verbatim) are tried before a bare number.
_NUMBERS = r"""(?ix)
    (?P<keep>
        \bexit(?:ed)?(?:\swith)?(?:\s(?:code|status))?[\s:=]*-?\d+   # the exit status class
      | \bexit\sstatus\s\d+
      | ::[^\s\[\]]*\[[^\]\n]*\]                                    # pytest parameter ids
      | \bts\(\d+\)                                                  # astro / tsc code
      | \b(?:HTTP(?:/[\d.]+)?|status(?:\scode)?:?)\s\d{3}\b           # HTTP status
      | \bsignal\s\d+
    )
  | (?<![\w])\d+
"""

_REPEATED = r"([=\-_*#~.+])\1{3,}"
# Jest prints a file's duration only when it was slow: drop the whole "(5.3 s)".
_PAREN_DURATION = r"\s*\((?:<dur>(?:,\s*estimated\s<dur>)?)\)"

# Cosmetic wrappers of a command: a leading ``cd DIR &&``, a trailing ``2>&1``, a
# trailing ``| head -n 50`` / ``| tail -20``.
_COMMAND_NOISE = (
    r"^cd (?:'[^']*'|\"[^\"]*\"|[^\s;&|'\"]+) && "
    r"| \| (?:head|tail)(?: -[nc]? ?\+?\d+| -[fq])*$"
    r"| 2>&1$"
)


class _Compiled:
    """The regexes of ``normalise_error``, compiled on first use.

    Importing stays cheap, and a hook that only normalises commands (PreToolUse) never
    pays the ~5 ms of compiling them.
    """

    __slots__ = (
        "ansi", "class_", "context", "control", "frame", "numbers", "paren_duration",
        "repeated", "tier1_any", "tier1_start", "tier2", "volatile",
    )  # fmt: skip

    def __init__(self) -> None:
        import re  # only for a failure or a Bash line: ~5 ms a Write does not pay

        self.ansi = re.compile(_ANSI)
        self.control = re.compile(_CONTROL)
        self.tier1_start = re.compile(_TIER1_START, re.VERBOSE)
        self.tier1_any = re.compile(_TIER1_ANY, re.VERBOSE)
        self.tier2 = re.compile(_TIER2, re.VERBOSE)
        self.context = re.compile(_CONTEXT, re.VERBOSE)
        self.class_ = re.compile(_CLASS)
        self.volatile = tuple((re.compile(pattern), repl) for pattern, repl in _VOLATILE)
        self.numbers = re.compile(_NUMBERS)
        self.repeated = re.compile(_REPEATED)
        self.paren_duration = re.compile(_PAREN_DURATION)
        self.frame = re.compile(r'^\s*File\s".*",\sline\s\d+')


_compiled: _Compiled | None = None


def _rx() -> _Compiled:
    global _compiled  # noqa: PLW0603 - a lazily built module-level cache
    if _compiled is None:
        _compiled = _Compiled()
    return _compiled


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _number(match: re.Match[str]) -> str:
    keep = match.group("keep")
    return keep if keep is not None else "N"


def _clean_lines(text: str) -> list[str]:
    """ANSI-free, control-free, progress-redraw-free, non-blank lines of a capped text."""
    rx = _rx()
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        # Cut at line ends so that no half line (whose cut point moves) survives.
        head = text[:_HEAD_CHARS]
        tail = text[-_TAIL_CHARS:]
        if "\n" in head:
            head = head.rpartition("\n")[0]
        if "\n" in tail:
            tail = tail.partition("\n")[2]
        text = head + "\n" + tail
    text = rx.ansi.sub("", text)
    lines = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        # A progress bar redraws with \r: only the last frame was visible.
        line = raw.rpartition("\r")[2] if "\r" in raw else raw
        line = rx.control.sub("", line).rstrip()
        if line.strip():
            lines.append(line)
    return lines


def _keyword_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines that contain a failure keyword (a superset of the matches)."""
    low = "\n".join(lines).lower()
    starts = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    hits = set()
    for word in _KEYWORDS:
        at = low.find(word)
        while at != -1:
            index = bisect_right(starts, at) - 1
            hits.add(index)
            # Skip to the next line: one hit per line is enough.
            at = low.find(word, starts[index + 1] if index + 1 < len(starts) else len(low))
    return hits


def _identifying(lines: list[str]) -> tuple[list[str], list[str]]:
    """The exit-status lines, and the lines that identify the failure.

    Known formats win. Without them, lines with failure words plus the last few lines
    (where unknown tools print their verdict); without those either, the last lines.
    """
    rx = _rx()
    keyword = _keyword_lines(lines)
    classes = []
    tier1 = []
    tier2 = []
    rest = []
    after_frame = False
    for index, line in enumerate(lines):
        if rx.class_.match(line):
            classes.append(line)
            continue
        # The source line under a Python traceback frame changes with every edit.
        source, after_frame = after_frame, rx.frame.match(line) is not None
        if source or after_frame or rx.context.match(line):
            continue
        rest.append(line)
        if rx.tier1_start.match(line) or (index in keyword and rx.tier1_any.search(line)):
            tier1.append(line)
        elif not tier1 and index in keyword and rx.tier2.search(line):
            tier2.append(line)
    if tier1:
        chosen = tier1
    elif tier2:
        chosen = tier2 + rest[-_TAIL_LINES:]
    else:
        chosen = rest[-_FALLBACK_LINES:]
    if len(chosen) > 2 * _SCAN_LINES:
        # Normalising costs a dozen substitutions per line: bound it for huge logs.
        chosen = chosen[:_SCAN_LINES] + chosen[-_SCAN_LINES:]
    return classes, chosen


def normalise_line(line: str) -> str:
    """One line with its volatile parts replaced and its whitespace collapsed."""
    rx = _rx()
    for pattern, repl in rx.volatile:
        line = pattern.sub(repl, line)
    line = rx.paren_duration.sub("", line)
    line = rx.numbers.sub(_number, line)
    line = rx.repeated.sub(r"\1\1\1", line)
    line = _squeeze(line)
    if len(line) > _MAX_LINE_CHARS:
        line = line[:_MAX_LINE_CHARS]
    return line


def normalise_error(text: str) -> str:
    """The identifying lines of an error output, volatile parts removed, one per line."""
    classes, chosen = _identifying(_clean_lines(text))
    seen = set()
    for line in chosen:
        seen.add(normalise_line(line))
    seen.discard("")
    body = sorted(seen)[:_MAX_LINES]
    # The exit status stays first and separate: "Exit code 1" and "Exit code 2" on the
    # same output are different failure classes.
    head = sorted({normalise_line(line) for line in classes})
    return "\n".join(head + body)


def _without_comments(command: str) -> str:
    """``command`` without its comments (bash ignores them; so does the cap), found by the
    shell analyser's own reader of the line."""
    if "#" not in command:
        return command
    from agentguard.shell.comments import without_comments

    return without_comments(command)


def normalise_command(command: str) -> str:
    """A shell command with whitespace collapsed and cosmetic wrappers removed.

    Removed: leading ``cd DIR &&`` steps (agents alternate between ``cd x && npm test``
    and ``npm test``), a trailing ``2>&1`` and a trailing ``| head``/``| tail`` with
    numeric options. Merging more attempts only makes the loop cap stricter.
    """
    text = _squeeze(_without_comments(command))
    while True:
        # What each alternative of the pattern needs, tested first: most lines have
        # none, and skip compiling it (and importing ``re``). Squeezed: no newline.
        if not (
            text.startswith("cd ")
            or text.endswith(" 2>&1")
            or " | head" in text
            or " | tail" in text
        ):
            return text
        stripped = compiled(_COMMAND_NOISE).sub("", text)
        if stripped == text:
            return text
        text = stripped


def normalise_subject(tool: str, subject: str) -> str:
    """The command (for Bash) or the path (for file tools) that failed, normalised."""
    if tool == "Bash":
        return normalise_command(subject)
    subject = subject.strip()
    if subject.startswith(("/", "./", "../")) or os.sep in subject:
        return os.path.normpath(subject)
    return _squeeze(subject)


def fingerprint(parts: Iterable[str]) -> str:
    """16 hex characters of sha256 over already-normalised parts."""
    digest = sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:SIGNATURE_LENGTH]


def signature(tool: str, subject: str, error: str) -> str:
    """The failure signature of ``tool`` failing on ``subject`` with output ``error``."""
    return fingerprint((tool, normalise_subject(tool, subject), normalise_error(error)))


def subject_signature(tool: str, subject: str) -> str:
    """A signature of the attempt alone (no error): what PreToolUse can compute."""
    return fingerprint((tool, normalise_subject(tool, subject)))


def first_error_line(error: str, width: int = 200) -> str:
    """The most telling line of an error output, cleaned but with its real values."""
    strong = compiled(_STRONG, 64)  # re.VERBOSE, without importing re
    classes, chosen = _identifying(_clean_lines(error))
    best = next((line for line in chosen if strong.search(line)), None)
    if best is None:
        best = next(iter(chosen), None) or (classes[0] if classes else "")
    best = _squeeze(best)
    if len(best) > width:
        best = best[: width - 1] + "…"
    return best or "(no output)"


def describe(tool: str, subject: str, error: str, width: int = 200) -> str:
    """One line for messages and logs: what failed and its most telling error line."""
    what = _squeeze(subject)
    if len(what) > 80:
        what = what[:79] + "…"
    head = f"{tool} `{what}`" if what else tool
    return f"{head}: {first_error_line(error, width)}"
