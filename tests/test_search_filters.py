"""A recursive search reads what its file filters select (engine/search.py's Filter)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentguard.engine import search
from agentguard.engine.search import Filter, grep_filter, rg_filter


def test_grep_include_reads_only_the_files_it_names() -> None:
    """--include='*.ts' reads TypeScript files and not .env."""
    selection = grep_filter(["grep", "-rn", "TODO", "--include=*.ts", "."])
    assert selection.reads("a.ts", False)
    assert not selection.reads(".env", False)


def test_grep_exclude_leaves_the_rest_read() -> None:
    """--exclude='*.md' still reads .env; --exclude='.env*' does not."""
    assert grep_filter(["grep", "-r", "x", "--exclude=*.md", "."]).reads(".env", False)
    assert not grep_filter(["grep", "-r", "x", "--exclude=.env*", "."]).reads(".env", False)


def test_grep_last_matching_rule_wins() -> None:
    """GNU grep: a later --include of .env overrides an earlier --exclude of it."""
    assert grep_filter(["grep", "-r", "x", "--exclude=.env", "--include=.env"]).reads(".env", False)
    assert not grep_filter(["grep", "-r", "x", "--include=.env", "--exclude=.env"]).reads(
        ".env", False
    )


def test_grep_separate_word_value_and_exclude_dir() -> None:
    """--include GLOB as two words, and --exclude-dir keeps a folder out."""
    selection = grep_filter(["grep", "-r", "x", "--include", "*.ts", "--exclude-dir=notes"])
    assert selection.reads("a.ts", False)
    assert not selection.reads("notes", True)
    assert selection.reads("src", True)


def test_rg_glob_overrides_hidden_and_whitelists() -> None:
    """rg -g '.env' reads .env without --hidden; -g '*.md' skips everything else."""
    assert rg_filter(["rg", "-g", ".env", "TOKEN"], hidden=False).reads(".env", False)
    selection = rg_filter(["rg", "-g", "*.md", "TOKEN"], hidden=True)
    assert selection.reads("a.md", False)
    assert not selection.reads(".env", False)


def test_rg_negated_glob_and_attached_forms() -> None:
    """-g '!.env*' excludes; -g.env and --glob=.env are the same option."""
    assert not rg_filter(["rg", "--hidden", "-g", "!.env*", "x"], hidden=True).reads(".env", False)
    assert rg_filter(["rg", "-g.env", "x"], hidden=False).reads(".env", False)
    assert rg_filter(["rg", "--glob=.env", "x"], hidden=False).reads(".env", False)


def test_rg_iglob_matches_any_case() -> None:
    """--iglob '.ENV' selects .env, and names the secret class."""
    selection = rg_filter(["rg", "--iglob", ".ENV", "x"], hidden=False)
    assert selection.reads(".env", False)
    assert ".env" in selection.includes()


def test_rg_types_known_unknown_and_redefined() -> None:
    """-t ts narrows; an unknown type or a --type-add on the line selects everything."""
    assert not rg_filter(["rg", "-t", "ts", "x"], hidden=True).reads(".env", False)
    assert rg_filter(["rg", "-tts", "x"], hidden=True).reads("a.tsx", False)
    assert rg_filter(["rg", "-t", "nosuchtype", "x"], hidden=True).reads(".env", False)
    redefined = rg_filter(["rg", "--type-add", "ts:.env", "-t", "ts", "x"], hidden=True)
    assert redefined.reads(".env", False)
    assert not rg_filter(["rg", "-T", "md", "x"], hidden=True).reads("a.md", False)


def test_selects_inside_looks_into_a_protected_folder(tmp_path: Path) -> None:
    """A folder holding only Markdown has nothing a *.ts search reads; a .ts file there does."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("x")
    selection = grep_filter(["grep", "-r", "x", "--include=*.ts"])
    assert not selection.selects_inside(str(tmp_path / "notes"))
    (tmp_path / "notes" / "deep").mkdir()
    (tmp_path / "notes" / "deep" / "b.ts").write_text("x")
    assert selection.selects_inside(str(tmp_path / "notes"))


def test_selects_inside_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past SCAN_INSIDE entries the folder counts as selected (judged whole)."""
    monkeypatch.setattr(search, "SCAN_INSIDE", 3)
    for i in range(5):
        (tmp_path / f"{i}.md").write_text("x")
    assert grep_filter(["grep", "-r", "x", "--include=*.ts"]).selects_inside(str(tmp_path))


def test_narrows_only_with_an_include_or_a_known_type() -> None:
    """Excludes alone do not narrow a search to some files; an include or a type does."""
    assert not grep_filter(["grep", "-r", "x", "--exclude=*.md"]).narrows()
    assert grep_filter(["grep", "-r", "x", "--include=*.md"]).narrows()
    assert rg_filter(["rg", "-t", "ts", "x"], hidden=False).narrows()
    assert not Filter(rg=True, hidden=False).narrows()


def test_an_excluded_file_is_not_read_by_its_name(tmp_path: Path) -> None:
    """grep's --exclude=.env names what it skips; naming .env as an operand still reads it."""
    from agentguard.shell import analyse

    (tmp_path / ".env").write_text("TOKEN=x\n")
    skipped = analyse("grep -r TODO --exclude=.env .", str(tmp_path), {})
    assert [r for c in skipped.commands for r in c.reads] == [str(tmp_path)]
    named = analyse("grep TODO --exclude=x .env", str(tmp_path), {})
    assert str(tmp_path / ".env") in [r for c in named.commands for r in c.reads]
