"""Find the policy and load its compiled form, rebuilding it once when stale. Hot path.

Which policy a call enforces (:func:`discover`, used by the hook, ``doctor``, ``agents
status`` and ``explain`` alike): ``AGENTGUARD_POLICY`` when set, else the project's policy
in the repository's *main checkout*, whichever worktree the call comes from. An agent works
in a linked worktree on its own branch; that branch's copy of the policy is not the
authority (it would let an agent loosen its own rules, and a rule committed on main would
never reach an agent already running). The main checkout is found from git's own files
(the worktree of the common dir), no ``git`` process.

A project that has a policy never silently falls back to the bundled default: once the
project says it has one (``.claude/agentguard-policy``, written by ``init`` and
``install``), a missing policy is a :class:`GuardError`; an empty one (no settings, only
blanks or comments) fails to load. A policy file is read only when it is a regular file,
and at most :data:`MAX_BYTES` of it, so a FIFO cannot hang the hook and a link to
``/dev/zero`` costs nothing.

The cache is keyed by the agentguard version and the content of the policy
files, in order. A hit costs reading the policy files (to hash them) and one
small JSON file. A miss imports the cold-path compiler once and writes the cache
atomically, so concurrent hooks never read half a file. A policy that does not
load is cached too (as its error), so a broken policy costs one slow call, not
one per tool call; so is a compile that ran out of the hook's time budget, which
``agentguard compile`` (no budget) then replaces.
"""

from __future__ import annotations

import os

from agentguard import __version__, budget, wirejson
from agentguard.errors import GuardError, PolicyError
from agentguard.git.files import find_worktree, main_checkout
from agentguard.policy.files import MAX_BYTES, read_policy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentguard.policy.compiled_types import CompiledBody, CompiledPolicy

POLICY_ENV = "AGENTGUARD_POLICY"
# Bumped whenever the compiled form changes shape; part of the cache key.
FORMAT = 7
PROJECT_FILE = "agentguard.yaml"
PROJECT_DIR = ".agentguard"
# Says "this project has its own policy" (one line: the policy's path in the project). It
# lives in .claude/, committed with the hooks and out of every agent's reach, so it travels
# to every clone and worktree. Read only when no policy is found, so it costs nothing on
# the hot path of a project whose policy is there.
MARKER = os.path.join(".claude", "agentguard-policy")
COMPILE_HINT = "run `agentguard compile`"


def bundled_default() -> str:
    """The default policy shipped with the package (or with the checkout)."""
    # agentguard/policy/compiled.py: the package is two levels up.
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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


def authority_root(cwd: str, env: Mapping[str, str]) -> str:
    """The folder whose policy a call enforces: the project, seen in the main checkout.

    In the main checkout (or outside git, or in a bare repository's worktree, which has
    no main checkout) that is :func:`project_root`; in a linked worktree it is the same
    folder of the main checkout, so every agent of a repository enforces one policy.
    """
    root = os.path.abspath(project_root(cwd, env))
    tree = find_worktree(root)
    if tree is None or tree.pointer is None:
        return root
    main = main_checkout(tree)
    if main is None or not os.path.isdir(main):
        return root
    rel = os.path.relpath(root, tree.top)
    if rel == ".":
        return main
    if rel.startswith(".."):
        return root
    return os.path.join(main, rel)


def _yaml_files(folder: str) -> list[str]:
    names = sorted(
        n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and not n.startswith(".")
    )
    return [os.path.join(folder, n) for n in names]


def project_files(root: str) -> list[str]:
    """The project policy under ``root`` (``agentguard.yaml``, else ``.agentguard/*.yaml``).

    Empty when the folder holds none. A ``.agentguard/`` folder with no ``*.yaml`` in it
    is a :class:`GuardError`: the project meant to have a policy there.
    """
    single = os.path.join(root, PROJECT_FILE)
    if os.path.lexists(single):
        return [single]
    folder = os.path.join(root, PROJECT_DIR)
    if os.path.isdir(folder):
        files = _yaml_files(folder)
        if not files:
            raise GuardError(
                f"the policy folder {folder}/ holds no *.yaml policy; restore the policy"
                f" (git checkout -- {PROJECT_DIR}) or remove the folder"
            )
        return files
    return []


def _marker(root: str) -> str | None:
    """The policy a project's ``.claude/agentguard-policy`` says it has, or None."""
    path = os.path.join(root, MARKER)
    if not os.path.lexists(path):
        return None
    try:
        text = read_policy(path, 4096).decode("utf-8", "replace").strip()
    except GuardError:
        # There but unreadable (or a FIFO: never opened blocking): the project has a policy.
        return PROJECT_FILE
    return text.splitlines()[0].strip() if text else PROJECT_FILE


def discover(cwd: str, env: Mapping[str, str]) -> list[str]:
    """The policy files for a call, in layering order: the one resolution every command uses.

    ``AGENTGUARD_POLICY`` (a file, or a folder of ``*.yaml`` layered in name
    order) wins; else ``agentguard.yaml`` at the project root of the main checkout
    (:func:`authority_root`); else the ``.agentguard/`` folder there; else, unless the
    project says it has a policy (``.claude/agentguard-policy``), the bundled default.
    """
    explicit = env.get(POLICY_ENV)
    if explicit:
        path = os.path.abspath(os.path.expanduser(explicit))
        if os.path.isdir(path):
            files = _yaml_files(path)
            if not files:
                raise GuardError(f"{POLICY_ENV}={explicit}: the folder holds no *.yaml policy")
            return files
        if not os.path.lexists(path):
            raise GuardError(f"{POLICY_ENV}={explicit}: no such policy file")
        return [path]
    root = authority_root(cwd, env)
    files = project_files(root)
    if files:
        return files
    here = os.path.abspath(project_root(cwd, env))
    for folder in dict.fromkeys((root, here)):
        named = _marker(folder)
        if named is not None:
            raise GuardError(
                f"the project's policy {os.path.join(root, named)} is missing"
                f" ({os.path.join(folder, MARKER)} says the project has one): restore it"
                f" (git checkout -- {named}), or delete {MARKER} to use the bundled default"
            )
    return [bundled_default()]


def source(files: list[str], cwd: str, env: Mapping[str, str]) -> str:
    """Why :func:`discover` chose ``files`` for a call in ``cwd``, in a few words.

    ``explain`` and ``agents status`` print it beside the files, so a person sees which
    policy an agent's hook enforces and that a branch's own copy is not it.
    """
    if env.get(POLICY_ENV):
        return f"set by {POLICY_ENV}"
    try:
        if files == [bundled_default()]:
            return "the bundled default: the project has no policy"
    except GuardError:
        pass
    if os.path.abspath(authority_root(cwd, env)) != os.path.abspath(project_root(cwd, env)):
        return "the main checkout's, for every worktree"
    return "the project's"


def branch_copy(cwd: str, env: Mapping[str, str]) -> list[str]:
    """The policy files a linked worktree holds itself, which are not the authority.

    Empty when the call is in the main checkout, when ``AGENTGUARD_POLICY`` decides,
    or when the worktree holds no policy. ``doctor`` compares them with the authority.
    """
    if env.get(POLICY_ENV):
        return []
    here = os.path.abspath(project_root(cwd, env))
    if os.path.abspath(authority_root(cwd, env)) == here:
        return []
    try:
        return project_files(here)
    except GuardError:
        return []


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

    def __init__(self, data: CompiledPolicy, files: list[str], key: str) -> None:
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
            data = wirejson.loads(fh.read())
    except (OSError, ValueError):
        data = None
    if isinstance(data, dict):
        if "error" in data:
            raise GuardError(str(data["error"]))
        written: Any = data  # what the compiler wrote: a CompiledPolicy
        return Compiled(written, files, key)
    try:
        data = _build(files)
    except budget.OverBudget as exc:
        # Recorded, so the next call answers at once instead of compiling and being cut off
        # again. The timer repeats until disarmed: disarm it so this write is not cut off
        # too (the hook answers on_error right after, and disarms it anyway).
        budget.stop()
        message = (
            f"the policy is too large to compile within the hook's {exc.seconds:g} s budget;"
            f" {COMPILE_HINT} (it compiles without a budget into the cache the hook reads)"
        )
        _store(cache_dir, cache, {"error": message, "over_budget": True})
        raise GuardError(message) from None
    _store(cache_dir, cache, data)
    if "error" in data:
        raise GuardError(str(data["error"]))
    return Compiled(data, files, key)


def _build(files: list[str]) -> Any:
    """The compiled policy, or ``{"error": why}`` for a policy that does not load."""
    # The cold path: pydantic, PyYAML and pathspec are imported only here.
    from agentguard.policy.compiler import build

    try:
        return stamp(build(files))
    except PolicyError as exc:
        first = str(exc.problems[0]) if exc.problems else "invalid policy"
        more = len(exc.problems) - 1
        suffix = f" (+{more} more)" if more > 0 else ""
        return {"error": f"policy does not load: {first}{suffix}; run `agentguard lint`"}


def _store(cache_dir: str, cache: str, data: Mapping[str, Any]) -> None:
    try:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = f"{cache}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(wirejson.dumps(data, separators=(",", ":")))
        os.replace(tmp, cache)
    except OSError:
        # An unwritable state folder costs speed, not correctness: the next call rebuilds.
        pass


def stamp(body: CompiledBody) -> CompiledPolicy:
    """``body`` (what :func:`agentguard.policy.compiler.build` returns) marked with the
    compiled form's :data:`FORMAT` and the agentguard version that built it."""
    return {"format": FORMAT, "version": __version__, **body}


def save(files: list[str], home: str, body: CompiledBody) -> Compiled:
    """Put ``body``, compiled from ``files`` without a budget, where the hook will find it.

    ``agentguard compile`` uses it: this replaces a cached error, such as a compile the
    hook's budget cut off.
    """
    data = stamp(body)
    key = _key(_contents(files))
    cache_dir = os.path.join(home, "cache")
    _store(cache_dir, os.path.join(cache_dir, f"policy-{key}.json"), data)
    return Compiled(data, files, key)


def cache_file(files: list[str], home: str) -> str:
    """Where the compiled form of ``files`` is cached under ``home`` (``doctor`` checks it).

    Raises GuardError when a policy file cannot be read.
    """
    return os.path.join(home, "cache", f"policy-{_key(_contents(files))}.json")


def _contents(files: list[str]) -> list[bytes]:
    """The bytes of each policy file, in order (the cache key is built from them)."""
    contents = []
    left = MAX_BYTES
    for file in files:
        content = read_policy(file, left)
        left -= len(content)
        contents.append(content)
    return contents
