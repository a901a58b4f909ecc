"""Case and look-alike variants of protected and foreign paths (issue 11, item 9)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from agentguard.engine import pathnames, paths
from agentguard.policy.compiler import compile_policy
from agentguard.policy.model import Policy


def _policy(setting: Any = "auto") -> Any:
    return compile_policy(
        Policy.model_validate(
            {
                "version": 1,
                "defaults": {"unowned_write": "ask", "case_insensitive_paths": setting},
                "agents": {
                    "metadata": {"owns": ["src/content/config.ts", "src/Lib/**"]},
                    "search": {"owns": ["src/pages/**"], "cannot_touch": ["src/styles/*.css"]},
                },
            }
        )
    )


def _ctx(tmp_path: Path, setting: Any) -> paths.Context:
    return paths.Context(_policy(setting), "search", str(tmp_path), [])


def _rules(tmp_path: Path, setting: Any, rel: str) -> list[str]:
    return [m.rule for m in paths.judge(rel, paths.WRITE, str(tmp_path), _ctx(tmp_path, setting))]


def test_a_case_variant_of_a_foreign_file_is_that_file_when_paths_ignore_case(
    tmp_path: Path,
) -> None:
    """With case_insensitive_paths: true SRC/Content/Config.ts is metadata's file."""
    assert _rules(tmp_path, True, "SRC/Content/Config.ts") == ["ownership"]
    assert _rules(tmp_path, True, "src/lib/listing.ts") == ["ownership"]  # pattern in capitals


def test_a_case_variant_is_another_file_when_paths_keep_case(tmp_path: Path) -> None:
    """With case_insensitive_paths: false a case variant is an unowned file, as before."""
    assert _rules(tmp_path, False, "SRC/Content/Config.ts") == ["unowned-write"]


def test_the_owner_keeps_its_own_file_under_another_case(tmp_path: Path) -> None:
    """Folding widens the owner's lane as it widens the others': Src/Pages/x is its own."""
    assert _rules(tmp_path, True, "Src/Pages/x.astro") == []
    assert _rules(tmp_path, True, "SRC/STYLES/a.CSS") == ["cannot-touch", "unowned-write"]


def test_trailing_dots_and_blanks_name_the_foreign_or_forbidden_path_on_any_fs(
    tmp_path: Path,
) -> None:
    """``config.ts.`` and ``a.css `` are judged as the files they mimic, whatever the setting."""
    assert _rules(tmp_path, False, "src/content/config.ts.") == ["ownership"]
    assert _rules(tmp_path, False, "src/content /config.ts") == ["ownership"]
    assert "cannot-touch" in _rules(tmp_path, False, "src/styles/a.css..")


@pytest.mark.parametrize(
    "rel", ["AGENTGUARD.YAML.", "agentguard.yml ", ".claude /settings.json", ".Git./config"]
)
def test_look_alikes_of_agentguards_own_files_are_protected(rel: str) -> None:
    """Case, trailing dots and blanks never take a name out of self-protection."""
    assert paths.protected_name(rel) is not None


def test_dots_that_are_part_of_a_name_are_left_alone() -> None:
    """``v1.2.ts``, ``.`` and ``..`` keep their spelling: only trailing dots are dropped."""
    assert pathnames.lookalike("src/v1.2.ts") == "src/v1.2.ts"
    assert pathnames.lookalike("a/./../b.") == "a/./../b"
    assert paths.protected_name("notes/agentguard.yaml.bak") is None


def test_detection_probes_the_worktree_once_and_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """auto asks the file system once per worktree: .git and .GIT the same file or not."""
    (tmp_path / ".git").mkdir()
    calls: list[str] = []
    real_stat = os.stat

    def counting(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        calls.append(str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(pathnames, "_CASE_BLIND", {})
    monkeypatch.setattr(os, "stat", counting)
    expected = (tmp_path / ".GIT").exists()  # True only on a case-insensitive file system
    assert pathnames.case_insensitive_fs(str(tmp_path)) is expected
    probes = len(calls)
    assert pathnames.case_insensitive_fs(str(tmp_path)) is expected
    assert len(calls) == probes  # cached: no second probe


def test_auto_follows_the_probe_and_an_explicit_setting_overrides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """auto takes the probe's answer (simulated here); true and false are taken as said."""
    monkeypatch.setattr(pathnames, "_CASE_BLIND", {str(tmp_path): True})
    assert _rules(tmp_path, "auto", "SRC/Content/Config.ts") == ["ownership"]
    assert _rules(tmp_path, False, "SRC/Content/Config.ts") == ["unowned-write"]
    monkeypatch.setattr(pathnames, "_CASE_BLIND", {str(tmp_path): False})
    assert _rules(tmp_path, "auto", "SRC/Content/Config.ts") == ["unowned-write"]
    assert _rules(tmp_path, True, "SRC/Content/Config.ts") == ["ownership"]
