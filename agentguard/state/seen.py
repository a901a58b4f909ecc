"""The evidence chain: a PostToolUse counts only for a tool call PreToolUse let through. Hot path.

An agent can pipe a made-up event into ``agentguard hook PostToolUse`` from a Bash call
and so claim a check that never ran, or a success that resets its loop count. Claude
Code sends the same ``tool_use_id`` to the PreToolUse and the PostToolUse (or
PostToolUseFailure) of one call, so PreToolUse leaves a marker for every call it does
not deny, and a post event is *bound* only when it takes the marker of its own id, in its
own session, for the same tool and subject. Taking removes the marker: one call, one
piece of evidence; replaying a real record proves nothing twice.

Layout, under the state folder ``home``::

    <home>/seen/<session>/<tool_use_id>  "<time> <digest of tool and subject> <decision> [<facts>]"

``facts`` is what PreToolUse, which has the shell analyser loaded, found about a Bash line
that its PostToolUse needs (:func:`agentguard.hook.pre_tool_use.facts`), so that the post
event of a bound call loads no analyser. It is read only from the marker the post event
takes, so it comes from the PreToolUse of the same id, tool and subject; a marker without
it, or with one that does not parse, leaves the post event to analyse the line itself.

(names made safe by :func:`agentguard.state.records.safe_name`). One ``O_CREAT|O_EXCL`` file per
call costs one ``open``, one ``write`` and one ``close`` on the PreToolUse path, takes no
lock (ids are unique, so parallel calls never touch the same file), and is looked up and
consumed in O(1) at the post event, whatever the length of the session. A per-session
append file would cost the same to write but a scan to read, and could not be consumed.
Markers of calls that never ran (declined in a permission dialog) stay behind; they hold
no more than the id, a time, a digest and the decision.

The decision (``allow`` or ``ask``) is what lets the post event say who let the call run:
a PostToolUse that takes an ``ask`` marker is a call a human approved in Claude Code's
permission dialog (:func:`answer`). A refusal leaves no event at all (no PostToolUse, and
``PermissionDenied`` fires only for auto-mode classifier denials), so it is never
inferred: the ask simply stays unanswered in the log.
"""

from __future__ import annotations

import os
import time

from agentguard.state.records import safe_name

FOLDER = "seen"


def digest(tool: str, subject: str) -> str:
    """What the marker binds the call to: its tool and subject (command, path, URL)."""
    return safe_name(f"{tool}\0{subject}")[-16:]


def marker(home: str, session: str, tool_use_id: str) -> str:
    """The marker file of one tool call."""
    return os.path.join(home, FOLDER, safe_name(session), safe_name(tool_use_id))


def note(
    home: str, session: str, tool_use_id: str, bound_to: str, decision: str = "", facts: str = ""
) -> bool:
    """Leave the marker of a call PreToolUse let through; False when it already existed.

    ``decision`` is PreToolUse's answer (``allow`` or ``ask``), kept for :func:`answer`;
    ``facts`` (no spaces) is what the post event may read instead of analysing the call.

    Raises OSError when it cannot be written (the post event will then be unbound and
    credit nothing, which is the safe side).
    """
    path = marker(home, session, tool_use_id)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        # The first PreToolUse of an id wins; a second one (a duplicate registration, or
        # a forged event reusing the id) must not rebind it to another call.
        return False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, flags, 0o644)
    try:
        os.write(fd, f"{time.time():.6f} {bound_to} {decision} {facts}".rstrip().encode())
    except BaseException:
        os.close(fd)
        try:  # noqa: SIM105 - contextlib costs an import on the hot path
            os.unlink(path)  # a marker without its digest binds nothing
        except OSError:
            pass
        raise
    os.close(fd)
    return True


def take(home: str, session: str, tool_use_id: str, bound_to: str) -> tuple[str, str, str]:
    """Consume the marker of a post event: ``("", decision, facts)`` when bound, else
    ``(why, "", "")``.

    ``decision`` is what PreToolUse answered for the call (``""`` for a marker written
    before markers kept it), ``facts`` what it noted for the post event (``""``: none).
    """
    if not tool_use_id:
        return "the event has no tool_use_id", "", ""
    path = marker(home, session, tool_use_id)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return "no PreToolUse of this tool_use_id was seen in this session", "", ""
    except OSError as exc:
        return f"its PreToolUse marker cannot be read ({exc.strerror or exc})", "", ""
    try:
        # A longer marker is cut, and its facts then fail to parse (they end with ".").
        content = os.read(fd, 4096)
    finally:
        os.close(fd)
    try:
        os.unlink(path)
    except FileNotFoundError:
        # Another post event of the same id took it first: only one may count.
        return "its PreToolUse marker was already used by another event", "", ""
    except OSError:
        pass  # a read-only state folder: the marker stays; nothing else is recorded either
    _stamp, _sep, rest = content.decode("utf-8", "replace").partition(" ")
    why, decision = check(rest, bound_to)
    if why:
        return why, "", ""
    decision, _sep, facts = decision.partition(" ")
    return "", decision, facts


def check(kept: str, bound_to: str) -> tuple[str, str]:
    """A marker's ``"<digest> [<decision> [<facts>]]"`` against the post event's call (see
    :func:`take`): ``("", "<decision> [<facts>]")`` when it is the same call."""
    bound, _sep, decision = kept.partition(" ")
    if bound != bound_to:
        return "the tool call differs from the one PreToolUse judged", ""
    return "", decision


def answer(decision: str) -> dict[str, str]:
    """What a bound post event says about who let the call run (fields for its log record).

    Only an ``ask`` marker means anything: Claude Code showed its permission dialog, and
    the tool ran, so a human approved it. An ``allow`` (or an old marker) says nothing
    about a human: agentguard or Claude Code's own permissions let the call through.
    """
    if decision == "ask":
        return {"answer": "approved", "decided_by": "human"}
    return {}
