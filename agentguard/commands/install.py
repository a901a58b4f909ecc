"""``agentguard install`` / ``uninstall``: register the hooks in a Claude Code settings file.

Cold path. The settings file belongs to the user and to Claude Code, so this module merges
(``agentguard/claude/settings.py`` holds the rules), keeps the file's bytes when nothing
changes, keeps its indentation when it was written by ``JSON.stringify``-like code, backs
the file up before each write, writes atomically, and refuses a file it cannot parse
instead of guessing.

The backup ``<file>.agentguard.bak`` holds the file as it was before agentguard's first write
to it, and is never replaced; ``<file>.agentguard.prev`` holds it as it was just before the
latest write. Uninstall gives the file back when it was agentguard's own doing: when the
file, without agentguard's hooks, holds what that original held, the original's bytes come
back (its formatting too) and the backups go; a file agentguard created and nothing else
is in goes. A file someone changed since keeps their change: only the hooks are taken out.

``--scope managed`` writes ``agentguard.json`` into the managed settings folder
(``/etc/claude-code/managed-settings.d`` on Linux, read by Claude Code 2.1.83+ on top of
``managed-settings.json``; ``--path`` names another folder or file). The fragment is
agentguard's alone: its hooks, and ``allowManagedHooksOnly`` with ``--managed-hooks-only``;
uninstall removes both and the file once nothing else is in it. Its command names the
interpreter by absolute path (python style), never a project's entry or ``PATH``: managed
hooks run in every project on the machine, checkout or not, and a ``PATH`` lookup would let
a user or an agent put another ``agentguard`` first.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from agentguard.claude import entry
from agentguard.claude import settings as settings_mod
from agentguard.commands.hook_command import command_factory, install_commands
from agentguard.commands.settings_file import (
    BACKUP_SUFFIX,
    SCOPES,
    Style,
    back_up,
    check_writable,
    detect_style,
    drop_backups,
    load,
    managed_folder,
    pre_install,
    settings_path,
    shown,
    write_atomic,
)
from agentguard.errors import InstallError, SettingsError
from agentguard.policy import compiled

HOOKS_ONLY = "allowManagedHooksOnly"


def render_project_settings(existing: str | None = None) -> str:
    """This repository's own ``.claude/settings.json`` (script style: machine-independent).

    With ``existing`` (the committed text), agentguard's hooks are merged into it, so other keys
    a maintainer adds do not make the file stale.
    """
    value: dict[str, Any] = json.loads(existing) if existing and existing.strip() else {}
    entries = settings_mod.hook_entries(command_factory("script", "", None))
    merged = settings_mod.merge(value, entries)
    style = detect_style(existing, value) if existing else None
    return (style or Style()).render(merged)


def mark_policy(project: str, out: TextIO | None = None) -> bool:
    """Record in ``.claude/agentguard-policy`` that ``project`` has its own policy.

    From then on the hook treats a missing policy as a guard error instead of falling back
    to the bundled default (:func:`agentguard.policy.compiled.discover`). Written only when the
    project holds a policy (``agentguard.yaml`` or ``.agentguard/``) and the marker is
    missing or stale; True when written.
    """
    if os.path.lexists(os.path.join(project, compiled.PROJECT_FILE)):
        named = compiled.PROJECT_FILE
    elif os.path.isdir(os.path.join(project, compiled.PROJECT_DIR)):
        named = compiled.PROJECT_DIR
    else:
        return False
    path = os.path.join(project, compiled.MARKER)
    text = f"{named}\n"
    try:
        with open(path, encoding="utf-8") as fh:
            if fh.read() == text:
                return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    if out is not None:
        print(f"wrote {compiled.MARKER}: this project's policy is {named}; commit it", file=out)
        print("  (a missing policy is then a guard error, not the bundled default)", file=out)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """``install ...`` or ``uninstall ...``; returns the exit status (2 on a refusal)."""
    args = _parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        return _run(args, out, err)
    except InstallError as exc:
        print(f"agentguard {args.action}: {exc}", file=err)
        return 2
    except OSError as exc:
        where = exc.filename or "settings"
        print(f"agentguard {args.action}: {where}: {exc.strerror}; nothing was changed", file=err)
        return 1


def install_main(argv: Sequence[str] | None = None) -> int:
    """``agentguard install [options]``; ``argv`` holds the options after the word ``install``."""
    return main(["install", *(sys.argv[1:] if argv is None else argv)])


def uninstall_main(argv: Sequence[str] | None = None) -> int:
    """``agentguard uninstall [options]``; ``argv`` holds the options after ``uninstall``."""
    return main(["uninstall", *(sys.argv[1:] if argv is None else argv)])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentguard", description="Register agentguard's hooks in Claude Code settings."
    )
    actions = parser.add_subparsers(dest="action", required=True)
    for action, text in (
        ("install", "add or update agentguard's hooks"),
        ("uninstall", "remove agentguard's hooks and nothing else"),
    ):
        sub = actions.add_parser(action, help=text, description=text)
        sub.add_argument(
            "--scope",
            choices=tuple(SCOPES),
            default="project",
            help="project: .claude/settings.json (committed); local: .claude/settings.local.json;"
            " user: ~/.claude/settings.json; managed: agentguard.json in"
            f" {managed_folder()} (every user of the machine) (default: project)",
        )
        sub.add_argument(
            "--path",
            default=None,
            help="--scope managed: the managed-settings.d folder (or the fragment's .json file)"
            " to write instead of the default",
        )
        sub.add_argument(
            "--project",
            default=None,
            help="project folder (default: the root of the repository the current folder is in)",
        )
        sub.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")
        if action == "install":
            sub.add_argument(
                "--command-style",
                choices=("entry", "python", "script"),
                default=None,
                help="entry: writes .claude/hooks/agentguard, which finds agentguard on any"
                " clone and refuses every tool call where it is not installed (default for"
                ' --scope project); python: "<interpreter>" -m agentguard hook EVENT (default'
                " for local, user and managed, and with --python); script:"
                ' "$CLAUDE_PROJECT_DIR"/hooks/agentguard EVENT, for a checkout of agentguard',
            )
            sub.add_argument(
                "--managed-hooks-only",
                action="store_true",
                help='--scope managed: also set "allowManagedHooksOnly": true, so only managed'
                " hooks (and plugins managed settings enable) run; project, user and local"
                " hooks are dropped without a word",
            )
            sub.add_argument(
                "--python",
                default=None,
                help="interpreter the hook runs, python style (default: the one running this)",
            )
    return parser


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # From a subfolder too: the settings belong to the repository's root.
    project = os.path.abspath(args.project or compiled.project_root(os.getcwd(), os.environ))
    managed = args.scope == "managed"
    if args.path is not None and not managed:
        raise InstallError("--path names the managed settings folder; use it with --scope managed")
    if getattr(args, "managed_hooks_only", False) and not managed:
        raise InstallError(
            "--managed-hooks-only sets a managed-only key; use it with --scope managed"
        )
    path = settings_path(args.scope, project, path=args.path)
    if managed and not args.dry_run:
        check_writable(path)
    loaded = load(path)
    entry_change: tuple[str, str | None] | None = None
    if args.action == "install":
        style = _style(args)
        command_for = install_commands(args, style, project, err)
        entries = settings_mod.hook_entries(command_for)
        try:
            value, notes = settings_mod.merge_with_notes(loaded.value, entries)
        except SettingsError as exc:
            raise _shape_error(path, exc) from exc
        if style == "entry":
            entry_change = _entry_to_write(project)
        if managed and args.managed_hooks_only and value.get(HOOKS_ONLY) is not True:
            value[HOOKS_ONLY] = True
            notes.append(f"{HOOKS_ONLY}: set (project, user and local hooks stop running)")
    else:
        if loaded.text is None:
            print(f"{shown(path)} does not exist; nothing to remove", file=out)
            return 0
        try:
            value, notes = settings_mod.unmerge_with_notes(loaded.value)
        except SettingsError as exc:
            raise _shape_error(path, exc) from exc
        if managed:
            # The fragment is agentguard's: the switch it added goes with its hooks.
            if value.pop(HOOKS_ONLY, None) is not None:
                notes.append(f"{HOOKS_ONLY}: removed")
            if not value:
                return _remove_fragment(path, notes, args.dry_run, out)
        else:
            entry_change = _entry_to_remove(project, path, value)
            give_back = _give_back_plan(path, loaded.text, value, notes)
            if give_back is not None:
                return _give_back(
                    project, path, loaded.text or "", give_back, notes, entry_change, args, out
                )
    if args.action == "install" and args.scope == "project" and not args.dry_run:
        mark_policy(project, out)
    before = loaded.text
    # Order-sensitive comparison: a dict == would miss a reordering.
    if before is not None and _ordered(value) == _ordered(loaded.value):
        if entry_change is None:
            print(f"{shown(path)}: already up to date; nothing written", file=out)
            return 0
        _apply_entry(project, entry_change, args.dry_run, out)
        print(f"{shown(path)}: already up to date", file=out)
        if args.dry_run:
            print("dry run: nothing written", file=out)
        return 0
    new_text = (loaded.style or Style()).render(value)
    normalised = before is not None and before.strip() != "" and loaded.style is None
    verb = "updated" if before is not None else "created"
    if args.dry_run:
        verb = "would " + verb[:-1]
    if args.dry_run:
        label = shown(path)
        out.writelines(
            difflib.unified_diff(
                (before or "").splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                fromfile=label if before is not None else "/dev/null",
                tofile=f"{label} ({args.action})",
            )
        )
        if not new_text.endswith("\n"):
            out.write("\n")
    else:
        _write(path, before, new_text, out)
    if entry_change is not None:
        _apply_entry(project, entry_change, args.dry_run, out)
    print(f"{verb} {shown(path)} (scope {args.scope}):", file=out)
    for note in notes:
        print(f"  {note}", file=out)
    if normalised:
        print(
            "  formatting normalised: the file's layout could not be reproduced, so it is written"
            " with 2-space indentation (same content apart from agentguard's hooks)",
            file=out,
        )
    if args.action == "install" and value.get("disableAllHooks") is True:
        print(
            '  note: this file sets "disableAllHooks": true, so no hook runs until it is removed',
            file=out,
        )
    if args.dry_run:
        print("dry run: nothing written", file=out)
    return 0


def _give_back_plan(
    path: str, before: str | None, value: dict[str, Any], notes: list[str]
) -> tuple[str, str | None] | None:
    """How uninstall gives back a file that was agentguard's own doing, or None.

    ``("restore", text)``: apart from agentguard's hooks (and the empty lists removing them
    leaves) the file holds what its pre-install original held, so those bytes come back.
    ``("remove", None)``: agentguard created it and nothing else is in it.
    """
    if before is None or not notes:
        return None  # nothing of agentguard's was in it: nothing to give back
    real = os.path.realpath(path)
    original = pre_install(real)
    if original is None:
        if value == {} and not os.path.lexists(real + BACKUP_SUFFIX):
            return ("remove", None)
        return None
    try:
        _, theirs = settings_mod.unmerge_with_notes(original.value)
    except SettingsError:
        return None
    if theirs:
        return None  # the original carries agentguard hooks itself: restoring would keep them
    if _ordered(_bare(original.value)) != _ordered(_bare(value)):
        return None  # changed since by someone else: keep their change, write the merge
    return ("restore", original.text)


def _bare(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` without empty hook lists or an empty ``hooks`` (what unmerge may leave)."""
    out = dict(value)
    hooks = out.get("hooks")
    if isinstance(hooks, dict):
        kept = {event: groups for event, groups in hooks.items() if groups != []}
        if kept:
            out["hooks"] = kept
        else:
            del out["hooks"]
    return out


def _give_back(
    project: str,
    path: str,
    before: str,
    plan: tuple[str, str | None],
    notes: list[str],
    entry_change: tuple[str, str | None] | None,
    args: argparse.Namespace,
    out: TextIO,
) -> int:
    """Uninstall by giving the file back: its original bytes, or no file at all."""
    action, original = plan
    real = os.path.realpath(path)
    label = shown(path)
    if args.dry_run:
        out.writelines(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                (original or "").splitlines(keepends=True),
                fromfile=label,
                tofile=f"{label} (uninstall)" if original is not None else "/dev/null",
            )
        )
    elif original is None:
        os.unlink(real)
    else:
        write_atomic(real, original, os.stat(real).st_mode & 0o7777)
    if not args.dry_run:
        drop_backups(real)
    if entry_change is not None:
        _apply_entry(project, entry_change, args.dry_run, out)
    if action == "restore":
        verb = "would restore" if args.dry_run else "restored"
        why = "the bytes it had before agentguard's first install"
    else:
        verb = "would remove" if args.dry_run else "removed"
        why = "agentguard created it and nothing else is in it"
    print(f"{verb} {label} (scope {args.scope}): {why}", file=out)
    for note in notes:
        print(f"  {note}", file=out)
    if args.dry_run:
        print("dry run: nothing written", file=out)
    return 0


def _remove_fragment(path: str, notes: list[str], dry_run: bool, out: TextIO) -> int:
    """Uninstall of a managed fragment that holds nothing else: the file goes."""
    if not dry_run:
        os.unlink(path)
    print(f"{'would remove' if dry_run else 'removed'} {shown(path)} (scope managed):", file=out)
    for note in notes:
        print(f"  {note}", file=out)
    if dry_run:
        print("dry run: nothing written", file=out)
    return 0


def _style(args: argparse.Namespace) -> str:
    """The command style: as given, else python with --python or outside the committed file."""
    if args.command_style:
        return str(args.command_style)
    return "python" if args.python or args.scope != "project" else "entry"


def _entry_to_write(project: str) -> tuple[str, str | None] | None:
    """``("write", text)`` when the project's entry is missing or stale, else None.

    Raises InstallError when a file agentguard did not write sits at the entry's path.
    """
    target = entry.path_in(project)
    try:
        with open(target, encoding="utf-8") as handle:
            current: str | None = handle.read()
    except FileNotFoundError:
        current = None
    except (OSError, UnicodeDecodeError) as exc:
        raise InstallError(f"{shown(target)}: cannot read ({exc}); move it aside") from exc
    if current is not None and not entry.is_entry(current):
        raise InstallError(
            f"{shown(target)} exists and was not written by agentguard; move it aside"
            " (or pass --command-style python); nothing was changed"
        )
    if current == entry.SCRIPT and os.access(target, os.X_OK):
        return None
    return ("write", entry.SCRIPT)


def _entry_to_remove(project: str, path: str, value: dict[str, Any]) -> tuple[str, None] | None:
    """``("remove", None)`` when uninstall leaves no settings file of the project naming the entry.

    Only a file carrying agentguard's marker is removed: what install added, nothing else.
    """
    target = entry.path_in(project)
    try:
        with open(target, encoding="utf-8") as handle:
            if not entry.is_entry(handle.read()):
                return None
    except (OSError, UnicodeDecodeError):
        return None
    for scope in ("project", "local"):
        other = settings_path(scope, project)
        if os.path.abspath(other) == os.path.abspath(path):
            remaining = value
        else:
            try:
                remaining = load(other).value
            except InstallError:
                return None  # cannot tell whether it still needs the entry: keep it
        if entry.named_in(remaining):
            return None
    return ("remove", None)


def _apply_entry(project: str, change: tuple[str, str | None], dry_run: bool, out: TextIO) -> None:
    target = entry.path_in(project)
    action, text = change
    if action == "write":
        if not dry_run:
            write_atomic(target, text or "", 0o755)
        verb = "would write" if dry_run else "wrote"
        print(
            f"{verb} {shown(target)} (the hook entry: finds agentguard on any clone, refuses"
            " every tool call where it is not installed; commit it with the settings)",
            file=out,
        )
        return
    if not dry_run:
        os.unlink(target)
        # A folder that still holds other hooks stays.
        with contextlib.suppress(OSError):
            os.rmdir(os.path.dirname(target))
    print(f"{'would remove' if dry_run else 'removed'} {shown(target)}", file=out)


def _write(path: str, before: str | None, text: str, out: TextIO) -> None:
    # Write through a symlink (a dotfiles manager's ~/.claude/settings.json) instead of
    # replacing the link with a plain file.
    real = os.path.realpath(path)
    mode = None
    if before is not None:
        mode = os.stat(real).st_mode & 0o7777
        print(f"backup: {shown(back_up(real, before, mode))}", file=out)
    write_atomic(real, text, mode)


def _shape_error(path: str, exc: SettingsError) -> InstallError:
    return InstallError(
        f"{shown(path)}: {exc.where}: {exc.message}; Claude Code would not read these hooks"
        " either, fix it by hand; nothing was changed"
    )


def _ordered(value: Any) -> str:
    return json.dumps(value)


if __name__ == "__main__":
    raise SystemExit(main())
