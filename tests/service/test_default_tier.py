"""The default review tier per task type is the domain's policy, applied by create_task."""

from __future__ import annotations

from idolq.services.tasks import NewTask, create_task

from helpers import ACTOR


def test_content_created_without_a_tier_gets_the_content_default(conn):
    task = create_task(conn, NewTask("A thread", "content", "thread"), ACTOR)
    assert task.review_tier == 2
    assert conn.execute("SELECT review_tier FROM tasks").fetchone()[0] == 2


def test_a_task_created_with_no_review_asked_for_has_none(conn):
    task = create_task(conn, NewTask("A thread", "content", "thread", review_tier=None), ACTOR)
    assert task.review_tier is None


def test_a_tier_asked_for_wins_over_the_default(conn):
    assert create_task(conn, NewTask("A thread", "content", review_tier=1), ACTOR).review_tier == 1


def test_other_task_types_have_no_default_tier(conn):
    assert create_task(conn, NewTask("Canon", "lore"), ACTOR).review_tier is None


def test_the_cli_and_the_library_give_content_the_same_tier(conn, cli):
    by_library = create_task(conn, NewTask("A thread", "content"), ACTOR)
    assert cli.json("task", "create", "A thread", "--type", "content")["review_tier"] == \
        by_library.review_tier
    assert cli.json("task", "create", "A thread", "--type", "content", "--tier", "none")[
        "review_tier"] is None
