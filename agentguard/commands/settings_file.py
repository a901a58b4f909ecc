"""A Claude Code settings file as agentguard reads and writes it: where each scope keeps it,
its exact text and formatting, atomic writes, and the backup of the pre-install original.

Cold path. The file belongs to the user and to Claude Code: a rewrite keeps its style
when it can, a file that does not parse is refused with a hint instead of guessed at.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
from typing import Any

from agentguard.errors import InstallError

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


# The pre-install original: written before agentguard's first write, never replaced, so
# uninstall can give the file's own bytes back.
BACKUP_SUFFIX = ".agentguard.bak"
# The file as it was just before agentguard's latest write (replaced by each write).
PREVIOUS_SUFFIX = ".agentguard.prev"


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
            f"{shown(path)}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg});"
            f" hint: {json_hint(body, exc)}; nothing was changed"
        ) from exc
    if not isinstance(value, dict):
        raise InstallError(
            f"{shown(path)}: the top level is not a JSON object; Claude Code expects"
            ' {"hooks": {...}, ...}; fix or move the file aside; nothing was changed'
        )
    return Loaded(path, text, value, detect_style(text, value))


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


def json_hint(text: str, exc: json.JSONDecodeError) -> str:
    line = text.splitlines()[exc.lineno - 1] if text.splitlines() else ""
    before = text[: exc.pos].rstrip()
    if re.search(r"(^|\s)(//|/\*)", line) or text[exc.pos : exc.pos + 2] in ("//", "/*"):
        return "JSON allows no comments; remove them"
    if before.endswith(",") and text[exc.pos : exc.pos + 1] in ("}", "]"):
        return "JSON allows no trailing comma; remove the comma before this point"
    if text[exc.pos : exc.pos + 1] == "'":
        return "JSON strings and keys take double quotes"
    return "fix the JSON at that point (`python3 -m json.tool FILE` shows the first error)"


def shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def back_up(real: str, before: str, mode: int) -> str:
    """Keep ``before``, the text of ``real`` about to be replaced; the backup's path.

    The first backup is the pre-install original and is never replaced; every later
    write keeps its previous text in the ``.agentguard.prev`` file instead.
    """
    first = real + BACKUP_SUFFIX
    target = real + PREVIOUS_SUFFIX if os.path.lexists(first) else first
    write_atomic(target, before, mode)
    return target


def pre_install(real: str) -> Loaded | None:
    """The pre-install original of ``real`` (its first backup), or None when there is none
    or it cannot be read as settings."""
    try:
        backup = load(real + BACKUP_SUFFIX)
    except InstallError:
        return None
    return backup if backup.text is not None else None


def drop_backups(real: str) -> None:
    """Remove the backups of ``real`` (it holds the original's bytes again)."""
    for suffix in (BACKUP_SUFFIX, PREVIOUS_SUFFIX):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(real + suffix)


def check_writable(path: str) -> None:
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
