"""Merge agentguard's hooks into a Claude Code settings object, and take them out again.

Cold path (``install`` / ``uninstall``): pure functions over the parsed JSON, no I/O.

Which handlers are ours. A handler is agentguard's when its ``type`` is ``command`` and its
command line (``command`` followed by ``args`` for the exec form), split like ``sh`` would
split it, after any leading ``VAR=value`` words and an ``exec`` or ``env``, starts with:

- a program named ``agentguard``, then ``hook``, then an event name
  (the console script: ``agentguard hook PreToolUse``, ``/opt/bin/agentguard hook Stop``);
- any program (an interpreter: ``python3``, ``python3.11``, ``pypy3``), then optional flags such
  as ``-I``, then ``-m agentguard hook`` and an event name
  (``"/venv/bin/python" -m agentguard hook PreToolUse``);
- a program whose path ends in ``hooks/agentguard``, then an event name (the checkout's entry
  script: ``"$CLAUDE_PROJECT_DIR"/hooks/agentguard PreToolUse``);
- a program whose path ends in ``hooks/agentguard-plugin``, then an event name (the plugin's
  entry: ``"${CLAUDE_PLUGIN_ROOT}"/hooks/agentguard-plugin PreToolUse``).

An event name is a word starting with a capital letter. Nothing else is ours: ``echo agentguard
hook X`` or a ``my-agentguard`` wrapper is left alone, so uninstall never removes a hook a
person wrote.

What merge does, per event agentguard handles. The first handler of ours found under that event
is replaced in place by the new one when its matcher group matches everything (no matcher,
``""`` or ``"*"``); otherwise a group ``{"matcher": "*", "hooks": [ours]}`` (no matcher for
Stop and SubagentStop) is appended to the event's list. Every other handler of ours under that
event is removed (a group left empty by that is dropped), so an older or narrowed registration
never runs next to the new one. Other keys, events, groups and handlers keep their values and
their order. Merging twice changes nothing.

What unmerge does. Every handler of ours, under any event, is removed; a matcher group, an
event list or the ``hooks`` object that this leaves empty is dropped. Without a record of what
existed before, unmerge cannot tell an empty ``"hooks": {}`` the user wrote from one install
created, so such empty containers do not survive install + uninstall (Claude Code reads both
the same way).
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from collections.abc import Callable, Mapping
from typing import Any

from agentguard.errors import SettingsError

TIMEOUT_SECONDS = 30

# A matcher on SubagentStop is tested against agent_type, so a "*" there would read as a
# pattern to future readers; Stop ignores matchers. Neither gets one.
EVENTS: tuple[tuple[str, str | None], ...] = (
    ("PreToolUse", "*"),
    ("PostToolUse", "*"),
    ("PostToolUseFailure", "*"),
    ("Stop", None),
    ("SubagentStop", None),
    # Skill and slash-command shell commands (2.1.332+); 2.1.197 ignores the key (tested).
    ("PreSkillShellCommand", "*"),
)

# Claude Code 2.1.295+ blocks the tool when a handler with this key cannot start, times out,
# exits other than 0 or 2, or prints JSON that fails validation; older versions ignore the key.
# It is honoured on PreToolUse only (ignored on Stop and SubagentStop), and a value other than
# "continue" or "block" makes 2.1.332 drop the whole settings file, so it is spelled once, here.
# PreSkillShellCommand honours it too (2.1.332: a missing hook script then keeps the skill's
# command from running; tested against the binary).
ON_FAILURE = "block"
ON_FAILURE_VALUES = ("continue", "block")
ON_FAILURE_EVENTS = ("PreToolUse", "PreSkillShellCommand")

_MATCH_ALL = (None, "", "*")
_EVENT_WORD = re.compile(r"[A-Z][A-Za-z]*\Z")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")

Settings = dict[str, Any]
Group = dict[str, Any]


def hook_entries(command_for_event: Callable[[str], str]) -> dict[str, list[Group]]:
    """The matcher groups agentguard registers, one per handled event, in a fixed order."""
    entries: dict[str, list[Group]] = {}
    for event, matcher in EVENTS:
        handler: dict[str, Any] = {
            "type": "command",
            "command": command_for_event(event),
            "timeout": TIMEOUT_SECONDS,
        }
        if event in ON_FAILURE_EVENTS:
            handler["onFailure"] = ON_FAILURE
        group: Group = {} if matcher is None else {"matcher": matcher}
        group["hooks"] = [handler]
        entries[event] = [group]
    return entries


def is_ours(handler: object) -> bool:
    """Whether a handler object is one agentguard installed (the rule in the module docstring)."""
    if not isinstance(handler, Mapping) or handler.get("type") != "command":
        return False
    command = handler.get("command")
    if not isinstance(command, str):
        return False
    words = _split(command)
    args = handler.get("args")
    if isinstance(args, list) and all(isinstance(arg, str) for arg in args):
        words += args
    return command_event(words) is not None


def command_event(words: list[str]) -> str | None:
    """The event an agentguard command line names, or None when the words are not ours."""
    while words and (_ASSIGNMENT.match(words[0]) or words[0] in ("exec", "env")):
        words = words[1:]
    if not words:
        return None
    program, rest = words[0], words[1:]
    name = program.rstrip("/").rsplit("/", 1)[-1]
    if name == "agentguard":
        if len(rest) >= 2 and rest[0] == "hook" and _EVENT_WORD.match(rest[1]):
            return rest[1]
        if program.endswith("hooks/agentguard") and rest and _EVENT_WORD.match(rest[0]):
            return rest[0]
        return None
    if program.endswith("hooks/agentguard-plugin"):
        return rest[0] if rest and _EVENT_WORD.match(rest[0]) else None
    if "-m" not in rest:
        return None
    at = rest.index("-m")
    # Interpreter flags such as -I or -S may precede -m; anything else makes it someone else's.
    if not all(word.startswith("-") for word in rest[:at]):
        return None
    rest = rest[at:]
    if rest[:3] == ["-m", "agentguard", "hook"] and len(rest) >= 4 and _EVENT_WORD.match(rest[3]):
        return rest[3]
    return None


def merge(settings: Mapping[str, Any], entries: Mapping[str, list[Group]]) -> Settings:
    """``settings`` with agentguard's ``entries`` merged in (see the module docstring)."""
    return merge_with_notes(settings, entries)[0]


def unmerge(settings: Mapping[str, Any]) -> Settings:
    """``settings`` with every agentguard handler removed (see the module docstring)."""
    return unmerge_with_notes(settings)[0]


def merge_with_notes(
    settings: Mapping[str, Any], entries: Mapping[str, list[Group]]
) -> tuple[Settings, list[str]]:
    """``merge`` plus one line per event saying what changed there."""
    out = _checked_copy(settings)
    notes: list[str] = []
    hooks = out.setdefault("hooks", {})
    for event, new_groups in entries.items():
        for new_group in new_groups:
            notes.append(_merge_group(hooks, event, new_group))
    return out, notes


def unmerge_with_notes(settings: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """``unmerge`` plus one line per event it changed."""
    out = _checked_copy(settings)
    notes: list[str] = []
    hooks = out.get("hooks")
    if not isinstance(hooks, dict):
        return out, notes
    for event in list(hooks):
        groups = hooks[event]
        removed = _remove_ours(groups, keep=None)
        if removed:
            notes.append(f"{event}: removed {_count(removed, 'agentguard handler')}")
        if removed and not groups:
            del hooks[event]
    if not hooks and notes:
        del out["hooks"]
    return out, notes


def dumps(settings: Mapping[str, Any], indent: int | str = 2, ensure_ascii: bool = False) -> str:
    """The text Claude Code and most editors write for ``settings``: indented, newline-ended."""
    return json.dumps(settings, indent=indent, ensure_ascii=ensure_ascii) + "\n"


def _merge_group(hooks: dict[str, Any], event: str, new_group: Group) -> str:
    handlers = new_group["hooks"]
    groups = hooks.setdefault(event, [])
    found = _find_ours(groups)
    matcher = new_group.get("matcher")
    if found is not None and groups[found[0]].get("matcher") in _MATCH_ALL:
        gi, hi = found
        before = groups[gi]["hooks"][hi]
        groups[gi]["hooks"][hi : hi + 1] = copy.deepcopy(handlers)
        removed = _remove_ours(groups, keep=groups[gi]["hooks"][hi])
        if before == handlers[0] and not removed:
            return f"{event}: unchanged"
        extra = f", removed {_count(removed, 'other agentguard handler')}" if removed else ""
        return f"{event}: replaced the agentguard handler in place{extra}"
    removed = _remove_ours(groups, keep=None)
    groups.append(copy.deepcopy(new_group))
    where = "no matcher" if matcher is None else f"matcher {json.dumps(matcher)}"
    extra = f", removed {_count(removed, 'older agentguard handler')}" if removed else ""
    return f"{event}: added the agentguard handler ({where}){extra}"


def _find_ours(groups: list[Group]) -> tuple[int, int] | None:
    for gi, group in enumerate(groups):
        for hi, handler in enumerate(group.get("hooks", [])):
            if is_ours(handler):
                return gi, hi
    return None


def _remove_ours(groups: list[Group], keep: object) -> list[object]:
    """Drop handlers of ours other than ``keep`` (by identity), and groups that leaves empty."""
    removed: list[object] = []
    for gi in range(len(groups) - 1, -1, -1):
        group = groups[gi]
        handlers = group.get("hooks")
        if not isinstance(handlers, list):
            continue
        kept = [h for h in handlers if h is keep or not is_ours(h)]
        if len(kept) == len(handlers):
            continue
        removed.extend(h for h in handlers if not (h is keep or not is_ours(h)))
        if kept:
            group["hooks"] = kept
        else:
            del groups[gi]
    return removed


def check_shape(settings: Mapping[str, Any]) -> None:
    """Raise SettingsError when the parts Claude Code reads hooks from have the wrong shape."""
    _checked_copy(settings)


def _checked_copy(settings: Mapping[str, Any]) -> Settings:
    """A deep copy, after checking the parts merge walks have the shape Claude Code reads."""
    if not isinstance(settings, Mapping):
        raise SettingsError("top level", f"expected a JSON object, found {_kind(settings)}")
    hooks = settings.get("hooks")
    if "hooks" in settings and not isinstance(hooks, Mapping):
        raise SettingsError("hooks", f"expected an object of event names, found {_kind(hooks)}")
    for event, groups in (hooks or {}).items():
        if not isinstance(groups, list):
            raise SettingsError(
                f"hooks.{event}", f"expected a list of matcher groups, found {_kind(groups)}"
            )
        for gi, group in enumerate(groups):
            where = f"hooks.{event}[{gi}]"
            if not isinstance(group, Mapping):
                raise SettingsError(where, f"expected a matcher group object, found {_kind(group)}")
            if "hooks" in group and not isinstance(group["hooks"], list):
                raise SettingsError(
                    f"{where}.hooks", f"expected a list of handlers, found {_kind(group['hooks'])}"
                )
    return copy.deepcopy(dict(settings))


def _split(command: str) -> list[str]:
    try:
        return shlex.split(command, posix=True)
    except ValueError:  # unbalanced quotes: not a command we wrote
        return []


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else "a number"


def _count(items: list[object], noun: str) -> str:
    return f"{len(items)} {noun}" + ("" if len(items) == 1 else "s")
