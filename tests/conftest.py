"""Shared fixtures: a state folder, the article's repository, a small worktree, the demo's log."""

from __future__ import annotations

import compileall
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from demorun import Demo
from world import World, build_world

import agentguard
from agentguard import budget


def pytest_configure(config: pytest.Config) -> None:
    """Byte-compile agentguard once, before any test starts a process that imports it, and
    put the session's temporary folders in memory where the machine has room for them.

    An editable install is never compiled, and where PYTHONDONTWRITEBYTECODE is set (as on
    this workplace's machines) no process writes what it compiled: every hook process the
    suite starts would compile agentguard's modules again (75 ms a call instead of 35 ms).
    pip compiles an installed package the same way; an up-to-date file is not rewritten.
    """
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        return
    compileall.compile_dir(Path(agentguard.__file__).parent, quiet=2)
    memory = memory_temproot(config)
    if memory is not None:
        # Read by pytest when it first makes the session's base folder, after configure;
        # xdist's workers are handed a folder under it.
        os.environ["PYTEST_DEBUG_TEMPROOT"] = memory


MEMORY_ROOT = "/dev/shm"
MEMORY_NEEDED = 4 << 30  # a run peaks near 350 MB there, keeps 125 MB; pytest keeps three


def memory_temproot(config: pytest.Config) -> str | None:
    """The folder in memory the session's temporary trees go to, when this machine has one.

    The suite makes about 90,000 files and folders a run (git repositories, the glob caps'
    trees, 10,000 counter files), and pytest deletes the run of three sessions ago at the
    end, on one core. On this workplace's ext4 (mounted with ``discard``) that deletion
    alone took 16 s and creating the trees several more; on tmpfs both are a tenth of it.
    A ``--basetemp`` or ``PYTEST_DEBUG_TEMPROOT`` of the user's wins, and a machine
    without a roomy ``/dev/shm`` (macOS; Docker's 64 MB default) keeps the usual folder.
    """
    if config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return None
    if not sys.platform.startswith("linux") or not os.access(MEMORY_ROOT, os.W_OK | os.X_OK):
        return None
    try:
        stat = os.statvfs(MEMORY_ROOT)
    except OSError:
        return None
    if stat.f_flag & os.ST_NOEXEC:  # the tests run scripts they write (fake tools, hooks)
        return None
    return MEMORY_ROOT if stat.f_bavail * stat.f_frsize >= MEMORY_NEEDED else None


@pytest.fixture(autouse=True, scope="session")
def _generous_budget() -> Iterator[None]:
    """In-process hook calls get a 60 s budget instead of 5 s while tests run.

    A shared CI machine can starve a process for seconds; the budget is a safety net
    against commands that make the guard work for minutes, not a latency check (speed
    lives in benchmarks/). Tests of the budget itself set AGENTGUARD_BUDGET explicitly.
    """
    before = budget.DEFAULT
    budget.DEFAULT = 60.0
    yield
    budget.DEFAULT = before


@pytest.fixture
def agentguard_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``AGENTGUARD_HOME`` for this test (logs, cache, crash files land here)."""
    home = tmp_path / "agentguard-home"
    monkeypatch.setenv("AGENTGUARD_HOME", str(home))
    return home


@pytest.fixture
def worktree(tmp_path: Path) -> Path:
    """A small agent worktree for the shell tests: on agent/a, with src/, a content folder,
    a secret (.env), a script, an installed tool (astro) and a package.json."""
    root = tmp_path / "wt"
    (root / ".git" / "refs" / "heads" / "agent").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/agent/a\n")
    (root / ".git" / "refs" / "heads" / "agent" / "a").write_text("0" * 40 + "\n")
    (root / "src" / "components" / "search").mkdir(parents=True)
    (root / "src" / "content").mkdir()
    (root / "src" / "content" / "config.ts").write_text("x")
    (root / "scripts").mkdir()
    (root / "scripts" / "tool.py").write_text("print(1)\n")
    (root / "node_modules" / ".bin").mkdir(parents=True)
    (root / "node_modules" / ".bin" / "astro").write_text("#!/bin/sh\n")
    (root / ".env").write_text("TOKEN=1")
    (root / "package.json").write_text('{"scripts": {"check": "astro check"}}')
    return root


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The article's repository with real linked worktrees, built once per session (git is slow)."""
    return build_world(tmp_path_factory.mktemp("world") / "w")


@pytest.fixture(scope="session")
def demo_runs() -> Iterator[Demo]:
    """The session's demo runs (:class:`Demo`); the kept folder goes at the end."""
    runs = Demo()
    yield runs
    runs.close()


@pytest.fixture(scope="session")
def demo_home(demo_runs: Demo) -> Path:
    """The state folder of one ``agentguard demo`` run: a log written by real hook calls."""
    return demo_runs.kept()[0] / "state"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the tests that share expensive session state on one xdist worker.

    ``--dist loadgroup`` (pyproject's addopts) sends a group to one worker: the demo's
    replays are made once instead of once per worker, and the end-to-end tests drive one
    Claude Code at a time, as they were written to, while the other worker runs the rest.
    """
    for item in items:
        if "demo_runs" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
        elif item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.xdist_group("e2e"))
