"""Red-team bypasses of the classifier: links, the guard's CLI, code-bearing variables,
git, interpreters, hidden writes and reads. Each case ran unobjected before the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentguard.decision import ALLOW, ASK
from agentguard.shell import analyse, judge
from agentguard.shell.model import Analysis, Context
from agentguard.shell.programs.text import sed_script
from agentguard.shell.rules import allow_matches, pattern_matches
from agentguard.shell.variables import code_var

HOME = {"HOME": "/home/u"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git worktree on agent/a with src/, a content folder, a secret and a script."""
    root = tmp_path / "wt"
    (root / ".git" / "refs" / "heads" / "agent").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/agent/a\n")
    (root / ".git" / "refs" / "heads" / "agent" / "a").write_text("0" * 40 + "\n")
    (root / "src" / "components" / "search").mkdir(parents=True)
    (root / "src" / "content").mkdir()
    (root / "src" / "content" / "config.ts").write_text("x")
    (root / "scripts").mkdir()
    (root / "scripts" / "tool.py").write_text("print(1)\n")
    (root / ".env").write_text("TOKEN=1")
    (root / "package.json").write_text('{"scripts": {"check": "astro check"}}')
    return root


def _all(analysis: Analysis, attr: str, cwd: Path) -> list[str]:
    return [os.path.relpath(p, cwd) for c in analysis.commands for p in getattr(c, attr)]


def _classes(line: str, cwd: Path) -> set[str]:
    return analyse(line, str(cwd), HOME).classes


# -- 1. links ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "target"),
    [
        ("ln -s ../../content src/components/search/c", "src/content"),
        ("ln -sf ../../content/config.ts src/components/search/x.ts", "src/content/config.ts"),
        ("ln -s -t src/components/search ../../content", "src/content"),
        ("ln src/content/config.ts src/components/search/h.ts", "src/content/config.ts"),
        ("link src/content/config.ts src/components/search/h.ts", "src/content/config.ts"),
        ("cp -l src/content/config.ts src/components/search/h.ts", "src/content/config.ts"),
        ("cp -s ../../content/config.ts src/components/search/s.ts", "src/content/config.ts"),
        ("ln -s src/content", "src/content"),
    ],
)
def test_link_target_is_a_write_target(repo: Path, line: str, target: str) -> None:
    """A link's target is written through the link: relative symlink targets resolve
    against the link's folder, hard-link targets against the working directory."""
    writes = _all(analyse(line, str(repo), HOME), "writes", repo)
    assert target in writes


def test_symlink_into_existing_folder_resolves_against_that_folder(repo: Path) -> None:
    """``ln -s T DIR`` puts the link inside DIR, so a relative T resolves from DIR."""
    writes = _all(analyse("ln -s ../content src/components", str(repo), HOME), "writes", repo)
    assert "src/content" in writes


def test_symlink_to_home_and_absolute_targets(repo: Path) -> None:
    """``ln -s ~ x`` targets $HOME; absolute targets are taken as they are."""
    analysis = analyse("ln -s ~ x && ln -s /etc/passwd /tmp/pw", str(repo), HOME)
    writes = [p for c in analysis.commands for p in c.writes]
    assert "/home/u" in writes and "/etc/passwd" in writes


def test_symlink_with_dynamic_target_is_unresolved(repo: Path) -> None:
    """A link target from an expansion cannot be judged: it is an unresolved write."""
    analysis = analyse('ln -s "$T" src/components/search/c', str(repo), HOME)
    assert any(kind == "write" for c in analysis.commands for kind, _ in c.unresolved)


def test_copy_without_link_flags_does_not_write_its_source(repo: Path) -> None:
    """Plain ``cp`` and ``mv`` keep their old targets: the source is read, not written."""
    writes = _all(analyse("cp src/content/config.ts /tmp/x", str(repo), HOME), "writes", repo)
    assert "src/content/config.ts" not in writes


# -- 2. agentguard's own CLI ------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "agentguard uninstall",
        "agentguard install",
        "agentguard init",
        "agentguard agents up",
        "agentguard schema --write",
        "agentguard wrap -- ls",
        "python3 -m agentguard uninstall",
        "python -m agentguard.cli install",
        "hooks/agentguard uninstall",
        'agentguard "$X"',
        "agentguard hook PreToolUse",
    ],
)
def test_guard_cli_that_changes_the_guard_is_tamper(repo: Path, line: str) -> None:
    """Sub-commands that install, remove or reconfigure the guard are guard-tamper."""
    assert "guard-tamper" in _classes(line, repo)


@pytest.mark.parametrize(
    "line",
    [
        "agentguard verify",
        "agentguard logs evidence",
        "agentguard explain -- ls",
        "agentguard lint",
        "agentguard test",
        "agentguard schema",
        "agentguard schema --check",
        "agentguard compile",
        "agentguard demo",
        "agentguard --version",
        "agentguard --help",
        "python3 -m agentguard verify",
    ],
)
def test_guard_cli_read_only_subcommands_pass(repo: Path, line: str) -> None:
    """Read-only sub-commands pass: they change no installation, counter, evidence or log."""
    classes = _classes(line, repo)
    assert "guard-tamper" not in classes and "opaque" not in classes


# -- 3. code-bearing environment variables ----------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "PATH=/tmp/e git status",
        "env PATH=/tmp/e git status",
        "export PATH=/tmp/e:$PATH",
        "declare -x LD_PRELOAD=/tmp/x.so",
        "typeset LD_LIBRARY_PATH=/tmp",
        "readonly BASH_ENV=/tmp/x",
        "PATH=/tmp/e",
        "GIT_CONFIG_KEY_0=core.pager ls",
        "npm_config_script_shell=/tmp/x npm run check",
        "NPM_CONFIG_NODE_OPTIONS=x ls",
        "DYLD_INSERT_LIBRARIES=/tmp/x ls",
        'NODE_OPTIONS="--require /tmp/x.js" npm run check',
        "IFS=/ ls",
    ],
)
def test_code_bearing_assignment_is_opaque(repo: Path, line: str) -> None:
    """Assigning a variable that decides which code runs, in any form, is opaque."""
    analysis = analyse(line, str(repo), HOME)
    assert "opaque" in analysis.classes
    assert any("sets " in n for c in analysis.commands for n in c.notes)


@pytest.mark.parametrize(
    "line",
    [
        "NODE_OPTIONS=--max-old-space-size=4096 npm run check",
        "IFS= read -r line",
        "NODE_ENV=test npm test",
        "export NODE_ENV=test",
        "unset PATH_X",
    ],
)
def test_harmless_assignments_stay_quiet(repo: Path, line: str) -> None:
    """Runtime tuning flags, ``IFS= read`` and ordinary variables are not opaque."""
    assert "opaque" not in _classes(line, repo)


def test_code_var_table() -> None:
    """The variable table: exact names, prefixes (case-insensitive for npm) and values."""
    assert code_var("PATH") and code_var("LD_AUDIT") and code_var("npm_config_prefix")
    assert code_var("NODE_OPTIONS", "--import=/tmp/x") and code_var("NODE_OPTIONS", "$X")
    assert not code_var("NODE_OPTIONS", "--max-old-space-size=4096 --enable-source-maps")
    assert not code_var("NODE_ENV") and not code_var("HOMEBREW_NO_ANALYTICS")


def test_allow_pattern_needs_exactly_its_assignments(repo: Path) -> None:
    """An allow grants only when the command's assignments are exactly the pattern's;
    ask/deny patterns keep subset semantics."""
    plain = analyse("X=1 git status", str(repo), HOME).commands[0]
    assert pattern_matches(["git", "status"], plain)
    assert not allow_matches(["git", "status"], plain)
    named = analyse("ASTRO_TELEMETRY_DISABLED=1 npm run build", str(repo), HOME).commands[0]
    assert allow_matches(["ASTRO_TELEMETRY_DISABLED=1", "npm", "run", "build"], named)
    rules = [{"id": "i", "decision": ALLOW, "justification": "", "patterns": [["git", "status"]]}]
    assert judge(analyse("git status", str(repo), HOME), rules).explicit_allow
    assert not judge(analyse("X=1 git status", str(repo), HOME), rules).explicit_allow


# -- 4. git -------------------------------------------------------------------------------
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
def test_git_forms(repo: Path, line: str, cls: str) -> None:
    """git forms that ran programs, moved refs or wrote files unseen get their class."""
    assert cls in _classes(line, repo)


def test_git_diff_renames_is_not_code(repo: Path) -> None:
    """Only the program-running diff keys are code: ``diff.renames`` is not."""
    assert "opaque" not in _classes("git -c diff.renames=true diff", repo)


def test_git_update_ref_of_another_branch_is_an_integration_move(repo: Path) -> None:
    """Moving another branch's ref is judged by the integration rules (deny)."""
    analysis = analyse("git update-ref refs/heads/agent/b HEAD", str(repo), HOME)
    result = judge(analysis, [], None, Context("a", "agent/a", "integ", "boss", {"b": "agent/b"}))
    assert any(m.rule == "integration" and m.decision == "deny" for m in result)


def test_git_stash_targets(repo: Path) -> None:
    """stash apply/pop write unknown files; stash push -- PATH writes and deletes PATH."""
    pop = analyse("git stash pop", str(repo), HOME).commands[0]
    assert ("write", "(the files the stash pop restores)") in pop.unresolved
    push = analyse("git stash push -- src/content/config.ts", str(repo), HOME)
    assert "src/content/config.ts" in _all(push, "deletes", repo)


def test_git_worktree_move_and_remove_targets(repo: Path) -> None:
    """worktree move deletes its source and writes its destination; remove deletes."""
    moved = analyse("git worktree move ../other /tmp/m", str(repo), HOME)
    assert str(repo.parent / "other") in moved.commands[0].deletes
    assert "/tmp/m" in moved.commands[0].writes
    removed = analyse("git worktree remove ../other", str(repo), HOME)
    assert str(repo.parent / "other") in removed.commands[0].deletes


def test_git_reads_of_files(repo: Path) -> None:
    """hash-object and the stage forms of show (``:path``, ``:0:path``) read the path."""
    for line in ("git hash-object -w .env", "git show :.env", "git show :0:.env"):
        assert ".env" in _all(analyse(line, str(repo), HOME), "reads", repo), line


# -- 5. interpreters and code runners ---------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "python3 /dev/stdin",
        "python3 /dev/fd/3",
        "python3 <(echo x)",
        "python3 -m timeit x",
        "python3 -m runpy /tmp/x.py",
        "python3 -m pdb x.py",
        "python3 /tmp/x.py",
        "python3 ../x.py",
        "perl -",
        "perl",
        "perl /tmp/x.pl",
        "node",
        "node /tmp/x.js",
        "node -r /tmp/x.js scripts/a.js",
        "node --import=/tmp/x.mjs -v",
        "node --experimental-loader /tmp/x.mjs a.js",
        "ruby /tmp/x.rb",
        "bun -e 'x'",
        "luajit -e 'x'",
        "expect -c 'spawn id'",
        "gdb -batch -ex 'shell id'",
        "emacs --batch --eval '(x)'",
        "vim -c '!id'",
        "vim +:!id",
        "vim -es",
        "ed file",
        "tar -cf /tmp/a.tar --checkpoint-action=exec=id src",
        "tar -I id -cf /tmp/a.tar src",
        "tar -xf a.tar --to-command=id",
        "sort --compress-program=id x",
        "split --filter=id x",
        "make",
        "make test",
        "cmake --build b",
        "cmake -E env X=1 id",
        "sqlite3 x.db '.shell id'",
        "sqlite3 x.db",
        "parallel echo ::: a",
        "docker run alpine id",
        "podman exec c id",
        "sed -f /tmp/x.sed file",
        "sed 's/x/y/e' file",
    ],
)
def test_code_runners_are_opaque(repo: Path, line: str) -> None:
    """Code from stdin, outside the worktree, or handed to a tool to run is opaque."""
    assert "opaque" in _classes(line, repo)


@pytest.mark.parametrize(
    "line",
    [
        "python3 scripts/tool.py",
        "python3 -m pytest",
        "node --test",
        "node --version",
        "make -n",
        "make --dry-run all",
        "cmake -E echo hi",
        "sqlite3 x.db 'select 1'",
        "vim +12 src/a.ts",
        "sort -u package.json",
        "sed -n '1,10p' package.json",
        "docker ps",
    ],
)
def test_project_code_and_inspection_stay_quiet(repo: Path, line: str) -> None:
    """The worktree's own scripts, dry runs and plain inspection are not opaque."""
    assert "opaque" not in _classes(line, repo)


def test_editors_write_their_files(repo: Path) -> None:
    """An editor given files writes them."""
    for line in ("vim src/content/config.ts", "nano src/content/config.ts", "emacs x.ts"):
        analysis = analyse(line, str(repo), HOME)
        assert "file-write" in analysis.classes and _all(analysis, "writes", repo), line


@pytest.mark.parametrize(
    ("script", "runs", "writes", "reads"),
    [
        ("s/a/b/g", False, [], []),
        ("w out", False, ["out"], []),
        ("wout", False, ["out"], []),
        ("1,5wout", False, ["out"], []),
        ("s|x|y|w out", False, ["out"], []),
        ("s#x#y#gw out", False, ["out"], []),
        ("/x/W out", False, ["out"], []),
        ("s/x/y/w /dev/stdout", False, [], []),
        ("1e id", True, [], []),
        ("s/x/y/e", True, [], []),
        ("r .env", False, [], [".env"]),
        ("$R notes", False, [], ["notes"]),
        (":a;N;$!ba;s/\\n/ /g", False, [], []),
        ("/a/,/b/{s/x/y/;p}", False, [], []),
        ("s/a/b", True, [], []),
        ("k", True, [], []),
    ],
)
def test_sed_script_parser(script: str, runs: bool, writes: list[str], reads: list[str]) -> None:
    """The sed parser finds w/W in every spelling, the e command and flag, and r/R;
    what it cannot parse counts as running code."""
    assert sed_script(script) == (runs, writes, reads)


# -- 6. installs, network, deploys ------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "cls"),
    [
        ("go run example.com/x@latest", "package-install"),
        ("corepack enable", "package-install"),
        ("pnpm self-update", "package-install"),
        ("yarn set version berry", "package-install"),
        ("npm pack left-pad", "network"),
        ("npm cache add left-pad", "network"),
        ("npm --registry https://r.example.com publish", "deploy"),
        ("wrangler pages --project-name x deploy dist", "deploy"),
        ("wrangler --env production deploy", "deploy"),
        ("npm config set script-shell /tmp/x", "opaque"),
        ("lynx -dump https://example.com", "network"),
        ("openssl s_client -connect example.com:443", "network"),
        ("nmap example.com", "network"),
        ("axel https://example.com", "network"),
        ("gnutls-cli example.com", "network"),
    ],
)
def test_installs_network_deploys(repo: Path, line: str, cls: str) -> None:
    """Installs, network calls and deploys behind value options and new verbs are seen."""
    assert cls in _classes(line, repo)


def test_npm_config_set_writes_the_user_npmrc(repo: Path) -> None:
    """``npm config set`` writes ~/.npmrc, outside the worktree."""
    analysis = analyse("npm config set color false", str(repo), HOME)
    assert "/home/u/.npmrc" in analysis.commands[0].writes
    assert "opaque" not in analysis.classes
    assert "package-install" not in _classes("go run ./cmd/tool", repo)


# -- 7. reads -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line",
    [
        "sdiff .env package.json",
        "look x .env",
        "join .env package.json",
        "pr .env",
        "iconv -f utf-8 .env",
        "split .env /tmp/p",
        'echo "$(<.env)"',
        "x=$(<.env)",
        "node --env-file=.env -v",
        "node --env-file .env -v",
        "openssl enc -in .env",
    ],
)
def test_operands_naming_existing_files_are_read(repo: Path, line: str) -> None:
    """Any program naming an existing file reads it, without a per-program table."""
    assert ".env" in _all(analyse(line, str(repo), HOME), "reads", repo)


@pytest.mark.parametrize(
    "line", ["echo .env", "ls .env", "stat .env", "test -f .env", "touch .env", "[ -f .env ]"]
)
def test_name_only_programs_do_not_read(repo: Path, line: str) -> None:
    """Programs that only handle names do not read the files they name."""
    assert ".env" not in _all(analyse(line, str(repo), HOME), "reads", repo)


@pytest.mark.parametrize(
    "line", ["cat /proc/self/environ", "tr x y < /proc/1/environ", "npm run env"]
)
def test_environment_dumps(repo: Path, line: str) -> None:
    """/proc/*/environ and npm's built-in ``run env`` dump the environment."""
    assert "env-dump" in _classes(line, repo)


# -- 8. writes ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "kind", "target"),
    [
        (
            "rsync --remove-source-files src/content/config.ts /tmp/x",
            "deletes",
            "src/content/config.ts",
        ),
        ("split -l 1 package.json src/content/x", "writes", "src/content/xaa"),
        ("csplit -f src/content/x package.json 2", "writes", "src/content/x00"),
        ("mknod src/content/p p", "writes", "src/content/p"),
        ("mkfifo src/content/p", "writes", "src/content/p"),
        ("iconv -t utf-8 -o src/content/config.ts package.json", "writes", "src/content/config.ts"),
        ("7z x /tmp/a.7z -osrc/content", "writes", "src/content"),
        ("unzip -d src/content /tmp/a.zip", "writes", "src/content"),
        ("script src/content/log", "writes", "src/content/log"),
        ("rename s/a/b/ src/content/config.ts", "deletes", "src/content/config.ts"),
        ("find src | cpio -pdm src/content", "writes", "src/content"),
        ("cmake -E rm -rf src/content", "deletes", "src/content"),
    ],
)
def test_hidden_writes_have_targets(repo: Path, line: str, kind: str, target: str) -> None:
    """Writes and deletes by tools without a table before get their targets."""
    assert target in _all(analyse(line, str(repo), HOME), kind, repo)


def test_cpio_extract_is_unresolved(repo: Path) -> None:
    """``cpio -i`` writes the archive's own names: an unresolved write that asks."""
    analysis = analyse("cpio -idm -D /tmp/o < /tmp/a.cpio", str(repo), HOME)
    result = judge(analysis, [])
    assert result.decision == ASK and any(m.rule == "unresolved" for m in result)
