"""Metrics from a scripted history whose numbers are worked out by hand below.

Two UTC days, 2026-01-10 and 2026-01-11 (the period), agent 2 writing content, reviewers
agent 0 and agent 9, a human lead:

  01-09 23:00 lead creates T1 (content, tier 3)               [before the period]
  01-10 00:00 agent 2 starts T1                                agent 2 busy from 00:00
        04:00 agent 2 submits T1 (round 1)                     busy 4 h
        05:00 lead creates T2 (content, tier 2)
        06:00 agent 0 approves T1's coordinator review (2 h)   round T1/1: 2 h, tier 3
        07:00 lead schedules T1
        08:00 agent 2 starts T2                                busy from 08:00
        10:00 agent 2 submits T2 (round 1)                     busy 2 h
        11:00 agent 9 rejects the cultural review (1 h)        round T2/1: 1 h; busy again
        13:00 agent 2 submits T2 (round 2)                     busy 2 h (8 h that day)
  01-11 01:00 agent 9 approves the cultural review (12 h)
        03:00 lead approves the coordinator review (2 h)       round T2/2: 14 h, tier 2
        09:00 lead publishes T1
        10:00 lead creates T3 (lore, agent 1)
        12:00 agent 1 starts T3, still in progress at the end   agent 1 busy 12 h
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from idolq.services import calendar
from idolq.services.metrics import measure
from idolq.services.reviews import approve_review, reject_review
from idolq.services.tasks import complete_task, create_task, start_task
from idolq.store.connection import open_database

from conftest import edit_by_hand, new_database
from helpers import new, pending_reviews

LEAD, WRITER = "human:lead", "agent:02"
SINCE, UNTIL = datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 1, 12, tzinfo=UTC)


def _at(moment: str, action, *args, **kwargs):
    with freeze_time(moment):
        return action(*args, **kwargs)


@pytest.fixture(scope="module")
def _scripted_databases(tmp_path_factory) -> dict:
    """Built once per backend for the module: freezegun makes each step slow."""
    return {}


@pytest.fixture
def scripted_db(backend, _scripted_databases, tmp_path_factory):
    if backend not in _scripted_databases:
        path = new_database(backend, tmp_path_factory.mktemp("metrics"))
        conn = open_database(path)
        _script(conn)
        conn.close()
        _scripted_databases[backend] = path
    return _scripted_databases[backend]


@pytest.fixture
def scripted(scripted_db):
    conn = open_database(scripted_db)
    yield conn
    conn.close()


def _script(conn) -> None:
    t1 = _at("2026-01-09T23:00Z", create_task, conn, new("T1", review_tier=3), LEAD)
    _at("2026-01-10T00:00Z", start_task, conn, t1.id, WRITER)
    _at("2026-01-10T04:00Z", complete_task, conn, t1.id, WRITER)
    t2 = _at("2026-01-10T05:00Z", create_task, conn, new("T2", review_tier=2), LEAD)
    _at("2026-01-10T06:00Z", approve_review, conn, pending_reviews(conn, t1.id)["coordinator"],
        "agent:00")
    item = _at("2026-01-10T07:00Z", calendar.schedule, conn, t1.id, "2026-01-11T09:00:00+00:00",
               LEAD)
    _at("2026-01-10T08:00Z", start_task, conn, t2.id, WRITER)
    _at("2026-01-10T10:00Z", complete_task, conn, t2.id, WRITER)
    _at("2026-01-10T11:00Z", reject_review, conn, pending_reviews(conn, t2.id)["cultural"],
        "agent:09", notes="off-brand")
    _at("2026-01-10T13:00Z", complete_task, conn, t2.id, WRITER)
    _at("2026-01-11T01:00Z", approve_review, conn, pending_reviews(conn, t2.id)["cultural"],
        "agent:09")
    _at("2026-01-11T03:00Z", approve_review, conn, pending_reviews(conn, t2.id)["coordinator"],
        LEAD)
    _at("2026-01-11T09:00Z", calendar.publish, conn, item.id, LEAD)
    t3 = _at("2026-01-11T10:00Z", create_task, conn, new("T3", task_type="lore"), LEAD)
    _at("2026-01-11T12:00Z", start_task, conn, t3.id, "agent:01")


def _measure(conn, zone=UTC):
    with freeze_time("2026-01-12T06:00Z"):
        return measure(conn, zone, SINCE, UNTIL)


def test_the_period_and_content_velocity(scripted):
    doc = _measure(scripted)
    assert doc["period"] == {"since": "2026-01-10T00:00:00+00:00",
                             "until": "2026-01-12T00:00:00+00:00", "days": 2.0, "zone": "UTC"}
    assert doc["content_velocity_per_day"] == 0.5  # 1 published / 2 days


def test_review_time_is_timed_per_round_from_submission_by_tier_and_type(scripted):
    review = _measure(scripted)["review_time_hours"]
    # rounds: T1/1 2 h (tier 3), T2/1 1 h and T2/2 14 h (tier 2)
    assert (review["count"], review["avg"], review["median"], review["p90"]) == (3, 5.67, 2, 14)
    assert review["by_tier"]["2"] == {"count": 2, "avg": 7.5, "median": 7.5, "p90": 14}
    assert review["by_tier"]["3"] == {"count": 1, "avg": 2, "median": 2, "p90": 2}
    assert review["by_tier"]["1"]["count"] == 0
    # reviews: coordinator 2 h and 2 h; cultural 1 h (rejected) and 12 h
    assert review["by_type"]["coordinator"] == {"count": 2, "avg": 2, "median": 2, "p90": 2}
    assert review["by_type"]["cultural"] == {"count": 2, "avg": 6.5, "median": 6.5, "p90": 12}


def test_manual_intervention_is_the_share_of_actions_by_humans(scripted):
    doc = _measure(scripted)
    # 14 actions in the period (starts, submissions, decisions, creations, schedule, publish);
    # the lead's: create T2, schedule, approve, publish, create T3.
    assert (doc["totals"]["actions"], doc["totals"]["human_actions"]) == (14, 5)
    assert doc["manual_intervention_pct"] == 35.7
    assert [d["manual_intervention_pct"] for d in doc["daily"]] == [22.2, 60.0]  # 2/9, 3/5


def test_agent_utilisation_is_busy_hours_per_day(scripted):
    doc = _measure(scripted)
    hours = doc["agent_utilization_hours_per_day"]
    assert (hours["2"], hours["1"], hours["0"]) == (4.0, 6.0, 0.0)  # 8 h and 12 h over 2 days
    assert doc["agent_utilization_avg_hours_per_day"] == 5.0
    assert [d["agent_utilization_hours"] for d in doc["daily"]] == [4.0, 6.0]  # 8/2, 12/2


def test_daily_counts_and_totals(scripted):
    doc = _measure(scripted)
    rows = [{k: d[k] for k in ("date", "created", "completed", "approved", "rejected",
                               "published", "review_time_hours")} for d in doc["daily"]]
    assert rows == [
        {"date": "2026-01-10", "created": 1, "completed": 1, "approved": 1, "rejected": 1,
         "published": 0, "review_time_hours": 1.5},
        {"date": "2026-01-11", "created": 1, "completed": 1, "approved": 2, "rejected": 0,
         "published": 1, "review_time_hours": 14},
    ]


def test_targets_sit_beside_the_baselines(scripted):
    targets = _measure(scripted)["targets"]
    assert targets["content_velocity_per_day"] == {
        "v1_baseline": 4, "target": "15-20", "target_min": 15, "target_max": 20, "value": 0.5,
        "met": False}
    assert (targets["manual_intervention_pct"]["target"],
            targets["review_time_hours"]["value"]) == ("< 5", 5.67)


def test_days_are_the_team_zone_s_days(scripted):
    tokyo = ZoneInfo("Asia/Tokyo")
    doc = _measure(scripted, tokyo)
    # 2026-01-10T00:00Z is 09:00 in Tokyo: the period touches three Tokyo dates.
    assert [d["date"] for d in doc["daily"]] == ["2026-01-10", "2026-01-11", "2026-01-12"]
    # the T1 publication (01-11 09:00Z = 18:00 JST) and T3 (10:00Z = 19:00 JST) on the 11th;
    # T2's final approval (01-11 03:00Z = 12:00 JST) too; T2 created 01-10 14:00 JST.
    assert [d["published"] for d in doc["daily"]] == [0, 1, 0]
    assert [d["created"] for d in doc["daily"]] == [1, 1, 0]
    assert doc["period"]["zone"] == "Asia/Tokyo"


def test_an_empty_period_has_no_values_rather_than_zeros(conn):
    doc = _measure(conn)
    assert (doc["review_time_hours"]["avg"], doc["manual_intervention_pct"],
            doc["agent_utilization_avg_hours_per_day"]) == (None, None, None)
    assert doc["targets"]["review_time_hours"]["met"] is None


def test_events_edited_by_hand_into_nonsense_are_left_out(conn, db_path):
    _script(conn)
    edit_by_hand(db_path,
                 "UPDATE event_log SET payload = '[1]' WHERE event_type = 'content.published'",
                 "UPDATE event_log SET timestamp = '2026-01-10Tnoon' WHERE id = (SELECT MIN(id)"
                 " FROM event_log WHERE event_type = 'task.created'"
                 " AND timestamp >= '2026-01-10')")
    doc = _measure(conn)
    assert doc["content_velocity_per_day"] == 0  # the publication is no longer an event
    assert doc["totals"]["created"] == 1  # T2's creation is unreadable; T3's counts
