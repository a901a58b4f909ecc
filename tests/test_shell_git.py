"""git on the command line: the sub-command forms that run programs, move refs or write files,
and the integration rules on every spelling of a ref (another agent's branch, ranges,
``worktree add -b``, maintenance, bundles)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from shellcase import classes, targets

from agentguard.decision import ALLOW, ASK, DENY
from agentguard.shell import analyse, judge
from agentguard.shell.model import Context

HOME = {"HOME": "/home/u"}
OWN = "agent/search"
OTHER = "agent/meta"
INTEG = "integration/x"


def _ctx(agent: str = "search") -> Context:
    return Context(
        agent=agent,
        branch=OWN if agent == "search" else INTEG,
        integration_branch=INTEG,
        integration_owner="integrator",
        agent_branches={"search": OWN, "meta": OTHER, "integrator": INTEG},
    )


def _git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "HOME": str(cwd),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real repository on agent/search; agent/meta is one commit ahead of main."""
    root = tmp_path_factory.mktemp("rt2git") / "r"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "commit", "-q", "--allow-empty", "-m", "base")
    for branch in (OWN, INTEG, OTHER):
        _git(root, "branch", branch)
    _git(root, "checkout", "-q", OTHER)
    _git(root, "commit", "-q", "--allow-empty", "-m", "meta work")
    _git(root, "checkout", "-q", OWN)
    _git(root, "tag", "v1", OTHER)
    return root


def _integration(line: str, cwd: Path, agent: str = "search") -> str:
    found = judge(analyse(line, str(cwd), HOME), [], None, _ctx(agent))
    return max(
        (m.decision for m in found if m.rule == "integration"),
        key=(ALLOW, ASK, DENY).index,
        default=ALLOW,
    )


@pytest.mark.parametrize(
    "rev",
    [
        f"{OTHER}~0",
        f"{OTHER}^0",
        f"{OTHER}^{{}}",
        f"{OTHER}^{{commit}}",
        f"{OTHER}@{{0}}",
        f"{OTHER}~",
        f"{OTHER}^",
        f"{OTHER}~2^1",
        f"heads/{OTHER}",
        f"refs/heads/{OTHER}",
        f"remotes/origin/{OTHER}",
        f"refs/remotes/origin/{OTHER}",
        f"origin/{OTHER}",
        f"upstream/{OTHER}~1",
    ],
)
@pytest.mark.parametrize("sub", ["merge --no-edit", "rebase", "cherry-pick"])
def test_other_agents_branch_in_any_spelling_is_denied(repo: Path, sub: str, rev: str) -> None:
    """Another agent's branch named with a revision suffix or a ref prefix is still theirs."""
    assert _integration(f"git {sub} {rev}", repo) == DENY


@pytest.mark.parametrize(
    "line",
    [
        f"git cherry-pick main..{OTHER}",
        f"git cherry-pick main...{OTHER}",
        f"git cherry-pick ^main {OTHER}",
        f"git rebase --onto {OTHER}^0 main",
    ],
)
def test_ranges_and_onto_are_judged_on_every_side(repo: Path, line: str) -> None:
    """A range or ``--onto`` that reaches another agent's branch brings its work in."""
    assert _integration(line, repo) == DENY


@pytest.mark.parametrize(
    "rev",
    [
        "FETCH_HEAD",
        "ORIG_HEAD",
        "HEAD@{1}",
        "@{1}",
        "@{-1}",
        f"{OWN}@{{2}}",
        "@{upstream}",
        "main@{u}",
        ":/meta work",
        "v1",
        "0123456789abcdef0123456789abcdef01234567",
        "no-such-branch",
    ],
)
def test_sources_of_unknown_owner_ask(repo: Path, rev: str) -> None:
    """A source the guard cannot attribute to a branch asks (rule integration)."""
    assert _integration(f"git merge '{rev}'", repo) == ASK


@pytest.mark.parametrize(
    "line",
    [
        "git merge main",
        "git merge origin/main",
        "git rebase main",
        "git rebase -i HEAD~3",
        "git rebase @~2",
        f"git merge {INTEG}",
        f"git merge refs/heads/{OWN}",
        "git rebase",
        "git merge --abort",
    ],
)
def test_own_base_and_integration_sources_stay_quiet(repo: Path, line: str) -> None:
    """Bringing the base, the integration branch or the agent's own history is fine."""
    assert _integration(line, repo) == ALLOW


def test_sha_of_another_agents_tip_is_denied(repo: Path) -> None:
    """A commit id equal to another agent's branch tip is that agent's work."""
    tip = _git(repo, "rev-parse", OTHER)
    assert _integration(f"git merge {tip}", repo) == DENY
    assert _integration(f"git cherry-pick {tip[:8]}", repo) == DENY
    assert _integration(f"git merge {tip[:8]}~0", repo) == DENY


def test_sha_of_a_shared_tip_is_not_foreign(repo: Path) -> None:
    """A commit id equal to main's tip (which every branch shares) brings nobody's work."""
    tip = _git(repo, "rev-parse", "main")
    assert _integration(f"git merge {tip}", repo) == ALLOW


def test_packed_refs_are_read(tmp_path: Path) -> None:
    """Branch tips and tags in packed-refs resolve like loose ones."""
    root = tmp_path / "p"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "commit", "-q", "--allow-empty", "-m", "base")
    _git(root, "branch", OWN)
    _git(root, "checkout", "-q", "-b", OTHER)
    _git(root, "commit", "-q", "--allow-empty", "-m", "meta")
    _git(root, "checkout", "-q", OWN)
    _git(root, "tag", "main", OTHER)
    _git(root, "pack-refs", "--all")
    assert not (root / ".git" / "refs" / "heads" / "agent" / "meta").exists()
    tip = _git(root, "rev-parse", OTHER)
    assert _integration(f"git merge {tip[:10]}", root) == DENY
    assert _integration("git merge main", root) == ASK


def test_tag_shadowing_a_base_branch_asks(tmp_path: Path) -> None:
    """A tag named ``main`` wins git's ref lookup over the branch: it may hold anything."""
    root = tmp_path / "t"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "commit", "-q", "--allow-empty", "-m", "base")
    _git(root, "checkout", "-q", "-b", OWN)
    assert _integration("git merge main", root) == ALLOW
    _git(root, "tag", "main")
    assert _integration("git merge main", root) == ASK
    assert _integration(f"git merge {OWN}", root) == ALLOW


def test_integrator_may_merge_anything_into_integration(repo: Path) -> None:
    """The integration owner on the integration branch merges agent branches freely."""
    assert _integration(f"git merge {OTHER}~0", repo, agent="integrator") == ALLOW


def test_no_repository_falls_back_to_the_spelling(tmp_path: Path) -> None:
    """Outside any repository refs are judged by name: suffixes and prefixes still strip."""
    assert _integration(f"git merge refs/remotes/origin/{OTHER}^{{}}", tmp_path) == DENY
    assert _integration("git merge origin/main~1", tmp_path) == ALLOW


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("git worktree add -B main /tmp/wt4", DENY),
        ("git worktree add -f -B main /tmp/wt4", DENY),
        ("git worktree add -fB main /tmp/wt4", DENY),
        ("git worktree add -Bmain /tmp/wt4", DENY),
        ("git worktree add -B refs/heads/main /tmp/wt4", DENY),
        (f"git worktree add -b {OTHER} /tmp/wt4", DENY),
        (f"git worktree add -B {INTEG} /tmp/wt4", DENY),
        (f"git worktree add -b feature/x /tmp/wt4 {OTHER}~0", DENY),
        ("git worktree add -b feature/x /tmp/wt4", ASK),
        ("git worktree add -b feature/x /tmp/wt4 main", ASK),
        (f"git worktree add -B {OWN} /tmp/wt4", ASK),
        ("git worktree add --detach /tmp/wt4", ALLOW),
    ],
)
def test_worktree_add_branch_options_are_ref_moves(repo: Path, line: str, expected: str) -> None:
    """``worktree add -b/-B NAME`` creates or resets NAME: another's or a shared branch is
    denied, a new or the agent's own branch asks."""
    assert _integration(line, repo) == expected


def test_worktree_add_big_b_is_destructive(repo: Path) -> None:
    """``-B`` resets an existing branch to the start point, like ``branch -f``."""
    assert (
        "git-destructive" in analyse(f"git worktree add -B {OWN} /tmp/w", str(repo), HOME).classes
    )
    assert "git-destructive" not in analyse("git worktree add -b n /tmp/w", str(repo), HOME).classes


def test_worktree_add_named_after_an_existing_branch_checks_it_out(repo: Path) -> None:
    """Without a commit-ish git checks out the branch named after the folder if it exists."""
    assert _integration("git worktree add /tmp/main", repo) == DENY
    assert _integration("git worktree add /tmp/brand-new", repo) == ALLOW
    assert _integration("git worktree add -d /tmp/main", repo) == ALLOW


@pytest.mark.parametrize(
    "line",
    [
        "git maintenance start",
        "git maintenance stop",
        "git maintenance register",
        "git maintenance unregister",
        "git maintenance run --schedule=hourly",
        "git maintenance run --schedule daily",
        "git maintenance frobnicate",
    ],
)
def test_scheduled_maintenance_is_opaque(repo: Path, line: str) -> None:
    """Maintenance scheduling writes crontab/launchd entries and $HOME config: opaque."""
    assert "opaque" in analyse(line, str(repo), HOME).classes


def test_plain_maintenance_run_is_not_opaque(repo: Path) -> None:
    """``maintenance run`` without a schedule runs gc-like tasks now, like ``git gc``."""
    assert "opaque" not in analyse("git maintenance run", str(repo), HOME).classes


def test_bundle_create_writes_its_file(repo: Path) -> None:
    """``bundle create FILE`` writes FILE; ``-`` is standard output; verify only reads."""
    writes = analyse("git bundle create out/x.bundle HEAD", str(repo), HOME).commands[0].writes
    assert writes == [str(repo / "out" / "x.bundle")]
    assert analyse("git bundle create - HEAD", str(repo), HOME).commands[0].writes == []
    verify = analyse("git bundle verify x.bundle", str(repo), HOME)
    assert "read-only" in verify.classes and verify.commands[0].writes == []


def test_unknown_actor_still_asks(repo: Path) -> None:
    """Without an acting agent the integration rule asks for every merge."""
    found = judge(analyse("git merge main", str(repo), HOME), [], None, Context())
    assert found.decision == ASK


# -- red-team pass 1: each case ran unobjected before its fix ---------------------------


@pytest.mark.parametrize(
    ("line", "cls"),
    [
        ("git --config-env=core.hooksPath=HP status", "guard-tamper"),
        ("git --config-env core.pager=P log", "opaque"),
        ("git -c diff.x.textconv=id diff", "opaque"),
        ("git -c core.attributesfile=/tmp/a diff", "opaque"),
        ("git -c credential.helper=id status", "opaque"),
        ("git difftool", "opaque"),
        ("git mergetool", "opaque"),
        ("git grep -Oid x", "opaque"),
        ("git remote show origin", "network"),
        ("git update-ref refs/heads/agent/a HEAD~3", "git-destructive"),
        ("git read-tree -u --reset HEAD", "file-write"),
        ("git sparse-checkout set src", "file-delete"),
        ("git worktree add /tmp/wt agent/b", "merge"),
    ],
)
def test_git_forms(worktree: Path, line: str, cls: str) -> None:
    """git forms that ran programs, moved refs or wrote files unseen get their class."""
    assert cls in classes(line, worktree)


def test_git_diff_renames_is_not_code(worktree: Path) -> None:
    """Only the program-running diff keys are code: ``diff.renames`` is not."""
    assert "opaque" not in classes("git -c diff.renames=true diff", worktree)


def test_git_update_ref_of_another_branch_is_an_integration_move(worktree: Path) -> None:
    """Moving another branch's ref is judged by the integration rules (deny)."""
    analysis = analyse("git update-ref refs/heads/agent/b HEAD", str(worktree), HOME)
    result = judge(analysis, [], None, Context("a", "agent/a", "integ", "boss", {"b": "agent/b"}))
    assert any(m.rule == "integration" and m.decision == "deny" for m in result)


def test_git_stash_targets(worktree: Path) -> None:
    """stash apply/pop write unknown files; stash push -- PATH writes and deletes PATH."""
    pop = analyse("git stash pop", str(worktree), HOME).commands[0]
    assert ("write", "(the files the stash pop restores)") in pop.unresolved
    push = analyse("git stash push -- src/content/config.ts", str(worktree), HOME)
    assert "src/content/config.ts" in targets(push, "deletes", worktree)


def test_git_worktree_move_and_remove_targets(worktree: Path) -> None:
    """worktree move deletes its source and writes its destination; remove deletes."""
    moved = analyse("git worktree move ../other /tmp/m", str(worktree), HOME)
    assert str(worktree.parent / "other") in moved.commands[0].deletes
    assert "/tmp/m" in moved.commands[0].writes
    removed = analyse("git worktree remove ../other", str(worktree), HOME)
    assert str(worktree.parent / "other") in removed.commands[0].deletes


def test_git_reads_of_files(worktree: Path) -> None:
    """hash-object and the stage forms of show (``:path``, ``:0:path``) read the path."""
    for line in ("git hash-object -w .env", "git show :.env", "git show :0:.env"):
        assert ".env" in targets(analyse(line, str(worktree), HOME), "reads", worktree), line
