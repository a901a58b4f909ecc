"""What a line writes, deletes and reads: links and what they point at, copies that may
carry links, outputs named by options, writes hidden in tools, file lists on standard input,
and reads of the files a program names."""

from __future__ import annotations

from pathlib import Path

import pytest
from shellcase import HOME, targets, unresolved

from agentguard.decision import ASK
from agentguard.shell import analyse, judge

# -- red-team pass 2: each case ran unobjected before its fix ---------------------------


def test_relative_link_made_outside_is_unresolved(worktree: Path) -> None:
    """``ln -s ../../content /tmp/l/x/c2`` points into the worktree once moved there."""
    a = analyse("ln -s ../../content /tmp/l/x/c2", str(worktree), HOME)
    assert unresolved(a, "write")


@pytest.mark.parametrize(
    "line",
    ["ln -s ../search/x src/components/search/a/l", "ln -s /tmp/x /tmp/y", "ln -s x /tmp/y"],
)
def test_other_links_keep_their_resolution(worktree: Path, line: str) -> None:
    """Links inside the worktree, and outside ones without ``..``, resolve as before."""
    assert unresolved(analyse(line, str(worktree), HOME), "write") == []


@pytest.mark.parametrize(
    "line",
    [
        "cp -a /tmp/l src/components/search/x",
        "cp -r /tmp/l src/components/search/x",
        "cp -R /tmp/l src/components/search/x",
        "cp -P /tmp/l src/components/search/x",
        "cp --archive /tmp/l src/components/search/x",
        "rsync -a /tmp/l/ src/components/search/x/",
        "rsync -l /tmp/l src/components/search/",
        "rsync --links /tmp/l src/components/search/",
        "tar -xf /tmp/a.tar -C src/components/search",
        "tar -x -C src/components/search",
        "unzip /tmp/a.zip -d src/components/search",
        "cpio -pdl src/components/search",
    ],
)
def test_copies_from_outside_into_worktree_are_unresolved(worktree: Path, line: str) -> None:
    """A copy or extraction into the worktree from outside may carry links: the writes
    that follow through them cannot be established."""
    assert unresolved(analyse(line, str(worktree), HOME), "write")


@pytest.mark.parametrize(
    "line",
    [
        "cp -r src/components/search /tmp/search-copy",
        "cp /tmp/a src/components/search/a",
        "cp -r src/components/search src/components/search2",
        "rsync -a src/ /tmp/backup/",
        "tar -xf src/components/search/a.tar -C src/components/search",
    ],
)
def test_plain_and_internal_copies_are_resolved(worktree: Path, line: str) -> None:
    """Copies out of the worktree, within it, and of single files stay resolved."""
    assert unresolved(analyse(line, str(worktree), HOME), "write") == []


def test_rsync_link_dest_is_a_write_target(worktree: Path) -> None:
    """``--link-dest=DIR`` hard-links DIR's files (relative to the destination)."""
    a = analyse(
        "rsync -a --link-dest=../../../content /tmp/s/ src/components/search/s/",
        str(worktree),
        HOME,
    )
    assert "src/content" in targets(a, "writes", worktree)


def test_rsync_flags_do_not_swallow_operands(worktree: Path) -> None:
    """``rsync -c .env /tmp/leak``: ``-c`` is rsync's checksum flag, not a value option."""
    (worktree / ".env").write_text("T=1")
    a = analyse("rsync -c .env /tmp/leak", str(worktree), HOME)
    assert ".env" in targets(a, "reads", worktree)


@pytest.mark.parametrize(
    "line",
    [
        "cpio -o > /tmp/o",
        "zip -@ /tmp/o.zip",
        "zip -r@ /tmp/o.zip",
        "tar -cf /tmp/o.tar -T -",
        "tar -cf /tmp/o.tar --files-from=-",
        "tar -cf /tmp/o.tar --files-from list.txt",
        "rsync --files-from=- . /tmp/o",
    ],
)
def test_file_lists_make_reads_unresolved(worktree: Path, line: str) -> None:
    """Programs copying the files named in a list read files the guard cannot name."""
    a = analyse(line, str(worktree), HOME)
    assert unresolved(a, "read")
    assert "opaque" in a.classes


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("frob -o src/x", ["src/x"]),
        ("frob -osrc/x", ["src/x"]),
        ("frob --output=src/x", ["src/x"]),
        ("frob --output out", ["out"]),
        ("frob -o out.txt", ["out.txt"]),
        ("shuf -o src/x /tmp/a", ["src/x"]),
        ("shuf --output=src/x /tmp/a", ["src/x"]),
        ("mktemp -p src", ["src/tmp.XXXXXXXXXX"]),
        ("mktemp --tmpdir=src x.XXXX", ["src/x.XXXX"]),
        ("mktemp src/x.XXXX", ["src/x.XXXX"]),
        ("fallocate -l 1G src/x", ["src/x"]),
        ("ssh-keygen -q -f src/k", ["src/k", "src/k.pub"]),
        ("gcc -o src/x a.c", ["src/x"]),
        ("clang -osrc/x a.c", ["src/x"]),
        ("cc a.c", ["a.out"]),
        ("yq -i .a=1 src/x.yaml", ["src/x.yaml"]),
        ("yq e -i .a=1 src/x.yaml src/y.yaml", ["src/x.yaml", "src/y.yaml"]),
    ],
)
def test_outputs_named_by_options_are_write_targets(
    worktree: Path, line: str, written: list[str]
) -> None:
    """Files a program writes through an option are write targets."""
    assert targets(analyse(line, str(worktree), HOME), "writes", worktree) == written


@pytest.mark.parametrize(
    "line",
    [
        "frob -o yaml",
        "frob -o json",
        "frob -o wide",
        "ip -o addr",
        "frob -o name=value",
        "mktemp",
        "mktemp -t x.XXXX",
        "gcc -c a.c -o /dev/null",
        "gcc --version",
        "yq .a src/x.yaml",
        "ssh-keygen -l -f src/k",
    ],
)
def test_formats_and_reads_are_not_write_targets(worktree: Path, line: str) -> None:
    """Format words, temporary-folder files and read modes write nothing in the tree."""
    assert targets(analyse(line, str(worktree), HOME), "writes", worktree) == []


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("curl -fsSLo src/x https://x.example", ["src/x"]),
        ("curl -so src/x https://x.example", ["src/x"]),
        ("curl -sosrc/x https://x.example", ["src/x"]),
        ("cp -rt src/d /tmp/a", ["src/d"]),
        ("tail -fn 20 src/x", []),
    ],
)
def test_bundled_flags_ending_in_a_value_option(
    worktree: Path, line: str, written: list[str]
) -> None:
    """``-fsSLo FILE``: in a bundle, the letter taking a value takes the rest of the bundle
    or the next word, as getopt reads it (the write was missed before)."""
    assert targets(analyse(line, str(worktree), HOME), "writes", worktree) == written


# -- red-team pass 1: each case ran unobjected before its fix ---------------------------


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
def test_link_target_is_a_write_target(worktree: Path, line: str, target: str) -> None:
    """A link's target is written through the link: relative symlink targets resolve
    against the link's folder, hard-link targets against the working directory."""
    writes = targets(analyse(line, str(worktree), HOME), "writes", worktree)
    assert target in writes


def test_symlink_into_existing_folder_resolves_against_that_folder(worktree: Path) -> None:
    """``ln -s T DIR`` puts the link inside DIR, so a relative T resolves from DIR."""
    writes = targets(
        analyse("ln -s ../content src/components", str(worktree), HOME), "writes", worktree
    )
    assert "src/content" in writes


def test_symlink_to_home_and_absolute_targets(worktree: Path) -> None:
    """``ln -s ~ x`` targets $HOME; absolute targets are taken as they are."""
    analysis = analyse("ln -s ~ x && ln -s /etc/passwd /tmp/pw", str(worktree), HOME)
    writes = [p for c in analysis.commands for p in c.writes]
    assert "/home/u" in writes and "/etc/passwd" in writes


def test_symlink_with_dynamic_target_is_unresolved(worktree: Path) -> None:
    """A link target from an expansion cannot be judged: it is an unresolved write."""
    analysis = analyse('ln -s "$T" src/components/search/c', str(worktree), HOME)
    assert any(kind == "write" for c in analysis.commands for kind, _ in c.unresolved)


def test_copy_without_link_flags_does_not_write_its_source(worktree: Path) -> None:
    """Plain ``cp`` and ``mv`` keep their old targets: the source is read, not written."""
    writes = targets(
        analyse("cp src/content/config.ts /tmp/x", str(worktree), HOME), "writes", worktree
    )
    assert "src/content/config.ts" not in writes


def test_editors_write_their_files(worktree: Path) -> None:
    """An editor given files writes them."""
    for line in ("vim src/content/config.ts", "nano src/content/config.ts", "emacs x.ts"):
        analysis = analyse(line, str(worktree), HOME)
        assert "file-write" in analysis.classes and targets(analysis, "writes", worktree), line


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
def test_operands_naming_existing_files_are_read(worktree: Path, line: str) -> None:
    """Any program naming an existing file reads it, without a per-program table."""
    assert ".env" in targets(analyse(line, str(worktree), HOME), "reads", worktree)


@pytest.mark.parametrize(
    "line", ["echo .env", "ls .env", "stat .env", "test -f .env", "touch .env", "[ -f .env ]"]
)
def test_name_only_programs_do_not_read(worktree: Path, line: str) -> None:
    """Programs that only handle names do not read the files they name."""
    assert ".env" not in targets(analyse(line, str(worktree), HOME), "reads", worktree)


@pytest.mark.parametrize(
    ("line", "reads"),
    [
        ("jq .env package.json", ["package.json"]),
        ("jq -r .env package.json", ["package.json"]),
        ("jq --tab .env package.json", ["package.json"]),
        ("jq --indent 2 .env package.json", ["package.json"]),
        ("jq --arg x y .env", []),
        ("jq -nr .env", []),
        ("jq .env .env", [".env"]),
        ("jq . .env", [".env"]),
        ("jq .a -r .env", [".env"]),
        ("jq --rawfile x .env -n '$x'", [".env"]),
        ("jq --slurpfile x .env -n '$x'", [".env"]),
        ("jq -f .env package.json", [".env", "package.json"]),
        ("jq -rf .env package.json", [".env", "package.json"]),
        ("jq --args .env package.json", ["package.json"]),
        ("jq -- .env package.json", ["package.json", ".env"]),
        ("jq --unknown .env package.json", ["package.json", ".env"]),
        ('jq "$F" .env', [".env"]),
    ],
)
def test_jq_reads_the_files_after_its_filter(worktree: Path, line: str, reads: list[str]) -> None:
    """jq's filter is code, not a file name: only the files after it (and ``-f``'s, and
    ``--rawfile``'s) are read; options it does not know keep every file name a read."""
    assert targets(analyse(line, str(worktree), HOME), "reads", worktree) == reads


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
def test_hidden_writes_have_targets(worktree: Path, line: str, kind: str, target: str) -> None:
    """Writes and deletes by tools without a table before get their targets."""
    assert target in targets(analyse(line, str(worktree), HOME), kind, worktree)


def test_cpio_extract_is_unresolved(worktree: Path) -> None:
    """``cpio -i`` writes the archive's own names: an unresolved write that asks."""
    analysis = analyse("cpio -idm -D /tmp/o < /tmp/a.cpio", str(worktree), HOME)
    result = judge(analysis, [])
    assert result.decision == ASK and any(m.rule == "unresolved" for m in result)


def test_a_diff_naming_more_files_than_the_cap_is_judged_on_the_first(worktree: Path) -> None:
    """An inline diff of 300 files records the first 256 and leaves the rest unresolved."""
    diff = "\n".join(f"--- a/f{i}\n+++ b/f{i}" for i in range(300))
    a = analyse(f"git apply <<'EOF'\n{diff}\nEOF", str(worktree), HOME)
    written = targets(a, "writes", worktree)
    assert written[:2] == ["f0", "f1"] and len(written) == 256
    assert unresolved(a, "write")


@pytest.mark.parametrize("hidden", [".claude/settings.json", ".git/hooks/x", "agentguard.yaml"])
def test_a_dot_or_agentguard_name_past_the_cap_is_among_the_first(
    worktree: Path, hidden: str
) -> None:
    """Names in a dot folder or naming agentguard are recorded first, wherever they are."""
    names = [f"f{i}" for i in range(300)] + [hidden]
    diff = "\n".join(f"--- a/{n}\n+++ b/{n}" for n in names)
    a = analyse(f"git apply <<'EOF'\n{diff}\nEOF", str(worktree), HOME)
    written = targets(a, "writes", worktree)
    assert written[0] == hidden and written[1:3] == ["f0", "f1"] and len(written) == 256
    assert unresolved(a, "write")


def test_a_small_inline_diff_is_placed_whole(worktree: Path) -> None:
    """Below the cap every name is a write and nothing is left unresolved."""
    diff = "\n".join(f"--- a/f{i}\n+++ b/f{i}" for i in range(3))
    a = analyse(f"git apply <<'EOF'\n{diff}\nEOF", str(worktree), HOME)
    assert targets(a, "writes", worktree) == ["f0", "f1", "f2"]
    assert unresolved(a, "write") == []
