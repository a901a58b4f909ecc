"""The hook's wall-clock budget: every evaluation ends well inside Claude Code's timeout. Hot path.

``install`` registers the hooks with ``"timeout": 30``; past it Claude Code kills the hook and
runs the tool (fail open). So the hook arms a real-time timer when it starts; when the timer
fires, :class:`OverBudget` is raised wherever the evaluation is, and the hook answers the
policy's ``on_error`` decision instead. Loops that could enumerate without bound (globs, deep
paths) also call :func:`check` so they stop at a clean point rather than wherever the signal
lands.

``OverBudget`` derives from ``BaseException`` on purpose: analysis code has a few broad
``except Exception`` fallbacks, and none of them may swallow the deadline.

Uses ``_signal`` (built in) rather than ``signal``, which imports ``enum`` (milliseconds).
"""

from __future__ import annotations

import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import FrameType
    from typing import Any

BUDGET_ENV = "AGENTGUARD_BUDGET"
# Seconds. Claude Code's timeout (30 s as installed) minus room for a slow interpreter start,
# logging and a loaded machine.
DEFAULT = 5.0
_MAX = 25.0

_deadline: list[float] = []


class OverBudget(BaseException):
    """The evaluation ran past its wall-clock budget."""

    def __init__(self, seconds: float, where: str = "") -> None:
        self.seconds = seconds
        self.where = where
        place = f" ({where})" if where else ""
        super().__init__(
            f"the evaluation ran past its {seconds:g} s budget{place}; the call is judged as a"
            " guard error"
        )


def seconds(env: Mapping[str, str]) -> float:
    """The budget in seconds: ``AGENTGUARD_BUDGET`` (0 < value <= 25), else 5."""
    raw = env.get(BUDGET_ENV, "")
    try:
        value = float(raw) if raw else DEFAULT
    except ValueError:
        return DEFAULT
    if not 0 < value <= _MAX:
        return DEFAULT
    return value


# After the first signal, the timer fires again this often until stop(): a signal that
# lands where Python ignores exceptions (a weakref or import-lock callback) would otherwise
# be lost, and the evaluation would run on past its budget.
_REPEAT = 0.1


def _fire(signum: int, frame: FrameType | None) -> None:
    raise OverBudget(_deadline[1] if len(_deadline) > 1 else DEFAULT)


def _unraisable(args: Any) -> None:
    """Python's hook for exceptions it cannot raise: silent for a lost OverBudget (the
    repeating timer raises it again where it counts), the default for anything else."""
    if not isinstance(args.exc_value, OverBudget):
        sys.__unraisablehook__(args)


def start(budget: float) -> None:
    """Arm the timer: :class:`OverBudget` is raised ``budget`` seconds from now."""
    _deadline[:] = [time.monotonic() + budget, budget]
    try:
        import _signal  # type: ignore[import-not-found,unused-ignore]

        _signal.signal(_signal.SIGALRM, _fire)
        _signal.setitimer(_signal.ITIMER_REAL, budget, _REPEAT)
        # "Exception ignored in ...": a traceback on stderr, never for a lost deadline.
        sys.unraisablehook = _unraisable
    except (ImportError, AttributeError, ValueError, OSError):
        # No SIGALRM (Windows) or not the main thread (in-process tests): check() still works.
        pass


def stop() -> None:
    """Disarm the timer (before the answer is written and logged)."""
    try:
        import _signal  # type: ignore[import-not-found,unused-ignore]

        _signal.setitimer(_signal.ITIMER_REAL, 0)
    except (ImportError, AttributeError, ValueError, OSError):
        pass
    _deadline.clear()


def remaining() -> float | None:
    """Seconds left, or None when no budget is armed."""
    if not _deadline:
        return None
    return _deadline[0] - time.monotonic()


def check(where: str = "") -> None:
    """Raise :class:`OverBudget` when the armed budget is spent (a cheap clock read)."""
    if _deadline and time.monotonic() > _deadline[0]:
        raise OverBudget(_deadline[1], where)
