"""What the hook imports under ``python -I -S`` (the committed entry's way of running it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import agentguard
from agentguard import wirejson
from agentguard.commands.demo_world import build_world

ROOT = str(Path(agentguard.__file__).resolve().parent.parent)
PROBE = """
import sys
sys.path += [sys.argv[1], *sys.argv[2].split(":")]
import io
from agentguard.hook import run as hook
hook.main([sys.argv[3]], io.StringIO(sys.argv[4]), io.StringIO())
print(",".join(sorted({"re", "json", "typing", "enum", "functools"} & set(sys.modules))))
"""
# The PostToolUse is unbound (no PreToolUse ran before it): it analyses its line itself.
EVENTS = {
    "Write": ("PreToolUse", {"file_path": "src/pages/blog/index.astro", "content": "x"}),
    "Read": ("PreToolUse", {"file_path": "README.md"}),
    "Edit": (
        "PreToolUse",
        {"file_path": "src/content/config.ts", "old_string": "a", "new_string": "b"},
    ),
    "Bash": ("PreToolUse", {"command": "git status && npm run check"}),
    "PostToolUse": ("PostToolUse", {"command": "npm run check"}),
    "Stop": ("Stop", {}),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's world; hooks run in the search agent's worktree."""
    return build_world(tmp_path_factory.mktemp("lean"))["search"]


@pytest.mark.parametrize("case", sorted(EVENTS))
def test_the_hook_path_imports_neither_json_nor_re(world: Path, tmp_path: Path, case: str) -> None:
    """A warm Write, Read, Edit, Bash line, PostToolUse or Stop loads no json, re, typing,
    enum or functools (which brings collections: about 2 ms)."""
    name, tool_input = EVENTS[case]
    event: dict[str, object] = {"session_id": "lean", "cwd": str(world), "hook_event_name": name}
    if name == "Stop":
        event.update(stop_hook_active=False, last_assistant_message="done")
    else:
        tool = "Bash" if name == "PostToolUse" else case
        event.update(tool_name=tool, tool_input=tool_input, tool_use_id="toolu_lean")
        if name == "PostToolUse":
            event["tool_response"] = {"stdout": "ok", "stderr": "", "interrupted": False}
    envmap = {**os.environ, "AGENTGUARD_HOME": str(tmp_path), "AGENTGUARD_AGENT": "search"}
    envmap["CLAUDE_PROJECT_DIR"] = str(world)
    argv = [sys.executable, "-I", "-S", "-c", PROBE, ROOT, ":".join(sys.path), name]
    # The first call compiles the policy into the cache (the cold path may import anything);
    # the second is what every later call costs.
    for _ in range(2):
        done = subprocess.run(
            [*argv, json.dumps(event)], env=envmap, cwd=world, check=True, capture_output=True
        )
    assert done.stdout.decode().strip() == ""


VALUES: list[object] = [
    {"a": [1, 2.5, None, True, False, 'é\u2028"\\\n'], "b": {"z": 1, "a": -0.0}},
    "text",
    12,
    [],
    {},
    {"deep": [[[[{"x": "y"}]]]]},
    float("inf"),
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_wirejson_writes_what_json_writes(value: object) -> None:
    """dumps gives json.dumps's exact text for each separator and key order the hook uses."""
    for kwargs in ({}, {"separators": (",", ":")}, {"separators": (",", ":"), "sort_keys": True}):
        assert wirejson.dumps(value, **kwargs) == json.dumps(value, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ['  {"a": [1, 2]}\n', b'{"a": "\xc3\xa9"}', "NaN", '"x"', " 3 ", b"\xef\xbb\xbf{}"]
)
def test_wirejson_reads_what_json_reads(text: str | bytes) -> None:
    """loads gives json.loads's value, for text, UTF-8 bytes and a BOM'd document."""
    assert repr(wirejson.loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ["", "[1,", "{} x", '{"a" 1}', b"\xff\xfe", "\ufeff{}", "[" * 50])
def test_wirejson_fails_as_json_fails(text: str | bytes) -> None:
    """A document json refuses is refused with json's own exception and message."""
    with pytest.raises(ValueError) as ours:
        wirejson.loads(text)
    with pytest.raises(ValueError) as theirs:
        json.loads(text)
    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value))


def test_wirejson_dumps_default_str_and_refusal() -> None:
    """default_str stringifies what JSON cannot hold; without it the TypeError is json's."""
    marker = Path("/x")
    assert wirejson.dumps({"p": marker}, default_str=True) == json.dumps({"p": marker}, default=str)
    with pytest.raises(TypeError, match="not JSON serializable"):
        wirejson.dumps({"p": marker})
