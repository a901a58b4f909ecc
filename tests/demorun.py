"""``agentguard demo`` run as a user runs it, once per form and session (see conftest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


class Demo:
    """``agentguard demo`` as a user runs it, each form run at most once per session.

    A demo run replays about forty hook calls, each in its own process (3 to 4 s of CPU):
    the tests that read its log, its table at 80 columns or its JSON share one run each.
    """

    def __init__(self) -> None:
        self._runs: dict[tuple[str, ...], str] = {}

    def run(self, *args: str, columns: int = 80) -> str:
        """The demo's stdout for ``args`` at ``columns`` (run once, then remembered)."""
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

    def close(self) -> None:
        """Remove the kept folder of the ``--keep`` run, if there was one."""
        if ("80", "--keep") in self._runs:
            shutil.rmtree(self.kept()[0], ignore_errors=True)

    def kept(self) -> tuple[Path, str]:
        """The kept folder of the ``--keep`` run at 80 columns, and its table without the
        ``kept:`` line (the same table a run without ``--keep`` prints)."""
        out = self.run("--keep")
        table, _, folder = out.rstrip("\n").rpartition("\nkept: ")
        return Path(folder), table.rstrip("\n") + "\n"
