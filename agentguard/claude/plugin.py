"""agentguard as a Claude Code plugin: the files that make this repository one. Cold path.

A team installs the plugin from this repository (``/plugin marketplace add <owner>/agentguard``,
then ``/plugin install agentguard@agentguard``); an organisation forces it with managed
``enabledPlugins``. The repository root is the plugin's root:

- ``.claude-plugin/plugin.json``: the manifest (name, version, description);
- ``.claude-plugin/marketplace.json``: a one-plugin marketplace whose source is ``./``;
- ``hooks/hooks.json``: the hooks, from :func:`agentguard.claude.settings.hook_entries`, the code
  ``install`` writes settings with, so events, matchers, timeout and ``onFailure`` never
  drift apart; ``hooks/skill-hooks.json`` (named in the manifest) holds the events an older
  Claude Code does not know. Unlike a settings file, a plugin's hooks file is validated
  strictly: 2.1.197 refuses a whole file that names ``PreSkillShellCommand`` (tested), so
  with one file it would load no agentguard hook at all. Split, it loads ``hooks.json`` and
  logs an error for the other, which 2.1.332 loads;
- ``hooks/agentguard-plugin``: the entry those hooks run
  (:data:`agentguard.claude.entry.PLUGIN_SCRIPT`), the project entry's lookup
  (``$AGENTGUARD_PYTHON``, the project's ``.venv``, a linked worktree's main checkout,
  ``agentguard`` on ``PATH``) rooted at ``$CLAUDE_PROJECT_DIR``,
  because the plugin's folder is a copy of this repository, not the project. Where nothing is
  found it refuses every tool call, naming the install command.

The plugin carries no Python for the hook to run: agentguard is installed like any other
way (pipx or the project's .venv); the plugin only registers it. All five files are
generated: ``python -m agentguard.claude.plugin --write`` rewrites them and tests/test_generated.py
fails when one is stale.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentguard import __version__
from agentguard.claude import entry, settings

NAME = "agentguard"
DESCRIPTION = (
    "Claude Code hooks and a declarative policy that keep parallel coding agents in their lane."
)
AUTHOR = "agentguard maintainers"
ROOT = Path(__file__).resolve().parents[2]
ENTRY = "hooks/agentguard-plugin"
# Quoted: the plugin cache path may hold spaces. Claude Code substitutes the variable in the
# command and also exports it, so the quotes work either way.
COMMAND = '"${CLAUDE_PLUGIN_ROOT}"/' + ENTRY
MANIFEST = ".claude-plugin/plugin.json"
MARKETPLACE = ".claude-plugin/marketplace.json"
HOOKS = "hooks/hooks.json"
NEWER_HOOKS = "hooks/skill-hooks.json"
# Events 2.1.197's plugin loader rejects by name (a file naming one loads nothing).
NEWER_EVENTS = ("PreSkillShellCommand",)


def command(event: str) -> str:
    """The plugin's hook command for ``event``."""
    return f"{COMMAND} {event}"


def hooks_document(newer: bool = False) -> dict[str, Any]:
    """``hooks/hooks.json`` (``newer``: ``hooks/skill-hooks.json``): the groups ``install``
    writes, with the plugin's command, split by :data:`NEWER_EVENTS`."""
    entries = settings.hook_entries(command)
    return {
        "description": (
            "agentguard: skill shell commands (Claude Code 2.1.332+)"
            if newer
            else "agentguard: the policy gate, evidence and the Stop gate"
        ),
        "hooks": {
            event: groups for event, groups in entries.items() if (event in NEWER_EVENTS) is newer
        },
    }


def manifest() -> dict[str, Any]:
    """``.claude-plugin/plugin.json``."""
    return {
        "name": NAME,
        "version": __version__,
        "description": DESCRIPTION,
        "author": {"name": AUTHOR},
        "license": "MIT",
        "keywords": ["hooks", "policy", "guard", "agents"],
        # hooks/hooks.json loads by itself; this names the extra file.
        "hooks": "./" + NEWER_HOOKS,
    }


def marketplace() -> dict[str, Any]:
    """``.claude-plugin/marketplace.json``: this repository as a one-plugin marketplace."""
    return {
        "name": NAME,
        "owner": {"name": AUTHOR},
        "metadata": {"description": "agentguard, as a Claude Code plugin"},
        "plugins": [
            {
                "name": NAME,
                "source": "./",
                "description": DESCRIPTION,
                "version": __version__,
                "author": {"name": AUTHOR},
            }
        ],
    }


def render() -> dict[str, str]:
    """Every generated file of the plugin (path relative to the root -> text)."""
    return {
        MANIFEST: settings.dumps(manifest()),
        MARKETPLACE: settings.dumps(marketplace()),
        HOOKS: settings.dumps(hooks_document()),
        NEWER_HOOKS: settings.dumps(hooks_document(newer=True)),
        ENTRY: entry.PLUGIN_SCRIPT,
    }


def stale(root: Path = ROOT) -> list[str]:
    """The generated files under ``root`` that are missing or differ (or, the entry, not
    executable)."""
    out = []
    for relative, text in render().items():
        path = root / relative
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text or (relative == ENTRY and not os.access(path, os.X_OK)):
            out.append(relative)
    return out


def write(root: Path = ROOT) -> list[str]:
    """Rewrite the stale files under ``root``; the ones written."""
    from agentguard.commands.settings_file import write_atomic

    written = stale(root)
    texts = render()
    for relative in written:
        write_atomic(str(root / relative), texts[relative], 0o755 if relative == ENTRY else None)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m agentguard.claude.plugin [--write]``: check (exit 1 when stale) or rewrite."""
    parser = argparse.ArgumentParser(
        prog="python -m agentguard.claude.plugin",
        description="Check or rewrite the files that make this repository a Claude Code plugin.",
    )
    parser.add_argument("--write", action="store_true", help="rewrite the stale files")
    parser.add_argument("--root", default=str(ROOT), help="the plugin root (default: this repo)")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.write:
        for relative in write(root):
            print(f"wrote {relative}")
        return 0
    found = stale(root)
    for relative in found:
        print(
            f"{relative}: stale; run `python -m agentguard.claude.plugin --write`", file=sys.stderr
        )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
