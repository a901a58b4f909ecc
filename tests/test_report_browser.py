"""``agentguard logs report`` on the demo's log, opened in a real Chromium through Playwright."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from agentguard.commands import logs
from agentguard.observe import htmlreport, logread

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("AGENTGUARD_ARTIFACTS") or REPO / "test-artifacts")
MARKED = ("ask", "deny", "escalated", "blocked", "failed", "passed")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    hint = "Chromium is not installed (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{hint}; CI is set, so the browser test may not skip")
    pytest.skip(hint)


def _payload(home: Path) -> dict[str, Any]:
    files = logread.sources(str(home))
    return htmlreport.data(logread.records(files), files)


def test_every_view_reads_the_demo_log(demo_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """sessions, summary, loops, timeline and export on a log the real hook wrote."""
    assert logs.main(["--home", str(demo_home), "sessions", "--format", "json"]) == 0
    sessions = {row["session"]: row for row in json.loads(capsys.readouterr().out)}
    assert sessions["demo-loop-search"]["stop"] == "passed"
    assert sessions["demo-search"]["deny"] >= 2
    assert logs.main(["--home", str(demo_home), "loops", "--format", "json"]) == 0
    kinds = sorted(e["kind"] for e in json.loads(capsys.readouterr().out))
    assert kinds == ["failure", "stop"]
    argv = ["--home", str(demo_home), "timeline", "--session", "demo-metadata"]
    assert logs.main(argv) == 0
    assert "deny" in capsys.readouterr().out


def test_report_data_matches_the_log(demo_home: Path) -> None:
    """Each ask and deny of the log is a marker; the loop's Stop gate ends passed."""
    records = list(logread.records(logread.sources(str(demo_home))))
    payload = _payload(demo_home)
    asks = sum(1 for r in records if r.get("event") == "PreToolUse" and r["output"] == "ask")
    assert sum(1 for c in payload["calls"] if c["kind"] == "ask") == asks
    (stop,) = [s for s in payload["stops"] if s["session"] == "demo-loop-search"]
    assert len(stop["blocks"]) == 2 and stop["ended"] == "passed" and stop["last_check"]
    assert {lane["agent"] for lane in payload["lanes"]} == set(payload["agents"])


def test_the_page_is_self_contained(demo_home: Path, tmp_path: Path) -> None:
    """No URL to fetch: no src, no href, no import; a script-closing string cannot break out."""
    payload = _payload(demo_home)
    payload["calls"][0]["subject"] = "</script><script>alert(1)</script>"
    page = htmlreport.render(payload)
    assert "</script><script>alert(1)" not in page
    # The data (inert JSON; the demo fetches a web page, so it holds a URL) aside, the page
    # names nothing a browser would fetch.
    start = page.index('<script id="data" type="application/json">')
    end = page.index("</script>", start)
    assert page.count("</script>") == 2  # the data's and the code's: nothing broke out
    page = page[:start] + page[end:]
    assert not re.search(r"""\b(src|href)\s*=|@import|url\(|https?://(?!www\.w3\.org)""", page)


def test_report_in_chromium(demo_home: Path, tmp_path: Path) -> None:
    """Markers, a detail panel, the filters, no errors and no network, in a real browser."""
    executable = _chromium()
    out = tmp_path / "report.html"
    code = logs.main(["--home", str(demo_home), "report", "--out", str(out)])
    assert code == 0
    calls = _payload(demo_home)["calls"]
    marked = [c for c in calls if c["kind"] in MARKED]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        assert page.locator(".marker").count() == len(marked)
        deny = next(c for c in marked if c["kind"] == "deny" and c["matches"])
        page.locator(f'.marker[data-i="{deny["i"]}"]').click()
        detail = page.locator("#detail")
        assert detail.locator("h3").inner_text() == "deny"
        assert detail.locator('dd[data-field="rules"]').inner_text() == ", ".join(deny["rules"])
        assert deny["matches"][0]["justification"][:40] in detail.inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        page.select_option("#f-agent", "metadata")
        metadata = [c for c in marked if c["agent"] == "metadata"]
        assert page.locator(".marker:not(.hidden)").count() == len(metadata) > 0
        assert page.locator("#plots svg").count() == 1
        page.select_option("#f-agent", "")
        page.select_option("#f-kind", "ask")
        asks = [c for c in marked if c["kind"] == "ask"]
        assert page.locator(".marker:not(.hidden)").count() == len(asks) > 0
        assert page.locator("#loops tbody tr").count() == 2
        browser.close()
    assert errors == []
    assert requests == [out.as_uri()]
