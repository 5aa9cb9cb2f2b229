"""`idolq report --html`: one self-contained page, checked in a real headless browser."""

from __future__ import annotations

import json
import re

import pytest
from freezegun import freeze_time

import browser
from idolq.store.connection import open_database

PALETTE = {(79, 70, 229), (8, 145, 178), (22, 163, 74), (220, 38, 38)}  # svg.PALETTE
PROBE = """<script>
window.probeErrors = [];
addEventListener("error", e => probeErrors.push(String(e.message || e.target.outerHTML)), true);
</script>"""
MEASURE = """<pre id="probe"></pre><script>
const charts = [...document.querySelectorAll("svg.chart")].map(s => s.getBoundingClientRect());
document.getElementById("probe").textContent = JSON.stringify({
  errors: probeErrors, resources: performance.getEntriesByType("resource").map(r => r.name),
  charts: charts.length, drawn: charts.filter(r => r.width > 50 && r.height > 20).length,
  scroll_width: document.documentElement.scrollWidth, width: innerWidth});
</script>"""


def _history(cli) -> None:
    """A week of work: content written, reviewed, rejected once, scheduled and published;
    a P0 task left open past its 24 h limit."""
    for day in range(5, 12):
        with freeze_time(f"2026-01-{day:02d}T01:00:00Z"):
            task = cli.json("task", "create", f"Ika post {day}", "--type", "content", "--tier",
                            "3", "--actor", "human:lead")
            cli.json("task", "start", task["code"], "--actor", "agent:02")
        with freeze_time(f"2026-01-{day:02d}T0{day % 3 + 3}:00:00Z"):
            cli.json("task", "complete", task["code"], "--actor", "agent:02")
            (review,) = cli.json("review", "list", "--task", task["code"], "--status", "pending")
            if day == 8:
                cli.json("review", "reject", str(review["id"]), "--notes", "again",
                         "--actor", "agent:00")
                continue
            cli.json("review", "approve", str(review["id"]), "--actor", "agent:00")
            item = cli.json("calendar", "schedule", task["code"], "--at",
                            f"2026-01-{day + 2:02d}T09:00:00+09:00", "--platform", "twitter")
            if day < 10:
                cli.json("calendar", "publish", str(item["id"]), "--actor", "agent:02")
    with freeze_time("2026-01-10T00:00:00Z"):
        cli.json("task", "create", "Fix <the> launch & \"banner\"", "--type", "lore",
                 "--priority", "P0")


@pytest.fixture
def report(cli, tmp_path):
    _history(cli)
    cli.json("calendar", "zone", "Asia/Tokyo")
    page = tmp_path / "report.html"
    with freeze_time("2026-01-12T00:00:00Z"):
        assert cli.json("report", "--html", page, "--since", "2026-01-05T00:00:00Z") == {
            "path": str(page)}
    return page


def test_the_page_is_self_contained(report):
    html = report.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"<script|<link|@import|<img|<iframe", html)
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) <= {"http://www.w3.org/2000/svg"}
    assert "Fix &lt;the&gt; launch &amp; &quot;banner&quot;" in html  # user text escaped
    assert "task:P0" in html and "Asia/Tokyo" in html


def test_the_page_loads_in_a_browser_without_errors_and_draws_its_charts(report, tmp_path):
    dom = browser.dump_dom(report, tmp_path / "profile")
    assert "</footer>" in dom
    assert dom.count('<svg class="chart') >= 8
    probed = tmp_path / "probed.html"
    html = report.read_text()
    probed.write_text(html.replace("<head>", "<head>" + PROBE, 1)
                      .replace("</main>", "</main>" + MEASURE, 1))
    for width in (1280, 390):  # a laptop and a phone
        dom = browser.dump_dom(probed, tmp_path / "profile", width, 900)
        result = json.loads(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1))
        assert (result["errors"], result["resources"]) == ([], [])
        assert result["charts"] >= 8 and result["drawn"] == result["charts"], width
        assert result["scroll_width"] <= result["width"], f"no sideways scrolling at {width}px"


def test_a_screenshot_of_the_page_shows_the_charts_in_colour(report, tmp_path):
    shot = browser.screenshot(report, tmp_path / "report.png", tmp_path / "profile", 1000, 900)
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    empty = browser.screenshot(blank, tmp_path / "blank.png", tmp_path / "profile", 1000, 900)
    assert len(shot) > 10 * len(empty)
    variety, present = browser.colours(shot, PALETTE)
    assert variety > 100
    assert present == PALETTE, "the charts' colours are on screen"
    assert browser.colours(empty, PALETTE) == (1, set())


def test_report_needs_a_file_and_a_usable_time(cli, tmp_path):
    assert cli("report").exit_code == 2
    run = cli("report", "--html", tmp_path / "r.html", "--since", "someday")
    assert run.exit_code == 2 and run.stdout == "" and not (tmp_path / "r.html").exists()
    run = cli("report", "--html", tmp_path / "missing" / "r.html")
    assert run.exit_code == 2 and "cannot write" in run.stderr


def test_the_github_actions_example_builds_the_report_on_a_schedule(cli, tmp_path):
    import shlex
    from pathlib import Path

    import yaml

    example = Path(__file__).resolve().parents[2] / "examples" / "reporting"
    workflow = yaml.safe_load((example / "github-actions-report.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML reads `on` as True
    assert triggers["schedule"][0]["cron"]
    commands = [line.strip() for step in workflow["jobs"]["report"]["steps"]
                for line in step.get("run", "").splitlines() if line.strip().startswith("idolq ")]
    assert any(c.startswith("idolq report --html") for c in commands)
    (tmp_path / "site").mkdir()
    for command in commands:
        args = shlex.split(command.split(">")[0])[1:]
        run = cli(*args, env={"IDOLQ_TZ": "Asia/Tokyo"})
        assert run.exit_code == 0, (command, run.stderr)
    assert (tmp_path / "site" / "index.html").stat().st_size > 5000


def test_the_report_shows_breaches_without_escalating_them(report, db_path):
    html = report.read_text()
    assert "SLA breaches (1 open)" in html
    conn = open_database(db_path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM sla_escalations").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM event_log WHERE event_type IN"
                            " ('task.escalated', 'sla.exceeded')").fetchone()[0] == 0
    finally:
        conn.close()
