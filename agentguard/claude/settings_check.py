"""Whether Claude Code will read a settings file at all, per version. Cold path (doctor, lint).

One invalid value makes Claude Code drop the whole settings file, hooks included, and under
``-p`` it says nothing. The hazards known (claude-code-hooks.md section 13, checked against
the binaries):

- a file that is not a JSON object is not read;
- ``permissions.defaultMode: "manual"`` (the new name of ``default`` from 2.1.200) makes
  earlier versions, 2.1.197 among them, drop the file;
- an ``onFailure`` other than ``continue`` or ``block`` on a hook handler makes 2.1.295+
  (the versions that know the key) drop the file; earlier ones ignore the key;
- a ``hooks`` section of the wrong shape loses the hooks;
- ``disableAllHooks: true`` keeps the file but runs no hook.

``version`` None means "any version in use": every hazard of any version applies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from agentguard.claude import settings
from agentguard.errors import SettingsError

ON_FAILURE_SINCE = (2, 1, 295)
MANUAL_MODE_SINCE = (2, 1, 200)

Version = tuple[int, int, int]


class Hazard:
    """One reason a settings file (or its hooks) would not take effect."""

    __slots__ = ("drops_file", "fix", "message", "severity", "value", "where")

    def __init__(
        self,
        where: str,
        message: str,
        fix: str,
        severity: str = "error",
        drops_file: bool = True,
        value: object = None,
    ) -> None:
        self.where = where
        self.value = value
        self.message = message
        self.fix = fix
        self.severity = severity
        self.drops_file = drops_file

    def as_dict(self) -> dict[str, Any]:
        """Plain form for JSON output."""
        return {
            "where": self.where,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
            "drops_file": self.drops_file,
        }


def parse_version(text: str) -> Version | None:
    """``2.1.332`` from ``claude --version`` output such as ``2.1.332 (Claude Code)``."""
    found = re.search(r"\b(\d+)\.(\d+)\.(\d+)\b", text)
    if found is None:
        return None
    return (int(found.group(1)), int(found.group(2)), int(found.group(3)))


def shown(version: Version | None) -> str:
    """``2.1.332``, or ``any version`` for None."""
    return "any version" if version is None else ".".join(str(part) for part in version)


def honours_on_failure(version: Version | None) -> bool | None:
    """Whether ``version`` honours ``onFailure`` (None: unknown)."""
    return None if version is None else version >= ON_FAILURE_SINCE


def check_text(text: str, version: Version | None) -> tuple[dict[str, Any] | None, list[Hazard]]:
    """The parsed settings (None when Claude Code cannot read them) and their hazards."""
    body = text.lstrip("\ufeff")
    if not body.strip():
        return {}, []
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        return None, [
            Hazard(
                f"{exc.lineno}:{exc.colno}",
                f"not valid JSON ({exc.msg}): Claude Code ignores the whole file",
                "fix the JSON (`python3 -m json.tool FILE` shows the first error)",
            )
        ]
    if not isinstance(value, dict):
        return None, [
            Hazard("top level", "not a JSON object: Claude Code ignores the file", "make it {...}")
        ]
    return value, check_value(value, version)


def check_value(value: Mapping[str, Any], version: Version | None) -> list[Hazard]:
    """The hazards of a parsed settings object for ``version`` (None: any version)."""
    out: list[Hazard] = []
    permissions = value.get("permissions")
    mode = permissions.get("defaultMode") if isinstance(permissions, Mapping) else None
    if mode == "manual" and (version is None or version < MANUAL_MODE_SINCE):
        out.append(
            Hazard(
                "permissions.defaultMode",
                f'"manual" is unknown before Claude Code {shown(MANUAL_MODE_SINCE)}, which then'
                " drops the whole file, hooks included"
                + ("" if version is None else f" (this is {shown(version)})"),
                'write "default" (the same mode, understood by every version)',
                value="manual",
            )
        )
    if version is None or version >= ON_FAILURE_SINCE:
        for _, where, handler in handlers(value):
            if "onFailure" in handler and handler["onFailure"] not in settings.ON_FAILURE_VALUES:
                out.append(
                    Hazard(
                        f"{where}.onFailure",
                        f"{json.dumps(handler['onFailure'])} is not one of"
                        f" {', '.join(settings.ON_FAILURE_VALUES)}: Claude Code"
                        f" {shown(ON_FAILURE_SINCE)}+ drops the whole file, hooks included",
                        f'write "{settings.ON_FAILURE}" (re-run `agentguard install`)',
                        value=handler["onFailure"],
                    )
                )
    try:
        settings.check_shape(value)
    except SettingsError as exc:
        out.append(Hazard(exc.where, f"{exc.message}: its hooks are not read", "fix it by hand"))
    if value.get("disableAllHooks") is True:
        out.append(
            Hazard(
                "disableAllHooks",
                "true: no hook runs, agentguard's included",
                "remove the key",
                drops_file=False,
            )
        )
    return out


def handlers(value: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    """Every handler object: (event, JSON path, handler), in file order."""
    hooks = value.get("hooks")
    out: list[tuple[str, str, Mapping[str, Any]]] = []
    if not isinstance(hooks, Mapping):
        return out
    for event, groups in hooks.items():
        for gi, group in enumerate(groups if isinstance(groups, list) else []):
            found = group.get("hooks") if isinstance(group, Mapping) else None
            for hi, handler in enumerate(found if isinstance(found, list) else []):
                if isinstance(handler, Mapping):
                    out.append((str(event), f"hooks.{event}[{gi}].hooks[{hi}]", handler))
    return out


def locate(text: str, where: str, value: object = None) -> tuple[int, int]:
    """Line and column of the last key of ``where`` in ``text`` (followed by ``value`` when
    given); 1:1 when not found."""
    if re.match(r"\d+:\d+\Z", where):
        line, col = where.split(":")
        return int(line), int(col)
    key = re.split(r"[.\[]", where)[-1].rstrip("]")
    pattern = r'"' + re.escape(key) + r'"\s*:'
    if value is not None:
        pattern += r"\s*" + re.escape(json.dumps(value))
    found = re.search(pattern, text)
    if found is None:
        return 1, 1
    before = text[: found.start()]
    return before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1
