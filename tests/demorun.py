"""``agentguard demo`` replayed once per session, and its forms over that replay (see conftest)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from agentguard.commands import demo

# The real replay, before Demo.main puts the session's in its place.
REPLAY = demo.replay


class Demo:
    """The session's demo, replayed once: ``agentguard demo --keep`` at 80 columns.

    A replay makes about seventy hook calls, each in its own process as Claude Code runs
    them (5 to 6 s of CPU), so the session makes one: ``demo.main(["--keep"])`` in this
    process, its replay remembered. The other widths and ``--format json`` are the same
    main over that replay; the kept folder's log feeds the log views' tests. The demo as
    a process of its own is tested in test_cli (its output into a closed pipe).
    """

    def __init__(self) -> None:
        self._kept: tuple[Path, str] | None = None
        self._replay: demo.Replay | None = None

    def _remember(self, root: Path) -> demo.Replay:
        self._replay = REPLAY(root)
        return self._replay

    def replay(self) -> demo.Replay:
        """The session's replay of the example through the real hook."""
        if self._replay is None:
            self.kept()
        assert self._replay is not None
        return self._replay

    def main(self, *args: str, columns: int = 80) -> str:
        """What ``agentguard demo ARGS`` prints at ``columns``, from ``demo.main`` in this
        process over the session's replay."""
        made = self.replay()
        return self._main(args, columns, lambda root: made)

    @staticmethod
    def _main(args: tuple[str, ...], columns: int, replay: Callable[[Path], demo.Replay]) -> str:
        out = io.StringIO()
        env = {k: v for k, v in os.environ.items() if k.startswith("AGENTGUARD_")}
        with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
            patch.setenv("COLUMNS", str(columns))
            for name in env:  # as a user's shell: no test's state folder or policy
                patch.delenv(name)
            patch.setattr(demo, "replay", replay)
            assert demo.main(list(args)) == 0
        return out.getvalue()

    def close(self) -> None:
        """Remove the kept folder, if the session made one."""
        if self._kept is not None:
            shutil.rmtree(self._kept[0], ignore_errors=True)

    def kept(self) -> tuple[Path, str]:
        """The kept folder of the ``--keep`` run at 80 columns, and its table without the
        ``kept:`` line (the same table a run without ``--keep`` prints)."""
        if self._kept is None:
            out = self._main(("--keep",), 80, self._remember)
            table, _, folder = out.rstrip("\n").rpartition("\nkept: ")
            self._kept = Path(folder), table.rstrip("\n") + "\n"
        return self._kept
