"""One hook call, in-process through ``hook.main`` or in a real ``python -m agentguard`` process.

The corpora run thousands of calls: a process each costs a Python start-up and the imports
(about 150 ms here), the in-process call a few milliseconds. :func:`in_process` gives each call
what the process gave it (its environment as a mapping, its working folder, stdin and stdout as
streams) and checks that it leaves the test process as it found it: ``os.environ``, the working
folder, the budget's timer and SIGALRM handler, ``sys.unraisablehook``. :func:`in_subprocess`
takes the same arguments, for the smoke tests that keep the real entry points honest.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agentguard.hook.run import main

REPO_ROOT = Path(__file__).resolve().parent.parent
# The committed entry a checkout registers ("$CLAUDE_PROJECT_DIR"/hooks/agentguard).
CHECKOUT_ENTRY = REPO_ROOT / "hooks" / "agentguard"


@dataclass(frozen=True)
class Done:
    """What one hook call produced, as ``subprocess.CompletedProcess`` names it."""

    returncode: int
    stdout: str
    stderr: str


def in_process(argv: Sequence[str], stdin: str, env: Mapping[str, str], cwd: Path | str) -> Done:
    """Run ``agentguard hook *argv`` through ``hook.main`` in this process, as a process would.

    The call runs in ``cwd`` (the hook reads the working folder when an event names none) and
    sees only ``env``. Anything it leaves behind that a process would have taken with it
    fails the test: a changed ``os.environ``, an armed timer.
    """
    environ = dict(os.environ)
    before = os.getcwd()
    handler = signal.getsignal(signal.SIGALRM)
    unraisable = sys.unraisablehook
    out, err = io.StringIO(), io.StringIO()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stderr(err):
            code = main(list(argv), io.StringIO(stdin), out, dict(env))
    finally:
        os.chdir(before)
        timer = signal.getitimer(signal.ITIMER_REAL)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
        sys.unraisablehook = unraisable
    assert timer == (0.0, 0.0), f"the hook left its budget timer armed: {timer}"
    assert dict(os.environ) == environ, "the hook changed os.environ"
    return Done(code, out.getvalue(), err.getvalue())


def in_subprocess(
    argv: Sequence[str],
    stdin: str,
    env: Mapping[str, str],
    cwd: Path | str,
    entry: Sequence[str] = (sys.executable, "-m", "agentguard", "hook"),
    timeout: float = 60,
) -> Done:
    """Run ``entry *argv`` in a real process (``python -m agentguard hook`` unless told)."""
    done = subprocess.run(
        [*entry, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=str(cwd),
        timeout=timeout,
        check=False,
    )
    return Done(done.returncode, done.stdout, done.stderr)
