"""The budget's timer keeps firing until the hook disarms it, and a lost firing is silent."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_swallowed_deadline_fires_again() -> None:
    """OverBudget lost where Python ignores exceptions comes back; nothing reaches stderr."""
    script = textwrap.dedent(
        """
        import sys, time, weakref
        from agentguard import budget

        class Thing:
            pass

        budget.start(0.05)
        # A weakref callback is a place where Python prints and drops an exception.
        thing = Thing()
        ref = weakref.ref(thing, lambda r: time.sleep(0.2))
        try:
            del thing  # the callback runs now, and the first signal lands inside it
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                time.sleep(0.01)
            print("no second deadline")
        except budget.OverBudget as exc:
            budget.stop()
            print("over budget:", exc.seconds)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "over budget: 0.05"
    assert done.stderr == ""


def test_stop_disarms_the_repeating_timer() -> None:
    """After stop(), no further signal arrives."""
    script = textwrap.dedent(
        """
        import time
        from agentguard import budget

        budget.start(0.05)
        try:
            time.sleep(1)
        except budget.OverBudget:
            budget.stop()
        time.sleep(0.5)
        print("quiet")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "quiet", "")
