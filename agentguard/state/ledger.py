"""What agentguard failed to record, kept where it outlives an unwritable state folder. Hot path.

Silence is not evidence. When a PostToolUse cannot record what a call did (disk full,
no inodes, a read-only or misplaced state folder, or the handler failed for any other
reason), the Stop gate must not read the missing record as "no edits", and a failure
that could not be counted must not read as "no failures". So the failure itself is
written down, in the first of these places that accepts it:

1. ``<home>/unrecorded/``: the state folder, when only the record itself failed;
2. ``<TMPDIR or /tmp>/agentguard-<uid>/unrecorded/``: another file system, usually;
3. ``/dev/shm/agentguard-<uid>/unrecorded/``: memory, which a full disk does not fill.

Each place holds a folder per (state folder, session) with ``edit`` (when a call's
record was lost and why: the gate treats it as an edit at that time, so every check
must pass again after it), ``count-<agent and attempt>`` (a failure of that exact
call was not counted: its next attempt is asked) and ``seen-<tool_use_id>`` (a
PreToolUse marker that could not go to the state folder). The gate reads every place; the
temporary folders are self-protected like the state folder (:func:`roots`). If no place
accepts the note, the Stop gate still refuses to pass while it cannot write its own
state (see :func:`agentguard.hook.stop.stop`).
"""

from __future__ import annotations

import os
import time

from agentguard.state.records import safe_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

FOLDER = "unrecorded"
EDIT = "edit"


def roots(home: str, env: Mapping[str, str]) -> list[str]:
    """The folders notes may go to, the state folder's first."""
    user = f"agentguard-{os.getuid()}"
    tmp = env.get("TMPDIR") or "/tmp"
    return [
        os.path.join(home, FOLDER),
        os.path.join(tmp, user, FOLDER),
        os.path.join("/dev/shm", user, FOLDER),
    ]


def _folders(home: str, session: str, env: Mapping[str, str]) -> list[str]:
    # The temporary folders are shared by every state folder of the user.
    key = safe_name(os.path.abspath(home) + "\0" + session)
    return [os.path.join(root, key) for root in roots(home, env)]


def _count_name(agent: str, key: str) -> str:
    return "count-" + safe_name(agent + "\0" + key)


def _put(folders: list[str], name: str, text: str) -> int:
    """Write ``text`` as ``name`` in the first folder that takes it; its place (1, 2, 3) or 0.

    One place is enough: the gate reads them all, and a state folder that took the note
    but cannot be read later shuts the gate by itself.
    """
    data = text.encode("utf-8", "replace")[:1000]
    for place, folder in enumerate(folders, 1):
        path = os.path.join(folder, name)
        try:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            except FileNotFoundError:
                os.makedirs(folder, mode=0o700, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError:
            # An empty or short note left by a failed write still says that something
            # was lost (its time is then the file's); only a failed open leaves nothing.
            if os.path.exists(path):
                return place
            continue
        return place
    return 0


def _get(folders: list[str], name: str) -> list[tuple[float, str]]:
    """Each readable note ``name``: (time, text)."""
    out = []
    for folder in folders:
        path = os.path.join(folder, name)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            content = os.read(fd, 2000).decode("utf-8", "replace")
            stamp, _sep, text = content.partition(" ")
            try:
                at = float(stamp)
            except ValueError:
                at = os.fstat(fd).st_mtime
        except OSError:
            at, text = time.time(), ""
        finally:
            os.close(fd)
        out.append((at, text))
    return out


def describe(exc: BaseException) -> str:
    """An OSError as ``strerror: path`` (what a human can act on), anything else by type."""
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return f"{type(exc).__name__}: {exc}"


def note_edit(home: str, session: str, why: str, env: Mapping[str, str]) -> int:
    """A call's record was lost: the gate counts it as an edit now. Where it went (0: nowhere)."""
    return _put(_folders(home, session, env), EDIT, f"{time.time():.6f} {why}")


def edits(home: str, session: str, env: Mapping[str, str]) -> list[tuple[float, str]]:
    """The lost records of a session: (when, why), from every place."""
    return _get(_folders(home, session, env), EDIT)


def note_seen(
    home: str,
    session: str,
    tool_use_id: str,
    bound_to: str,
    env: Mapping[str, str],
    decision: str = "",
) -> int:
    """PreToolUse could not leave its marker (:mod:`agentguard.state.seen`): keep it here."""
    name = "seen-" + safe_name(tool_use_id)
    text = f"{time.time():.6f} {bound_to} {decision}".rstrip()
    return _put(_folders(home, session, env), name, text)


def take_seen(home: str, session: str, tool_use_id: str, env: Mapping[str, str]) -> str | None:
    """Consume a marker kept by :func:`note_seen`: ``"<digest> [<decision>]"``, or None."""
    name = "seen-" + safe_name(tool_use_id)
    folders = _folders(home, session, env)
    found = _get(folders, name)
    for folder in folders:
        try:  # noqa: SIM105 - contextlib costs an import on the hot path
            os.unlink(os.path.join(folder, name))
        except OSError:
            pass
    return found[0][1] if found else None


def note_uncounted(
    home: str, session: str, agent: str, key: str, why: str, env: Mapping[str, str]
) -> int:
    """A failure of attempt ``key`` was not counted. Where it went (0: nowhere)."""
    return _put(_folders(home, session, env), _count_name(agent, key), f"{time.time():.6f} {why}")


def uncounted(home: str, session: str, agent: str, key: str, env: Mapping[str, str]) -> str:
    """Why a failure of attempt ``key`` was not counted, or ``""``."""
    found = _get(_folders(home, session, env), _count_name(agent, key))
    if not found:
        return ""
    return found[0][1] or "unknown error"


def clear_uncounted(home: str, session: str, agent: str, key: str, env: Mapping[str, str]) -> None:
    """The attempt succeeded (its episode is over): forget that a failure was lost."""
    name = _count_name(agent, key)
    for folder in _folders(home, session, env):
        try:  # noqa: SIM105 - contextlib costs an import on the hot path
            os.unlink(os.path.join(folder, name))
        except OSError:
            pass
