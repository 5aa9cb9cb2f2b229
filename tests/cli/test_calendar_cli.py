"""`idolq calendar ...` through the real commands: JSON in UTC, display in the team's zone,
the publish gate's exit status, and the iCalendar export read back with the library."""

from __future__ import annotations

import json

from freezegun import freeze_time
from icalendar import Calendar

from conftest import table_snapshot

ITEM_KEYS = ("id", "task_id", "task_code", "title", "scheduled_at", "platform", "pillar",
             "status", "published_at", "post_id", "url")


def _approved_content(cli, title: str = "Ika intro") -> dict:
    task = cli.json("task", "create", title, "--type", "content", "--tier", "3")
    cli.json("task", "start", task["code"])
    cli.json("task", "complete", task["code"])
    (review,) = cli.json("review", "list", "--task", task["code"])
    cli.json("review", "approve", str(review["id"]))
    return task


def test_schedule_prints_an_item_with_the_contract_keys_in_utc(cli):
    task = cli.json("task", "create", "Ika intro", "--type", "content")
    item = cli.json("calendar", "schedule", task["code"], "--at", "2026-01-13T09:00:00+09:00",
                    "--platform", "twitter", "--pillar", "Ika Voice")
    assert tuple(item)[:len(ITEM_KEYS)] == ITEM_KEYS
    assert item["scheduled_at"] == "2026-01-13T00:00:00+00:00"
    assert (item["task_code"], item["status"], item["pillar"]) == (task["code"], "scheduled",
                                                                   "Ika Voice")


def test_publishing_unreviewed_content_exits_1_and_changes_nothing(cli, db_path):
    cli.json("task", "create", "Draft", "--type", "content")
    cli.json("calendar", "schedule", "CONTENT-001", "--at", "2026-01-13")
    before = table_snapshot(db_path)
    run = cli("calendar", "publish", "1", "--json")
    assert (run.exit_code, run.stdout) == (1, "")
    assert json.loads(run.stderr)["error"]["code"] == "invalid_transition"
    assert table_snapshot(db_path) == before


def test_publish_records_the_post_and_stats_its_engagement(cli):
    task = _approved_content(cli)
    item = cli.json("calendar", "schedule", task["code"], "--at", "2026-01-13T00:00:00Z")
    with freeze_time("2026-01-13T00:05:00Z"):
        done = cli.json("calendar", "publish", str(item["id"]), "--post-id", "99",
                        "--url", "https://x.com/ika/status/99")
    assert (done["status"], done["published_at"], done["post_id"]) == (
        "published", "2026-01-13T00:05:00+00:00", "99")
    stats = cli.json("calendar", "stats", str(item["id"]), "--likes", "47", "--reposts", "3")
    assert (stats["engagement"]["likes"], stats["engagement"]["reposts"]) == (47, 3)
    assert cli("calendar", "stats", str(item["id"]), "--likes", "-1").exit_code == 2
    assert cli("calendar", "stats", str(item["id"])).exit_code == 2


def test_bad_usage_exits_2_with_one_line(cli):
    cli.json("task", "create", "Draft", "--type", "content")
    for args in (["schedule", "1", "--at", "tomorrow-ish"], ["publish", "one"],
                 ["schedule", "1", "--at", "2026-01-13", "--platform", ""],
                 ["zone", "Mars/Olympus"], ["export"]):
        run = cli("calendar", *args)
        assert run.exit_code == 2, args
        assert run.stdout == "" and len(run.stderr.strip().splitlines()) == 1
    assert cli("calendar", "cancel", "404").exit_code == 1


def test_times_are_shown_in_the_team_zone_and_json_stays_utc(cli):
    cli.json("task", "create", "Ika intro", "--type", "content")
    cli.json("calendar", "schedule", "1", "--at", "2026-01-13T00:00:00+00:00")
    with freeze_time("2026-01-10T00:00:00Z"):
        plain = cli("calendar", "list", env={"IDOLQ_TZ": "Asia/Tokyo"})
        assert "2026-01-13 09:00 JST" in plain.stdout
        assert cli.json("calendar", "zone", "Asia/Tokyo")["zone"] == "Asia/Tokyo"
        assert "2026-01-13 09:00 JST" in cli("calendar", "list").stdout
        (item,) = cli.json("calendar", "list")
        assert item["scheduled_at"] == "2026-01-13T00:00:00+00:00"
        assert "2026-01-13 01:00 CET" in cli("calendar", "list",
                                              env={"IDOLQ_TZ": "Europe/Paris"}).stdout


def test_list_starts_today_in_the_team_zone_unless_told_otherwise(cli):
    cli.json("task", "create", "Ika intro", "--type", "content")
    for at in ("2026-01-12T16:00:00Z", "2026-01-13T03:00:00Z", "2026-01-20T00:00:00Z"):
        cli.json("calendar", "schedule", "1", "--at", at)
    cli.json("calendar", "zone", "Asia/Tokyo")
    with freeze_time("2026-01-13T05:00:00Z"):  # 14:00 on the 13th in Tokyo
        assert [i["id"] for i in cli.json("calendar", "list")] == [1, 2, 3]
        assert [i["id"] for i in cli.json("calendar", "list", "--to", "2026-01-14")] == [1, 2]
        assert [i["id"] for i in cli.json("calendar", "list", "--from", "2026-01-19")] == [3]


def _export(cli, tmp_path, name: str) -> Calendar:
    path = tmp_path / name
    assert cli.json("calendar", "export", "--ics", "--output", path) == {"path": str(path)}
    return Calendar.from_ical(path.read_bytes())


def test_the_ics_export_reads_back_with_one_event_per_item_and_stable_uids(cli, tmp_path):
    task = _approved_content(cli)
    cli.json("calendar", "schedule", task["code"], "--at", "2026-01-13T09:00:00+09:00",
             "--platform", "twitter")
    second = cli.json("calendar", "schedule", task["code"], "--at", "2026-01-14T12:00:00Z")
    with freeze_time("2026-01-10T00:00:00Z"):
        first_export = _export(cli, tmp_path, "one.ics")
    cli.json("calendar", "cancel", str(second["id"]))
    cli.json("calendar", "schedule", task["code"], "--at", "2026-01-15T00:00:00Z")
    second_export = _export(cli, tmp_path, "two.ics")
    assert (str(first_export["version"]), "idolq" in str(first_export["prodid"])) == ("2.0", True)
    events = list(second_export.walk("VEVENT"))
    assert len(events) == 3
    uids = [str(e["uid"]) for e in events]
    assert uids[:2] == [str(e["uid"]) for e in first_export.walk("VEVENT")]
    assert len(set(uids)) == 3 and all(u.startswith("calendar-item-") and "@" in u for u in uids)
    first = events[0]
    assert first.decoded("dtstart").isoformat() == "2026-01-13T00:00:00+00:00"
    assert first.to_ical().decode().count("DTSTART:20260113T000000Z") == 1
    assert str(first["summary"]) == f"{task['code']}: Ika intro"
    assert "dtstamp" in first and str(first["location"]) == "twitter"
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]


def test_uids_differ_between_databases(cli, tmp_path):
    from conftest import Cli

    other = Cli(tmp_path / "other.db")
    Cli(None).json("init", "--db", tmp_path / "other.db")
    for runner in (cli, other):
        runner.json("task", "create", "t", "--type", "content")
        runner.json("calendar", "schedule", "1", "--at", "2026-01-13")
    uids = {str(next(iter(_export(r, tmp_path, f"{n}.ics").walk("VEVENT")))["uid"])
            for n, r in enumerate((cli, other))}
    assert len(uids) == 2


def test_export_to_stdout_is_the_ics_text_and_json_needs_a_file(cli):
    cli.json("task", "create", "t", "--type", "content")
    cli.json("calendar", "schedule", "1", "--at", "2026-01-13")
    run = cli("calendar", "export", "--ics")
    assert run.exit_code == 0 and run.stdout.startswith("BEGIN:VCALENDAR")
    assert cli("calendar", "export", "--ics", "--json").exit_code == 2


def test_calendar_items_and_metrics_match_the_models(cli):
    from idolq import contract_calendar

    task = _approved_content(cli)
    item = cli.json("calendar", "schedule", task["code"], "--at", "2026-01-13T00:00:00Z")
    cli.json("calendar", "publish", str(item["id"]))
    stats = cli.json("calendar", "stats", str(item["id"]), "--likes", "3")
    for document in (item, stats, *cli.json("calendar", "list", "--from", "2026-01-01")):
        contract_calendar.CalendarItemDoc.model_validate(document)
    with freeze_time("2026-11-24T12:00:00Z"):
        metrics = contract_calendar.MetricsDoc.model_validate(cli.json("metrics"))
    assert metrics.period.days == 30 and len(metrics.daily) == 31
    assert set(cli.json("schema", "metrics", db=False)["properties"]) >= {
        "period", "content_velocity_per_day", "review_time_hours", "manual_intervention_pct",
        "agent_utilization_hours_per_day", "targets", "daily"}


def _terminal(monkeypatch, columns: int) -> dict:
    from idolq.cli import output

    monkeypatch.setattr(output, "use_rich", lambda: True)
    return {"COLUMNS": str(columns), "IDOLQ_TZ": "Asia/Tokyo", "NO_COLOR": "1"}


def test_list_on_a_terminal_is_a_week_view(cli, monkeypatch):
    cli.json("task", "create", "Ika intro [bold]x[/bold]", "--type", "content")
    cli.json("calendar", "schedule", "1", "--at", "2026-01-13T00:00:00Z")  # Tue 09:00 JST
    cli.json("calendar", "schedule", "1", "--at", "2026-01-19T03:00:00Z")  # Mon 12:00 JST
    wide = cli("calendar", "list", "--from", "2026-01-12", env=_terminal(monkeypatch, 120))
    assert "Week of 2026-01-12 (Asia/Tokyo)" in wide.stdout
    assert "Week of 2026-01-19 (Asia/Tokyo)" in wide.stdout
    header = next(line for line in wide.stdout.splitlines() if "Mon 01-12" in line)
    assert all(day in header for day in ("Tue 01-13", "Wed 01-14", "Sun 01-18"))
    assert "09:00" in wide.stdout and "CONTENT-001" in wide.stdout
    assert "[bold]x[/bold]" in wide.stdout  # user text printed literally
    narrow = cli("calendar", "list", "--from", "2026-01-12", env=_terminal(monkeypatch, 80))
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    assert "Tue 01-13" in narrow.stdout and "CONTENT-001" in narrow.stdout  # codes whole


def test_metrics_on_a_terminal_show_baselines_targets_and_charts(cli):
    with freeze_time("2026-01-10T00:00:00Z"):
        cli.json("task", "create", "t", "--type", "content", "--tier", "none")
        cli.json("task", "start", "1")
    with freeze_time("2026-01-10T06:00:00Z"):
        cli.json("task", "complete", "1")
    with freeze_time("2026-01-12T00:00:00Z"):
        run = cli("metrics", "--since", "2026-01-09T00:00:00Z")
    assert run.exit_code == 0, run.stderr
    velocity = next(line for line in run.stdout.splitlines() if "Content velocity" in line)
    assert "4/day" in velocity and "15-20/day" in velocity
    utilisation = next(line for line in run.stdout.splitlines()
                       if line.startswith("Agent utilisation"))
    assert "2h/day" in utilisation  # 6 busy hours over 3 days
    assert any(ch in run.stdout for ch in "\u2581\u2588") and "\u2588" in run.stdout
    bad = cli("metrics", "--since", "2026-01-10", "--until", "2026-01-09")
    assert bad.exit_code == 2 and "after" in bad.stderr


def test_the_display_zone_is_a_team_setting_changed_by_people(cli):
    run = cli("calendar", "zone", "Asia/Tokyo", "--actor", "agent:02", "--json")
    assert run.exit_code == 1 and "only a human" in run.stderr
    assert cli.json("calendar", "zone", "Asia/Tokyo", "--actor", "human:lead")["zone"] == \
        "Asia/Tokyo"
    changed = [json.loads(line) for line in cli("events", "tail", "--type", "team.changed",
                                                "--json").stdout.splitlines()]
    assert [e["payload"]["changes"] for e in changed] == [{"zone": [None, "Asia/Tokyo"]}]
