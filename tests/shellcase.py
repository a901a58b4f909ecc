"""Short readings of a shell analysis for the shell behaviour tests (classes, targets, argvs)."""

from __future__ import annotations

import os
from pathlib import Path

from agentguard.shell import analyse
from agentguard.shell.model import Analysis

HOME = {"HOME": "/home/u"}


def classes(line: str, cwd: Path) -> set[str]:
    """The classes of ``line`` analysed in ``cwd``."""
    return analyse(line, str(cwd), HOME).classes


def targets(analysis: Analysis, attr: str, cwd: Path) -> list[str]:
    """Every ``attr`` target (``writes``, ``deletes``, ``reads``) of ``analysis``, from ``cwd``."""
    return [os.path.relpath(p, cwd) for c in analysis.commands for p in getattr(c, attr)]


def unresolved(analysis: Analysis, kind: str) -> list[str]:
    """What ``analysis`` could not resolve of ``kind`` (``write``, ``read``, ``delete``)."""
    return [text for c in analysis.commands for k, text in c.unresolved if k == kind]


def runs(line: str, cwd: Path, argv: list[str]) -> bool:
    """Whether ``line`` analysed in ``cwd`` runs a command with exactly ``argv``."""
    return any(c.argv == argv for c in analyse(line, str(cwd), HOME).commands)
