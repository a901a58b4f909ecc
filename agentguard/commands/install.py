"""``agentguard install`` / ``uninstall``: register the hooks in a Claude Code settings file.

Cold path. The settings file belongs to the user and to Claude Code, so this module merges
(``agentguard/claude/settings.py`` holds the rules), keeps the file's bytes when nothing
changes, keeps its indentation when it was written by ``JSON.stringify``-like code, backs
the file up before each write, writes atomically, and refuses a file it cannot parse
instead of guessing.

The backup ``<file>.agentguard.bak`` always holds the file as it was just before agentguard's
latest write to it; each write replaces the previous backup.

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
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from agentguard.claude import entry
from agentguard.claude import settings as settings_mod
from agentguard.policy import compiled

SCOPES = {
    "project": os.path.join(".claude", "settings.json"),
    "local": os.path.join(".claude", "settings.local.json"),
    "user": os.path.join(".claude", "settings.json"),
    "managed": "agentguard.json",
}
# Claude Code's managed settings folder per platform (checked in the 2.1.197 and 2.1.332
# binaries); the drop-in folder managed-settings.d beneath it is read by 2.1.83+.
MANAGED_ROOTS = {
    "darwin": "/Library/Application Support/ClaudeCode",
    "win32": "C:\\Program Files\\ClaudeCode",
}
MANAGED_ROOT_DEFAULT = "/etc/claude-code"
MANAGED_DROP_IN = "managed-settings.d"
HOOKS_ONLY = "allowManagedHooksOnly"
BACKUP_SUFFIX = ".agentguard.bak"
SCRIPT = "hooks/agentguard"
PROJECT_VAR = '"$CLAUDE_PROJECT_DIR"'

# Version managers whose ``shims`` folder holds scripts that re-resolve the interpreter on every
# call (pyenv's costs about 170 ms here, more than the whole hook budget).
_MANAGERS = ("pyenv", "asdf", "rtx", "mise")
_SAFE_WORD = re.compile(r"[A-Za-z0-9_./+-]+\Z")


class InstallError(Exception):
    """A refusal: one line saying where, what and how to fix it. Maps to exit status 2."""


class Style:
    """How a settings file was formatted, so a rewrite can look the same."""

    __slots__ = ("bom", "crlf", "ensure_ascii", "final_newline", "indent")

    def __init__(
        self,
        indent: int | str = 2,
        ensure_ascii: bool = False,
        final_newline: bool = True,
        crlf: bool = False,
        bom: bool = False,
    ) -> None:
        self.indent = indent
        self.ensure_ascii = ensure_ascii
        self.final_newline = final_newline
        self.crlf = crlf
        self.bom = bom

    def render(self, value: Any) -> str:
        """``value`` as text in this style."""
        text = json.dumps(value, indent=self.indent, ensure_ascii=self.ensure_ascii)
        if self.final_newline:
            text += "\n"
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text


def detect_style(text: str, value: Any) -> Style | None:
    """The style that reproduces ``text`` exactly from ``value``, or None when none does."""
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    crlf = "\r\n" in body
    final_newline = body.endswith("\r\n" if crlf else "\n")
    for indent in (2, 4, "\t"):
        for ensure_ascii in (False, True):
            style = Style(indent, ensure_ascii, final_newline, crlf, bom)
            if style.render(value) == text:
                return style
    return None


class Loaded:
    """A settings file as read: its exact text (None when absent), value and style."""

    __slots__ = ("path", "style", "text", "value")

    def __init__(self, path: str, text: str | None, value: dict[str, Any], style: Style | None):
        self.path = path
        self.text = text
        self.value = value
        self.style = style


def managed_folder(platform: str | None = None) -> str:
    """The managed settings drop-in folder Claude Code reads on ``platform`` (default: this)."""
    root = MANAGED_ROOTS.get(platform or sys.platform, MANAGED_ROOT_DEFAULT)
    return os.path.join(root, MANAGED_DROP_IN)


def settings_path(
    scope: str, project: str, home: str | None = None, path: str | None = None
) -> str:
    """The settings file for ``scope``: under ``project`` for project/local, under home for user;
    for managed, agentguard's fragment in the drop-in folder (``path``: a folder or a file)."""
    if scope == "managed":
        if path is None:
            return os.path.join(managed_folder(), SCOPES["managed"])
        path = os.path.abspath(os.path.expanduser(path))
        return path if path.endswith(".json") else os.path.join(path, SCOPES["managed"])
    if scope == "user":
        base = home if home is not None else os.path.expanduser("~")
        return os.path.join(base, SCOPES["user"])
    return os.path.join(project, SCOPES[scope])


def load(path: str) -> Loaded:
    """Read and parse ``path``; an absent or blank file reads as ``{}``. Raises InstallError."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return Loaded(path, None, {}, None)
    except OSError as exc:
        raise InstallError(f"{path}: cannot read ({exc.strerror}); check its permissions") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InstallError(
            f"{path}: not UTF-8 (byte {exc.start}); Claude Code reads settings as UTF-8 JSON,"
            " re-save the file as UTF-8; nothing was changed"
        ) from exc
    body = text.lstrip("\ufeff")
    if not body.strip():
        return Loaded(path, text, {}, None)
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        raise InstallError(
            f"{_shown(path)}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg});"
            f" hint: {_json_hint(body, exc)}; nothing was changed"
        ) from exc
    if not isinstance(value, dict):
        raise InstallError(
            f"{_shown(path)}: the top level is not a JSON object; Claude Code expects"
            ' {"hooks": {...}, ...}; fix or move the file aside; nothing was changed'
        )
    return Loaded(path, text, value, detect_style(text, value))


def is_shim(path: str) -> bool:
    """Whether ``path`` is a version manager's shim rather than an interpreter."""
    parts = os.path.abspath(path).split(os.sep)
    if "shims" in parts[:-1]:
        above = parts[: len(parts) - 1 - parts[::-1].index("shims")]
        if any(part.lstrip(".") in _MANAGERS for part in above):
            return True
    # mise and rtx shims are symlinks to the manager's own binary.
    if os.path.basename(os.path.realpath(path)) in _MANAGERS:
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    # A custom PYENV_ROOT or ASDF_DATA_DIR hides the folder name; the script still says who it is.
    return head.startswith(b"#!") and any(
        re.search(rb"\b" + name.encode() + rb"\b", head) for name in _MANAGERS
    )


def resolve_interpreter(
    executable: str,
    *,
    running: str | None = None,
    prefix: str | None = None,
    base_prefix: str | None = None,
) -> tuple[str, list[str]]:
    """The interpreter to name in the hook command, and warnings. Raises InstallError on a shim.

    A venv's ``bin/python`` is kept as it is (not resolved through its symlink: that would leave
    the venv and lose its packages). A shim is replaced by the running interpreter, the venv's
    interpreter or the shim's resolved target, whichever is first not a shim.
    """
    running = sys.executable if running is None else running
    prefix = sys.prefix if prefix is None else prefix
    base_prefix = sys.base_prefix if base_prefix is None else base_prefix
    if not executable:
        raise InstallError("cannot tell which Python runs agentguard; pass --python PATH")
    path = os.path.abspath(executable)
    if not is_shim(path):
        return path, []
    candidates = [running]
    if prefix != base_prefix:
        candidates += [
            os.path.join(prefix, "bin", "python3"),
            os.path.join(prefix, "bin", "python"),
        ]
    candidates.append(os.path.realpath(path))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and not is_shim(candidate):
            real = os.path.abspath(candidate)
            return real, [
                f"warning: {path} is a version-manager shim (about 170 ms per hook call);"
                f" the hook names the real interpreter {real} instead"
            ]
    raise InstallError(
        f"{path} is a version-manager shim (about 170 ms per hook call) and the real interpreter"
        " behind it could not be found; pass --python with the real path"
        " (for pyenv: `pyenv which python3`)"
    )


def shell_path(path: str, project: str | None) -> str:
    """``path`` as a shell word: relative to ``"$CLAUDE_PROJECT_DIR"`` when inside ``project``."""
    if project is not None:
        rel = _inside(path, project)
        if rel is not None:
            return PROJECT_VAR + "/" + (rel if _SAFE_WORD.match(rel) else shlex.quote(rel))
    if not re.search(r'["$`\\]', path):
        return f'"{path}"'
    return shlex.quote(path)


def command_factory(style: str, python: str, project: str | None) -> Callable[[str], str]:
    """The function giving the hook command for an event, in ``style``.

    ``entry``: the project's committed entry (agentguard/claude/entry.py), the same on every clone;
    ``script``: the checkout's ``hooks/agentguard``; ``python``: ``python`` by path.

    ``project`` is None for user scope: the user's settings serve every project, so no path in
    them may depend on ``$CLAUDE_PROJECT_DIR``.
    """
    if style == "entry":
        return entry.command
    if style == "script":
        return lambda event: f"{PROJECT_VAR}/{SCRIPT} {event}"
    interpreter = shell_path(python, project)
    return lambda event: f"{interpreter} -m agentguard hook {event}"


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


def write_atomic(path: str, text: str, mode: int | None = None) -> None:
    """Write ``text`` to ``path`` through a temp file in the same folder and ``os.replace``."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=".agentguard-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
        sub.add_argument("--project", default=None, help="project folder (default: current)")
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
    project = os.path.abspath(args.project or os.getcwd())
    managed = args.scope == "managed"
    if args.path is not None and not managed:
        raise InstallError("--path names the managed settings folder; use it with --scope managed")
    if getattr(args, "managed_hooks_only", False) and not managed:
        raise InstallError(
            "--managed-hooks-only sets a managed-only key; use it with --scope managed"
        )
    path = settings_path(args.scope, project, path=args.path)
    if managed and not args.dry_run:
        _check_writable(path)
    loaded = load(path)
    entry_change: tuple[str, str | None] | None = None
    if args.action == "install":
        style = _style(args)
        command_for = _install_commands(args, style, project, err)
        entries = settings_mod.hook_entries(command_for)
        try:
            value, notes = settings_mod.merge_with_notes(loaded.value, entries)
        except settings_mod.SettingsError as exc:
            raise _shape_error(path, exc) from exc
        if style == "entry":
            entry_change = _entry_to_write(project)
        if managed and args.managed_hooks_only and value.get(HOOKS_ONLY) is not True:
            value[HOOKS_ONLY] = True
            notes.append(f"{HOOKS_ONLY}: set (project, user and local hooks stop running)")
    else:
        if loaded.text is None:
            print(f"{_shown(path)} does not exist; nothing to remove", file=out)
            return 0
        try:
            value, notes = settings_mod.unmerge_with_notes(loaded.value)
        except settings_mod.SettingsError as exc:
            raise _shape_error(path, exc) from exc
        if managed:
            # The fragment is agentguard's: the switch it added goes with its hooks.
            if value.pop(HOOKS_ONLY, None) is not None:
                notes.append(f"{HOOKS_ONLY}: removed")
            if not value:
                return _remove_fragment(path, notes, args.dry_run, out)
        else:
            entry_change = _entry_to_remove(project, path, value)
    if args.action == "install" and args.scope == "project" and not args.dry_run:
        mark_policy(project, out)
    before = loaded.text
    # Order-sensitive comparison: a dict == would miss a reordering.
    if before is not None and _ordered(value) == _ordered(loaded.value):
        if entry_change is None:
            print(f"{_shown(path)}: already up to date; nothing written", file=out)
            return 0
        _apply_entry(project, entry_change, args.dry_run, out)
        print(f"{_shown(path)}: already up to date", file=out)
        if args.dry_run:
            print("dry run: nothing written", file=out)
        return 0
    new_text = (loaded.style or Style()).render(value)
    normalised = before is not None and before.strip() != "" and loaded.style is None
    verb = "updated" if before is not None else "created"
    if args.dry_run:
        verb = "would " + verb[:-1]
    if args.dry_run:
        shown = _shown(path)
        out.writelines(
            difflib.unified_diff(
                (before or "").splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                fromfile=shown if before is not None else "/dev/null",
                tofile=f"{shown} ({args.action})",
            )
        )
        if not new_text.endswith("\n"):
            out.write("\n")
    else:
        _write(path, before, new_text, out)
    if entry_change is not None:
        _apply_entry(project, entry_change, args.dry_run, out)
    print(f"{verb} {_shown(path)} (scope {args.scope}):", file=out)
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


def _check_writable(path: str) -> None:
    """Raise InstallError unless this user can write ``path``'s folder (creating it if needed)."""
    target = os.path.dirname(path)
    while not os.path.exists(target):
        parent = os.path.dirname(target)
        if parent == target:
            break
        target = parent
    if not os.path.isdir(target):
        raise InstallError(
            f"{path}: {target} is not a folder; pass --path DIR; nothing was changed"
        )
    if os.access(target, os.W_OK | os.X_OK):
        return
    raise InstallError(
        f"{path}: {target} is not writable by this user (managed settings belong to the"
        " administrator); run it with sudo (`sudo agentguard install --scope managed`), or"
        " pass --path DIR to write the fragment elsewhere; nothing was changed"
    )


def _remove_fragment(path: str, notes: list[str], dry_run: bool, out: TextIO) -> int:
    """Uninstall of a managed fragment that holds nothing else: the file goes."""
    if not dry_run:
        os.unlink(path)
    print(f"{'would remove' if dry_run else 'removed'} {_shown(path)} (scope managed):", file=out)
    for note in notes:
        print(f"  {note}", file=out)
    if dry_run:
        print("dry run: nothing written", file=out)
    return 0


def _managed_warnings(python: str) -> list[str]:
    """A warning when someone other than root can change what the managed hook runs."""
    if os.name != "posix":
        return []
    for candidate in dict.fromkeys((python, os.path.realpath(python))):
        try:
            info = os.stat(candidate)
        except OSError:
            continue
        if info.st_uid != 0 or info.st_mode & 0o022:
            return [
                f"warning: {candidate} can be changed by uid {info.st_uid} or others, not only"
                " root: whoever can write it controls every session's managed hook; install"
                " agentguard where only root writes (a venv under /opt) and name it --python"
            ]
    return []


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
        raise InstallError(f"{_shown(target)}: cannot read ({exc}); move it aside") from exc
    if current is not None and not entry.is_entry(current):
        raise InstallError(
            f"{_shown(target)} exists and was not written by agentguard; move it aside"
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
            f"{verb} {_shown(target)} (the hook entry: finds agentguard on any clone, refuses"
            " every tool call where it is not installed; commit it with the settings)",
            file=out,
        )
        return
    if not dry_run:
        os.unlink(target)
        # A folder that still holds other hooks stays.
        with contextlib.suppress(OSError):
            os.rmdir(os.path.dirname(target))
    print(f"{'would remove' if dry_run else 'removed'} {_shown(target)}", file=out)


def _install_commands(
    args: argparse.Namespace, style: str, project: str, err: TextIO
) -> Callable[[str], str]:
    in_project = None if args.scope in ("user", "managed") else project
    if args.scope == "managed" and style != "python":
        raise InstallError(
            f"--command-style {style} depends on a project checkout, and managed hooks run in"
            " every project; use --command-style python (the default for --scope managed)"
        )
    if style == "entry":
        if in_project is None:
            raise InstallError(
                "--command-style entry lives in the project; use it with --scope project or"
                " local, or use --command-style python"
            )
        for warning in _entry_warnings(project):
            print(f"agentguard install: {warning}", file=err)
        return command_factory("entry", "", in_project)
    if style == "script":
        if in_project is None:
            raise InstallError(
                "--command-style script names the project's checkout of agentguard;"
                " use it with --scope project or local, or use --command-style python"
            )
        if not os.path.isfile(os.path.join(project, SCRIPT)):
            print(
                f"agentguard install: warning: {os.path.join(project, SCRIPT)} does not exist yet;"
                " until it does the hooks fail (Claude Code before 2.1.295 then lets every tool"
                " call through)",
                file=err,
            )
        return command_factory("script", "", in_project)
    python, warnings = resolve_interpreter(args.python or sys.executable)
    warnings += _import_warnings(python)
    if args.scope == "managed":
        warnings += _managed_warnings(python)
    for warning in warnings:
        print(f"agentguard install: {warning}", file=err)
    return command_factory("python", python, in_project)


def _entry_warnings(project: str) -> list[str]:
    """A warning when, on this machine, the entry would find no agentguard and refuse all."""
    if entry.finds(project, os.environ):
        return []
    return [
        "warning: on this machine the hook finds no agentguard (not in the project's .venv,"
        " not on PATH, AGENTGUARD_PYTHON unset), so it will refuse every tool call; install"
        f" it with {entry.INSTALL_COMMAND}, or put {os.path.dirname(sys.executable)} on PATH"
    ]


def _import_warnings(python: str) -> list[str]:
    """A warning when ``python`` can import agentguard only from the current folder."""
    try:
        done = subprocess.run(
            [python, "-c", "import agentguard"],
            cwd=os.path.abspath(os.sep),
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [f"warning: could not run {python} ({exc}); check the path"]
    if done.returncode == 0:
        return []
    return [
        f"warning: {python} cannot import agentguard outside this folder, so the hook fails once"
        " the agent runs `cd` (and a failing hook lets every tool call through); install it"
        f" (`{python} -m pip install -e .`) or use --command-style script"
    ]


def _write(path: str, before: str | None, text: str, out: TextIO) -> None:
    # Write through a symlink (a dotfiles manager's ~/.claude/settings.json) instead of
    # replacing the link with a plain file.
    real = os.path.realpath(path)
    mode = None
    if before is not None:
        mode = os.stat(real).st_mode & 0o7777
        backup = real + BACKUP_SUFFIX
        write_atomic(backup, before, mode)
        print(f"backup: {_shown(backup)}", file=out)
    write_atomic(real, text, mode)


def _shape_error(path: str, exc: settings_mod.SettingsError) -> InstallError:
    return InstallError(
        f"{_shown(path)}: {exc.where}: {exc.message}; Claude Code would not read these hooks"
        " either, fix it by hand; nothing was changed"
    )


def _json_hint(text: str, exc: json.JSONDecodeError) -> str:
    line = text.splitlines()[exc.lineno - 1] if text.splitlines() else ""
    before = text[: exc.pos].rstrip()
    if re.search(r"(^|\s)(//|/\*)", line) or text[exc.pos : exc.pos + 2] in ("//", "/*"):
        return "JSON allows no comments; remove them"
    if before.endswith(",") and text[exc.pos : exc.pos + 1] in ("}", "]"):
        return "JSON allows no trailing comma; remove the comma before this point"
    if text[exc.pos : exc.pos + 1] == "'":
        return "JSON strings and keys take double quotes"
    return "fix the JSON at that point (`python3 -m json.tool FILE` shows the first error)"


def _ordered(value: Any) -> str:
    return json.dumps(value)


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _inside(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` when inside it (symlinked folders compared resolved)."""
    for inner, outer in (
        (os.path.abspath(path), os.path.abspath(folder)),
        (
            os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)),
            os.path.realpath(folder),
        ),
    ):
        if os.path.commonpath([inner, outer]) == outer:
            return os.path.relpath(inner, outer)
    return None


if __name__ == "__main__":
    raise SystemExit(main())
