"""Claims with leases: take, extend, give back; expired leases come back by themselves."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from idolq.domain.errors import Forbidden, InvalidTransition, InvalidValue
from idolq.services.claims import claim_task, heartbeat_task, release_task
from idolq.services.settings import list_settings, set_setting
from idolq.services.sla import check_sla
from idolq.services.tasks import complete_task, start_task

from helpers import create, event_types, task

T0 = "2026-01-09T10:00:00+00:00"


def test_a_claim_takes_the_most_urgent_ready_task_and_starts_it_with_a_lease(conn):
    with freeze_time(T0):
        create(conn, title="later", priority=3)
        urgent = create(conn, title="urgent", priority=0)
        claimed = claim_task(conn, "agent:02")
    assert (claimed.id, claimed.status, claimed.claimed_by) == (urgent.id, "in_progress",
                                                                "agent:02")
    assert claimed.lease_expires_at == "2026-01-09T12:00:00+00:00"  # 2 h by default
    assert task(conn, urgent.id) == claimed
    assert event_types(conn, urgent.id)[-2:] == ["task.claimed", "task.started"]


def test_nothing_to_claim_is_none_and_changes_nothing(conn):
    create(conn, task_type="lore")  # agent 1's, not agent 2's
    assert claim_task(conn, "agent:02") is None
    assert conn.execute("SELECT COUNT(*) FROM event_log").fetchone()[0] == 1


def test_a_claim_lease_can_be_given_per_claim_or_as_the_database_default(conn):
    with freeze_time(T0):
        create(conn)
        create(conn)
        assert claim_task(conn, "agent:02", lease=30).lease_expires_at == \
            "2026-01-09T10:30:00+00:00"
        set_setting(conn, "lease", "3h", "human:lead")
        assert claim_task(conn, "agent:02").lease_expires_at == "2026-01-09T13:00:00+00:00"
    assert [(s.key, s.value) for s in list_settings(conn)] == [("lease", "3h")]


def test_an_agent_cannot_change_the_default_lease(conn):
    with pytest.raises(Forbidden):
        set_setting(conn, "lease", "9h", "agent:02")


def test_a_person_claims_for_an_agent_and_must_say_which(conn):
    create(conn)
    with pytest.raises(InvalidValue, match="--agent"):
        claim_task(conn, "human:lead")
    claimed = claim_task(conn, "human:lead", agent=2)
    assert claimed.claimed_by == "human:lead"


def test_an_agent_cannot_claim_another_agents_work(conn):
    create(conn)
    with pytest.raises(Forbidden, match="cannot claim work for agent:02"):
        claim_task(conn, "agent:03", agent=2)


def test_an_agent_at_capacity_cannot_claim(conn):
    for _ in range(4):
        create(conn)
    for _ in range(3):
        claim_task(conn, "agent:02")
    with pytest.raises(Forbidden, match="its maximum of 3"):
        claim_task(conn, "agent:02")


def test_a_started_task_has_no_lease_and_cannot_heartbeat(conn):
    created = create(conn)
    started = start_task(conn, created.id, "agent:02")
    assert (started.claimed_by, started.lease_expires_at) == (None, None)
    with pytest.raises(InvalidTransition, match="without a lease"):
        heartbeat_task(conn, created.id, "agent:02")


def test_a_heartbeat_extends_the_lease_from_now(conn):
    with freeze_time(T0):
        created = create(conn)
        claim_task(conn, "agent:02")
    with freeze_time("2026-01-09T11:30:00+00:00"):
        beat = heartbeat_task(conn, created.id, "agent:02", lease=60)
    assert beat.lease_expires_at == "2026-01-09T12:30:00+00:00" == \
        task(conn, created.id).lease_expires_at


def test_only_the_assignee_heartbeats_or_releases(conn):
    created = create(conn)
    claim_task(conn, "agent:02")
    for operation in (heartbeat_task, release_task):
        with pytest.raises(Forbidden, match="assigned to agent:02"):
            operation(conn, created.id, "agent:03")


def test_release_gives_the_task_back_pending(conn):
    created = create(conn)
    claim_task(conn, "agent:02")
    released = release_task(conn, created.id, "agent:02")
    assert (released.status, released.claimed_by, released.lease_expires_at,
            released.started_at) == ("pending", None, None, None)
    assert task(conn, created.id) == released
    assert event_types(conn, created.id)[-1] == "task.released"
    with pytest.raises(InvalidTransition):
        release_task(conn, created.id, "agent:02")


def test_an_expired_lease_is_released_by_the_next_sla_check(conn):
    with freeze_time(T0):
        created = create(conn)
        claim_task(conn, "agent:02")
    with freeze_time("2026-01-09T11:59:59+00:00"):
        assert check_sla(conn, "idolq:cron").released == []
    with freeze_time("2026-01-09T12:00:01+00:00"):
        assert check_sla(conn, "idolq:cron").released == [created.code]
    released = task(conn, created.id)
    assert (released.status, released.claimed_by) == ("pending", None)
    event = conn.execute("SELECT payload, actor FROM event_log WHERE event_type ="
                         " 'task.released'").fetchone()
    assert '"reason": "lease expired"' in event[0] and event[1] == "idolq:cron"
    assert claim_task(conn, "agent:02").id == created.id  # claimable again


def test_submitting_claimed_work_ends_its_lease(conn):
    with freeze_time(T0):
        created = create(conn, review_tier=2)
        claim_task(conn, "agent:02")
        submitted = complete_task(conn, created.id, "agent:02")
    assert (submitted.status, submitted.lease_expires_at) == ("review", None)
    with freeze_time("2026-01-10T10:00:00+00:00"):
        assert check_sla(conn, "idolq:cron").released == []
    assert task(conn, created.id).status == "review"


def test_a_daemon_cycle_releases_expired_leases_too(conn, db_path):
    import threading

    from idolq.services.daemon import run_cycle

    with freeze_time(T0):
        created = create(conn)
        claim_task(conn, "agent:02", lease=30)
    with freeze_time("2026-01-09T10:31:00+00:00"):
        cycle = run_cycle(str(db_path), "idolq:daemon", threading.Event())
    assert (cycle.ok, cycle.released) == (True, 1)
    assert task(conn, created.id).status == "pending"
