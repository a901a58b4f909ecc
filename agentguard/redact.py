"""Summaries of tool input for the log, with secrets redacted. Hot path."""

from __future__ import annotations

from agentguard import wirejson
from agentguard.claude.tools import PATH_FIELDS
from agentguard.starglob import match

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Mapping, Sequence
    from typing import Any

MAX_COMMAND = 2000
REDACTED = "[REDACTED]"

# Credentials Claude Code itself puts in the environment of every hook and tool:
# CLAUDE_CODE_MESSAGING_TOKEN (2.1.332) is the bearer token of its messaging socket.
SECRET_VARS = frozenset(
    (
        "CLAUDE_CODE_MESSAGING_TOKEN",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_AUTH_TOKEN",
        "CLAUDE_CODE_OAUTH_TOKEN",
    )
)
# Any other variable whose name says it holds a credential (GITHUB_TOKEN, DB_PASSWORD,
# AWS_SECRET_ACCESS_KEY, OPENAI_API_KEY …), judged by the words of its name.
_SECRET_WORDS = frozenset(("PASSPHRASE", "APIKEY", "CREDENTIAL", "CREDENTIALS"))
# Also the tail of a word: PGPASSWORD, HF_APITOKEN (but not MAX_TOKENS).
_SECRET_ENDINGS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD")
_KEY_KINDS = frozenset(("API", "ACCESS", "PRIVATE", "SECRET", "SIGNING", "ENCRYPTION"))
# Names that hold a credential without saying so: a database URL carries its password.
_SECRET_NAMES = frozenset(("DATABASE_URL",))
# Shorter values (``1``, ``true``) would redact ordinary text everywhere.
MIN_SECRET_VALUE = 8

# Cheap substring test first: most commands hold none of these, and compiling the
# full pattern costs about a millisecond per hook process.
_HINTS = (
    "pass",
    "secret",
    "token",
    "key",
    "auth",
    "credential",
    "bearer",
    "://",
    "sk-",
    "gh",
    "github_pat",
    "akia",
    "xox",
    "aiza",
    "eyj",
)
_KEY = (
    r"(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|apikey|auth(?![a-z])"
    r"|credentials?|private[_-]?key|access[_-]?key|client[_-]?secret)"
)
_SECRETS_SOURCE = (
    # Header form first: "Authorization: Bearer X" must hide X, not the word Bearer.
    r"(?P<hdr>(?i:authorization:\s*(?:bearer|basic|token)\s+|bearer\s+))(?P<v2>[^\s'\"]+)"
    # A JSON field: "password": "x".
    rf"|(?P<json>(?i:\"[A-Za-z0-9_.-]*{_KEY}[A-Za-z0-9_.-]*\"\s*:\s*)\")(?P<v4>[^\"]*)\""
    # A flag and its value as the next word: --password x, --token=x is the kv form.
    rf"|(?P<flag>(?i:(?<![A-Za-z0-9_])--?[A-Za-z0-9-]*{_KEY}[A-Za-z0-9-]*)\s+)"
    r"(?P<v5>\"[^\"]*\"|'[^']*'|[^\s-]\S*)"
    # curl/wget style user:password.
    r"|(?P<user>(?:\s-u|\s--user|\s--proxy-user)[= ]\s*[^\s:]+:)(?P<v6>\S+)"
    rf"|(?P<kv>(?i:[A-Za-z0-9_.-]*{_KEY}[A-Za-z0-9_.-]*)\s*[=:]\s*)"
    r"(?P<v1>\"[^\"]*\"|'[^']*'|\S+)"
    r"|(?P<url>://[^/\s:@]+:)(?P<v3>[^@\s/]+)@"
    r"|(?P<key>\b(?:sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
    r"|AKIA[0-9A-Z]{16}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{30,}"
    r"|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}))"
)


def _replace(m: re.Match[str]) -> str:
    if m.group("hdr"):
        return m.group("hdr") + "[REDACTED]"
    if m.group("json"):
        return m.group("json") + '[REDACTED]"'
    if m.group("flag"):
        return m.group("flag") + "[REDACTED]"
    if m.group("user"):
        return m.group("user") + "[REDACTED]"
    if m.group("kv"):
        return m.group("kv") + "[REDACTED]"
    if m.group("url"):
        return m.group("url") + "[REDACTED]@"
    return "[REDACTED]"


def secret_var(name: str) -> bool:
    """Whether the environment variable ``name`` holds a credential."""
    upper = name.upper()
    if upper in SECRET_VARS or upper in _SECRET_NAMES:
        return True
    words = upper.split("_")
    if _SECRET_WORDS.intersection(words) or any(w.endswith(_SECRET_ENDINGS) for w in words):
        return True
    # ``STRIPE_KEY``, ``ALGOLIA_ADMIN_KEY``: a name ending in _KEY; ``SSH_KEY_PATH`` is a path.
    if len(words) > 1 and words[-1] == "KEY":
        return True
    return "KEY" in words and bool(_KEY_KINDS.intersection(words))


def env_secrets(env: Mapping[str, str], listed: Sequence[str] = ()) -> tuple[str, ...]:
    """The values of ``env``'s credential variables, longest first (what to hide):
    secrets by name, and those the policy lists (``secrets.variables``, upper-cased globs)."""
    found = {
        value
        for name, value in env.items()
        if len(value) >= MIN_SECRET_VALUE
        and (secret_var(name) or any(match(g, name.upper()) for g in listed))
    }
    return tuple(sorted(found, key=len, reverse=True))


def redact(text: str) -> str:
    """``text`` with credentials, tokens and passwords replaced by ``[REDACTED]``."""
    folded = text.lower()
    if not any(hint in folded for hint in _HINTS):
        return text
    import re  # only for text that hints at a secret

    return re.sub(_SECRETS_SOURCE, _replace, text)


def summarise(tool: str | None, tool_input: Any) -> dict[str, Any]:
    """What the log keeps of a tool call: commands and paths, never file contents."""
    if not isinstance(tool_input, dict):
        return {}
    out: dict[str, Any] = {}
    for key in (*PATH_FIELDS, "pattern", "glob", "url", "subagent_type"):
        value = tool_input.get(key)
        if isinstance(value, str):
            out[key] = redact(value[:MAX_COMMAND])
    command = tool_input.get("command")
    if isinstance(command, str):
        text = redact(command)
        out["command"] = text if len(text) <= MAX_COMMAND else text[:MAX_COMMAND] + "…"
    for key in ("content", "new_string", "new_source", "prompt"):
        value = tool_input.get(key)
        if isinstance(value, str):
            out[f"{key}_chars"] = len(value)
    ws = tool_input.get("ws")
    if isinstance(ws, dict) and isinstance(ws.get("url"), str):
        out["ws_url"] = redact(ws["url"][:MAX_COMMAND])
    if tool and tool.startswith("mcp__"):
        from agentguard.claude.mcp_args import paths

        out["arguments"] = sorted(str(k) for k in tool_input)
        named = [f"{where}={redact(raw[:500])}" for where, raw, _ in paths(tool, tool_input, "")]
        if named:
            out["paths"] = named
    return out


def scrub_line(line: str, secrets: Sequence[str]) -> str:
    """A serialised log line with every ``secrets`` value hidden, raw or JSON-escaped.

    Patterns cannot catch a token the agent read from the environment and then pasted
    into a command, or that a failing command printed: its value has no shape, so the
    values themselves (:func:`env_secrets`) are hidden wherever they appear.
    """
    for value in secrets:
        for form in (value, json_escaped(value)):
            if form in line:
                line = line.replace(form, REDACTED)
    return line


def json_escaped(value: str) -> str:
    """``value`` as it appears inside a JSON string (without the quotes)."""
    return wirejson.dumps(value)[1:-1]


def summarise_env(env: Mapping[str, str]) -> dict[str, str]:
    """The identity-relevant environment, nothing else."""
    return {k: env[k] for k in ("AGENTGUARD_AGENT",) if k in env}
