"""``agentguard demo`` as a user runs it, and its replay shared by the session (see conftest)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from agentguard.commands import demo

# The real replay, before Demo.main puts the session's in its place.
REPLAY = demo.replay


class Demo:
    """The session's demo: one run as a user runs it, one replay the other forms render.

    A replay makes about seventy hook calls, each in its own process (4 to 5 s of CPU).
    The ``--keep`` run in a process is what a person sees at 80 columns (its log feeds the
    log views' tests); the other widths and ``--format json`` come from ``demo.main`` in
    this process over one remembered replay, and a test pins that at 80 columns the two
    print the same table.
    """

    def __init__(self) -> None:
        self._runs: dict[tuple[str, ...], str] = {}
        self._replay: demo.Replay | None = None

    def run(self, *args: str, columns: int = 80) -> str:
        """The demo's stdout for ``args`` at ``columns``, run in its own process (once)."""
        key = (str(columns), *args)
        if key not in self._runs:
            # The default temporary folder, as a user's: its paths are printed whole, and
            # pytest's longer ones would not fit a 60-column table.
            env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTGUARD_")}
            env["COLUMNS"] = str(columns)
            self._runs[key] = subprocess.run(
                [sys.executable, "-m", "agentguard", "demo", *args],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=300,
            ).stdout
        return self._runs[key]

    def replay(self) -> demo.Replay:
        """One replay of the example through the real hook, made once per session."""
        if self._replay is None:
            self._replay = REPLAY(Path(tempfile.mkdtemp(prefix="agentguard-demo-")))
        return self._replay

    def main(self, *args: str, columns: int = 80) -> str:
        """What ``agentguard demo ARGS`` prints at ``columns``, from ``demo.main`` in this
        process over the session's replay."""
        out = io.StringIO()
        with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
            patch.setenv("COLUMNS", str(columns))
            patch.setattr(demo, "replay", lambda root: self.replay())
            assert demo.main(list(args)) == 0
        return out.getvalue()

    def close(self) -> None:
        """Remove the kept folder of the ``--keep`` run and the replay's, if there were."""
        if ("80", "--keep") in self._runs:
            shutil.rmtree(self.kept()[0], ignore_errors=True)
        if self._replay is not None:
            shutil.rmtree(self._replay.root, ignore_errors=True)

    def kept(self) -> tuple[Path, str]:
        """The kept folder of the ``--keep`` run at 80 columns, and its table without the
        ``kept:`` line (the same table a run without ``--keep`` prints)."""
        out = self.run("--keep")
        table, _, folder = out.rstrip("\n").rpartition("\nkept: ")
        return Path(folder), table.rstrip("\n") + "\n"
