"""Whose work a git revision names, read from git's own files (loose refs, packed-refs).

Used by the shell judgement of merges, rebases and ``worktree add``: a revision is the
agent's own, everyone's (the base and integration branches), another agent's, or nobody
knows. Refs resolve the way git's DWIM does, without spawning git.

Hot path: standard library only.
"""

from __future__ import annotations

import os

# Not ``typing.TYPE_CHECKING``: importing typing costs milliseconds on every hook call.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

# Branches everyone builds on: merging them into an agent branch brings nobody's work.
BASES = frozenset(("main", "master"))
# Refs git writes itself that may hold any commit, of anyone.
_PSEUDO = frozenset(
    (
        "FETCH_HEAD",
        "ORIG_HEAD",
        "MERGE_HEAD",
        "CHERRY_PICK_HEAD",
        "REBASE_HEAD",
        "REVERT_HEAD",
        "BISECT_HEAD",
        "AUTO_MERGE",
    )
)
_HEX = frozenset("0123456789abcdef")
_KIND_RANK = {"own": 0, "fine": 1, "unknown": 2, "other": 3}


class Refs:
    """Whose work a revision names: the agent's (``own``), everyone's (``fine``: the
    base and integration branches), another agent's (``other``) or nobody knows
    (``unknown``). ``repo`` is a folder inside the repository whose refs are read
    (``None``: judge every name by its spelling)."""

    __slots__ = ("_common", "_kinds", "_packed")

    def __init__(
        self,
        agent: str | None,
        branch: str | None,
        integration_branch: str | None,
        agent_branches: Mapping[str, str],
        repo: str | None,
    ) -> None:
        own = branch or ""
        kinds = {b: "fine" for b in BASES}
        if integration_branch:
            kinds[integration_branch] = "fine"
        for name, other in agent_branches.items():
            if other and name != agent and other not in kinds:
                kinds[other] = "other"
        if own:
            kinds[own] = "own"
        self._kinds = kinds
        self._common: str | None = None
        self._packed: dict[str, str] | None = None
        if repo is not None:
            from agentguard.git.files import find_worktree

            tree = find_worktree(repo)
            if tree is not None:
                self._common = tree.common_dir

    def kind(self, rev: str) -> str:
        """The kind of the revision ``rev`` (a range yields its strictest side)."""
        found = "own"
        for part in range_sides(rev):
            kind = self._one(part)
            if _KIND_RANK[kind] > _KIND_RANK[found]:
                found = kind
        return found

    def strangers(self, revs: Iterable[str]) -> tuple[list[str], list[str]]:
        """Of ``revs``, those naming another agent's work and those nobody can place."""
        foreign: list[str] = []
        unknown: list[str] = []
        for rev in revs:
            kind = self.kind(rev)
            if kind == "other":
                foreign.append(rev)
            elif kind == "unknown":
                unknown.append(rev)
        return foreign, unknown

    def by_name(self, name: str) -> str:
        """The kind of the branch ``name`` by its spelling alone (``refs/heads/x``,
        ``origin/x``), without reading the repository."""
        kinds = self._kinds
        if name in kinds:
            return kinds[name]
        for prefix in ("refs/heads/", "heads/"):
            if name.startswith(prefix):
                return kinds.get(name[len(prefix) :], "unknown")
        if name.startswith("refs/tags/"):
            return "unknown"
        rest = name.removeprefix("refs/").removeprefix("remotes/")
        # ``<remote>/<branch>``: a copy of that branch (remote names may hold ``/``).
        at = rest.find("/")
        while at != -1:
            kind = kinds.get(rest[at + 1 :])
            if kind is not None:
                return kind
            at = rest.find("/", at + 1)
        return "unknown"

    def _one(self, rev: str) -> str:
        cut = len(rev)
        for mark in ("~", "^", "@{", ":"):
            at = rev.find(mark)
            if at != -1 and at < cut:
                cut = at
        name, suffix = rev[:cut], rev[cut:]
        if ":" in suffix:
            return "unknown"  # ``rev:path`` is a file, ``:/text`` searches every ref
        reflog = ""
        if "@{" in suffix:
            reflog = suffix[suffix.index("@{") + 2 :].partition("}")[0].strip()
            if not reflog or reflog[0] == "-" or reflog.lower() in ("u", "upstream", "push"):
                return "unknown"  # the previous branch or a configured upstream
        if name in ("", "@", "HEAD"):
            # HEAD's own reflog may hold anything the worktree once pointed at.
            return "unknown" if reflog else "own"
        if name in _PSEUDO:
            return "unknown"
        kind = self._named(name)
        if kind == "own" and reflog:
            return "unknown"
        return kind

    def _named(self, name: str) -> str:
        if self._common is None:
            return self.by_name(name)
        for full in (
            f"refs/{name}",
            f"refs/tags/{name}",
            f"refs/heads/{name}",
            f"refs/remotes/{name}",
            f"refs/remotes/{name}/HEAD",
        ):
            if self._exists(full):
                return self.by_name(full)
        if 4 <= len(name) <= 64 and set(name) <= _HEX:
            return self._by_sha(name)
        # git will fail on a name it cannot resolve; judge it by its spelling.
        return self.by_name(name)

    def _exists(self, full: str) -> bool:
        common = self._common
        if common is None:
            return False
        if os.path.isfile(os.path.join(common, full)):
            return True
        return full in self._packed_refs()

    def _packed_refs(self) -> dict[str, str]:
        if self._packed is None:
            packed: dict[str, str] = {}
            try:
                with open(os.path.join(str(self._common), "packed-refs"), encoding="utf-8") as fh:
                    for line in fh:
                        sha, _, ref = line.strip().partition(" ")
                        if ref and not line.startswith(("#", "^")):
                            packed[ref] = sha
            except (OSError, UnicodeDecodeError):
                pass
            self._packed = packed
        return self._packed

    def _tip(self, full: str) -> str:
        try:
            with open(os.path.join(str(self._common), full), encoding="utf-8") as fh:
                return fh.read().strip()
        except (OSError, UnicodeDecodeError):
            return self._packed_refs().get(full, "")

    def _by_sha(self, sha: str) -> str:
        """A commit named by its id: whose branch tip it is, else unknown.

        A tip shared with the agent's own or a base branch brings nobody's work."""
        found = "unknown"
        for branch, kind in self._kinds.items():
            tips = [self._tip(f"refs/heads/{branch}")]
            if kind == "other":
                tips.extend(self._tip(ref) for ref in self._remote_copies(branch))
            if not any(tip and tip.startswith(sha) for tip in tips):
                continue
            if kind != "other":
                return kind
            found = "other"
        return found

    def _remote_copies(self, branch: str) -> list[str]:
        refs = [r for r in self._packed_refs() if r.startswith("refs/remotes/")]
        remotes = os.path.join(str(self._common), "refs", "remotes")
        try:
            names = os.listdir(remotes)
        except OSError:
            names = []
        refs.extend(f"refs/remotes/{n}/{branch}" for n in names)
        return [r for r in refs if r.endswith(f"/{branch}")]


def range_sides(rev: str) -> list[str]:
    """The revisions a range names (``A..B``, ``A...B``, ``^A``); an empty side is HEAD."""
    rev = rev.removeprefix("^")
    for sep in ("...", ".."):
        if sep in rev:
            return [side or "HEAD" for side in rev.split(sep)]
    return [rev]
