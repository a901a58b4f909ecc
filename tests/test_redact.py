"""The log keeps commands and paths with credentials redacted, and never file contents."""

from __future__ import annotations

import json

import pytest

from agentguard.redact import (
    MAX_COMMAND,
    env_secrets,
    redact,
    scrub_line,
    secret_var,
    summarise,
    summarise_env,
)

SECRET = "hunter2-Zq8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'curl -H "Authorization: Bearer abc123def" https://x',
            'curl -H "Authorization: Bearer [REDACTED]" https://x',
        ),
        ("curl -H 'authorization: token abc' x", "curl -H 'authorization: token [REDACTED]' x"),
        ("export GITHUB_TOKEN=ghp_abc", "export GITHUB_TOKEN=[REDACTED]"),
        ("DB_PASSWORD='two words' ./run", "DB_PASSWORD=[REDACTED] ./run"),
        ('AWS_SECRET_ACCESS_KEY="a b" aws s3 ls', "AWS_SECRET_ACCESS_KEY=[REDACTED] aws s3 ls"),
        ("PASSWORD = hunter2 ./run", "PASSWORD = [REDACTED] ./run"),
        ("api_key: abc", "api_key: [REDACTED]"),
        (
            "git clone https://bob:hunter2@example.com/r.git",
            "git clone https://bob:[REDACTED]@example.com/r.git",
        ),
        ("echo sk-abcdefghijklmnopqrstuv", "echo [REDACTED]"),
        ("x ghp_abcdefghijklmnopqrstuvwxyz0123 y", "x [REDACTED] y"),
        ("x github_pat_abcdefghijklmnopqrstuvwxyz y", "x [REDACTED] y"),
        ("x AKIAABCDEFGHIJKLMNOP y", "x [REDACTED] y"),
        ("slack xoxb-1234567890-abcdef", "slack [REDACTED]"),
        ("k AIzaSyA1234567890abcdefghijklmnopqrstu", "k [REDACTED]"),
        ("jwt eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4", "jwt [REDACTED]"),
    ],
)
def test_redact_hides_credentials(text: str, expected: str) -> None:
    """Each credential form is replaced, keeping the text around it readable."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "git status",
        "npm run check",
        "ASTRO_TELEMETRY_DISABLED=1 npm run build",
        "git diff --name-only main...HEAD",
        "cat src/content/config.ts",
        "",
    ],
)
def test_redact_leaves_ordinary_commands_alone(text: str) -> None:
    """Commands without credentials are logged verbatim."""
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        f'curl -d \'{{"password":"{SECRET}"}}\' https://x',
        f"mysql --password {SECRET} db",
        f"curl -u bob:{SECRET} https://x",
    ],
    ids=["json-field", "flag-then-value", "curl-user"],
)
def test_redact_hides_other_common_forms(text: str) -> None:
    """Other everyday ways of passing a password on a command line are redacted too."""
    assert SECRET not in redact(text)


def test_summarise_keeps_paths_and_commands_not_contents() -> None:
    """File contents are reduced to their length; paths and URLs stay."""
    got = summarise("Write", {"file_path": "/w/a.ts", "content": "TOKEN=abc\n" * 3, "other": "x"})
    assert got == {"file_path": "/w/a.ts", "content_chars": 30}
    edit = summarise("Edit", {"file_path": "/w/a", "old_string": "a", "new_string": "secret"})
    assert edit == {"file_path": "/w/a", "new_string_chars": 6}


def test_summarise_redacts_commands_and_urls() -> None:
    """A Bash command and a WebFetch URL are redacted before logging."""
    assert summarise("Bash", {"command": "TOKEN=abc make"}) == {"command": "TOKEN=[REDACTED] make"}
    got = summarise("WebFetch", {"url": "https://u:pw@h/x", "prompt": "summarise"})
    assert got == {"url": "https://u:[REDACTED]@h/x", "prompt_chars": 9}


def test_summarise_truncates_long_commands() -> None:
    """A huge command is cut, saying so, so one call cannot bloat the log."""
    got = summarise("Bash", {"command": "x" * (MAX_COMMAND + 50)})
    assert got["command"] == "x" * MAX_COMMAND + "…"


def test_summarise_mcp_keeps_argument_names_only() -> None:
    """MCP arguments may hold anything: only their names are logged."""
    got = summarise("mcp__github__create_issue", {"title": "t", "body": "SECRET", "repo": "r"})
    assert got == {"arguments": ["body", "repo", "title"]}
    assert "SECRET" not in repr(got)


@pytest.mark.parametrize("value", [None, "string", ["list"], 3])
def test_summarise_tolerates_malformed_input(value: object) -> None:
    """A tool_input that is not an object summarises to nothing (the gate reports it)."""
    assert summarise("Write", value) == {}


def test_summarise_env_keeps_identity_only() -> None:
    """Only AGENTGUARD_AGENT is logged from the environment."""
    env = {"AGENTGUARD_AGENT": "search", "GITHUB_TOKEN": "x", "HOME": "/h"}
    assert summarise_env(env) == {"AGENTGUARD_AGENT": "search"}


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("CLAUDE_CODE_MESSAGING_TOKEN", True),
        ("ANTHROPIC_API_KEY", True),
        ("GITHUB_TOKEN", True),
        ("PGPASSWORD", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("STRIPE_PRIVATE_KEY", True),
        ("STRIPE_KEY", True),
        ("ALGOLIA_ADMIN_KEY", True),
        ("DATABASE_URL", True),
        ("KEY", False),
        ("PROD_DATABASE_URL_HOST", False),
        ("CLAUDE_CODE_MESSAGING_SOCKET", False),
        ("CLAUDE_PROJECT_DIR", False),
        ("MAX_TOKENS", False),
        ("SSH_KEY_PATH", False),
        ("HOME", False),
    ],
)
def test_secret_var_tells_credentials_by_name(name: str, secret: bool) -> None:
    """Claude Code's own token and credential-named variables are secrets; others are not."""
    assert secret_var(name) is secret


def test_env_secrets_are_the_long_credential_values() -> None:
    """Only credential variables count, longest first; a short value would hide plain text."""
    env = {
        "CLAUDE_CODE_MESSAGING_TOKEN": "mt_0123456789abcdef",
        "GITHUB_TOKEN": "ghp_shortish1",
        "DEBUG_TOKEN": "1",
        "HOME": "/home/someone-long-enough",
    }
    assert env_secrets(env) == ("mt_0123456789abcdef", "ghp_shortish1")


def test_env_secrets_add_the_policy_s_listed_names() -> None:
    """Globs of the policy's secrets.variables (upper-cased) add their variables' values."""
    env = {"ACME_SEED": "seed-0123456789", "acme_salt": "salt-01234567", "HOME": "/home/x1"}
    assert env_secrets(env) == ()
    assert env_secrets(env, ["ACME_*"]) == ("seed-0123456789", "salt-01234567")


def test_scrub_line_hides_a_value_raw_and_json_escaped() -> None:
    """A token pasted into a command is hidden in the serialised line, quotes and all."""
    token = 'abc"def\\ghi123'
    line = json.dumps({"command": f"curl -H x-token:{token} unix:/s", "raw": token})
    scrubbed = scrub_line(line, [token])
    assert token not in scrubbed and json.dumps(token)[1:-1] not in scrubbed
    assert json.loads(scrubbed) == {
        "command": "curl -H x-token:[REDACTED] unix:/s",
        "raw": "[REDACTED]",
    }
