"""Find the policy and load its compiled form, rebuilding it once when stale. Hot path.

The cache is keyed by the agentguard version and the content of the policy
files, in order. A hit costs reading the policy files (to hash them) and one
small JSON file. A miss imports the cold-path compiler once and writes the cache
atomically, so concurrent hooks never read half a file. A policy that does not
load is cached too (as its error), so a broken policy costs one slow call, not
one per tool call.
"""

from __future__ import annotations

import json
import os

from agentguard import __version__
from agentguard.gitfiles import find_worktree

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

POLICY_ENV = "AGENTGUARD_POLICY"
# Bumped whenever the compiled form changes shape; part of the cache key.
FORMAT = 6
PROJECT_FILE = "agentguard.yaml"
PROJECT_DIR = ".agentguard"


class GuardError(Exception):
    """A failure of the guard itself; its message is one line, fit for Claude and the log."""


def bundled_default() -> str:
    """The default policy shipped with the package (or with the checkout)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (
        os.path.join(here, "policies", "default.yaml"),
        os.path.join(os.path.dirname(here), "policies", "default.yaml"),
    ):
        if os.path.isfile(candidate):
            return candidate
    raise GuardError("the bundled default policy is missing; reinstall agentguard")


def project_root(cwd: str, env: Mapping[str, str]) -> str:
    """The project a call belongs to: ``CLAUDE_PROJECT_DIR``, else the worktree of cwd."""
    project = env.get("CLAUDE_PROJECT_DIR")
    if project:
        return project
    tree = find_worktree(cwd) if cwd else None
    return tree.top if tree else (cwd or os.getcwd())


def _yaml_files(folder: str) -> list[str]:
    names = sorted(
        n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith(".")
    )
    return [os.path.join(folder, n) for n in names]


def discover(cwd: str, env: Mapping[str, str]) -> list[str]:
    """The policy files for a call, in layering order.

    ``AGENTGUARD_POLICY`` (a file, or a folder of ``*.yaml`` layered in name
    order) wins; else ``agentguard.yaml`` at the project root; else the
    ``.agentguard/`` folder there; else the bundled default policy.
    """
    explicit = env.get(POLICY_ENV)
    if explicit:
        path = os.path.abspath(os.path.expanduser(explicit))
        if os.path.isdir(path):
            files = _yaml_files(path)
            if not files:
                raise GuardError(f"{POLICY_ENV}={explicit}: the folder holds no *.yaml policy")
            return files
        if not os.path.isfile(path):
            raise GuardError(f"{POLICY_ENV}={explicit}: no such policy file")
        return [path]
    root = project_root(cwd, env)
    single = os.path.join(root, PROJECT_FILE)
    if os.path.isfile(single):
        return [single]
    folder = os.path.join(root, PROJECT_DIR)
    if os.path.isdir(folder):
        files = _yaml_files(folder)
        if files:
            return files
    return [bundled_default()]


def _sha256() -> Any:
    # hashlib loads OpenSSL (about 2 ms here); the builtin module is enough for a cache key.
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return sha256()


def _key(contents: list[bytes]) -> str:
    digest = _sha256()
    digest.update(f"{__version__}/{FORMAT}".encode())
    for content in contents:
        digest.update(len(content).to_bytes(8, "big"))
        digest.update(content)
    return str(digest.hexdigest())[:32]


class Compiled:
    """A compiled policy with where it came from."""

    __slots__ = ("data", "files", "key")

    def __init__(self, data: dict[str, Any], files: list[str], key: str) -> None:
        self.data = data
        self.files = files
        self.key = key


def load(files: list[str], home: str) -> Compiled:
    """The compiled policy for ``files``, from the cache under ``home`` or freshly built."""
    key = _key(_contents(files))
    cache_dir = os.path.join(home, "cache")
    cache = os.path.join(cache_dir, f"policy-{key}.json")
    try:
        with open(cache, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        if "error" in data:
            raise GuardError(str(data["error"]))
        return Compiled(data, files, key)
    data = _build(files)
    _store(cache_dir, cache, data)
    if "error" in data:
        raise GuardError(str(data["error"]))
    return Compiled(data, files, key)


def _build(files: list[str]) -> dict[str, Any]:
    # The cold path: pydantic, PyYAML and pathspec are imported only here.
    from agentguard.compiler import build
    from agentguard.loader import PolicyError

    try:
        return build(files)
    except PolicyError as exc:
        first = str(exc.problems[0]) if exc.problems else "invalid policy"
        more = len(exc.problems) - 1
        suffix = f" (+{more} more)" if more > 0 else ""
        return {"error": f"policy does not load: {first}{suffix}; run `agentguard lint`"}


def _store(cache_dir: str, cache: str, data: dict[str, Any]) -> None:
    try:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = f"{cache}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
        os.replace(tmp, cache)
    except OSError:
        # An unwritable state folder costs speed, not correctness: the next call rebuilds.
        pass


def cache_file(files: list[str], home: str) -> str:
    """Where the compiled form of ``files`` is cached under ``home`` (``doctor`` checks it).

    Raises GuardError when a policy file cannot be read.
    """
    return os.path.join(home, "cache", f"policy-{_key(_contents(files))}.json")


def _contents(files: list[str]) -> list[bytes]:
    """The bytes of each policy file, in order (the cache key is built from them)."""
    contents = []
    for file in files:
        try:
            with open(file, "rb") as fh:
                contents.append(fh.read())
        except OSError as exc:
            raise GuardError(f"cannot read policy {file}: {exc.strerror}") from None
    return contents
