"""V1's rules as data: ids, statuses, notes, and its Markdown tables (no database)."""

from __future__ import annotations

import pytest

from idolq.adapters.v1_markdown import NotATaskQueue, read_rows, table
from idolq.domain import v1
from idolq.domain.v1 import Row, Unreadable


@pytest.mark.parametrize("code", ["COORD-001", "COORD-VIB-001B", "GUARDIAN-VIB-003", "X-1"])
def test_v1_ids_are_read_as_codes(code):
    assert v1.parse_code(f" {code} ") == code


@pytest.mark.parametrize("text", ["", "None yet", "coord-001", "COORD", "COORD-001-", "12"])
def test_what_is_not_a_v1_id_is_unreadable(text):
    with pytest.raises(Unreadable):
        v1.parse_code(text)


def test_statuses_and_priorities_map_and_unknown_ones_are_unreadable():
    assert v1.parse_status("IN_PROGRESS") == "in_progress"
    assert v1.parse_status("`DEFERRED`") == "deferred"
    assert v1.parse_priority("P0") == 0
    for parse, text in ((v1.parse_status, "ESCALATED"), (v1.parse_priority, "high")):
        with pytest.raises(Unreadable):
            parse(text)


def test_notes_name_dependencies_in_the_ways_v1_wrote_them():
    assert v1.dependencies_in("Waiting: LORE-001") == ["LORE-001"]
    assert v1.dependencies_in("After GUARDIAN-001") == ["GUARDIAN-001"]
    assert v1.dependencies_in("ok\nDepends on: A-1, COORD-VIB-001B") == ["A-1", "COORD-VIB-001B"]
    assert v1.dependencies_in("LORE-001 complete, thread ready") == []
    assert v1.dependencies_in("Wait for Phase 1 completion") == []


def test_the_first_ds_rating_within_range_is_read():
    assert v1.ds_rating_in("✅ BASED - DS-3.0 perfect calibration") == 3.0
    assert v1.ds_rating_in("approved (DS-2.5), then DS-3.5") == 2.5
    assert v1.ds_rating_in("DS-9 is off the scale") is None
    assert v1.ds_rating_in("no rating") is None


def test_group_labels_and_placeholders_are_not_rows():
    assert v1.is_group_label({"id": "**VIBING OVERHAUL PROJECT**", "priority": "",
                              "notes": "**8-10 days**"})
    assert v1.is_group_label({"id": "*None yet*", "task": ""})
    assert not v1.is_group_label({"id": "**COORD-001**", "priority": "P1"})


def test_a_due_that_is_not_a_time_is_kept_and_given_back():
    text = v1.description(["first", "second"], "TBD")

    assert text == "first\nsecond\nDue: TBD"
    assert v1.split_description(text) == ("first\nsecond", "TBD")


def test_an_id_in_a_queue_and_the_archive_is_one_complete_task():
    queue = Row("f.md", 10, {"id": "A-1", "priority": "P1", "task": "Draft the thread",
                             "status": "REVIEW", "created": "2026-01-09", "due": "Fri",
                             "notes": "needs review"}, agent=2)
    archive = Row("f.md", 40, {"id": "A-1", "task": "Draft", "completed": "2026-01-10",
                               "by": "Agent 05", "notes": "done"}, archive=True)

    tasks, skipped = v1.collect([queue, archive])

    assert skipped == []
    task = tasks["A-1"]
    assert (task.title, task.status, task.agent, task.priority) == (
        "Draft the thread", "complete", 2, 1)
    assert (task.completed, task.notes, task.line) == ("2026-01-10", ["needs review", "done"], 10)


MARKDOWN = """# Queue

| Status | Meaning |
|---|---|
| `PENDING` | legend, not a task |

## Content Strategist Queue (Agent 02)

| ID | Priority | Task | Status | Created | Due | Notes |
|----|----|----|----|----|----|----|
| CONTENT-001 | P1 | A \\| B | PENDING | 2026-01-09 | Fri | one<br>two |

## Completed Tasks Archive

| ID | Task | Completed | By | Notes |
|----|----|----|----|----|
| LORE-001 | Done | 2026-01-09 | Agent 01 | ok |
"""


def test_markdown_tables_are_read_with_their_lines_agents_and_escapes():
    rows = read_rows(MARKDOWN, "q.md")

    assert [(r.line, r.agent, r.archive) for r in rows] == [(11, 2, False), (17, None, True)]
    assert rows[0].cells["task"] == "A | B"
    assert rows[0].cells["notes"] == "one\ntwo"


def test_cells_written_for_a_table_read_back_the_same():
    lines = list(table(v1.QUEUE_COLUMNS, [["A-1", "P1", "x | y", "PENDING", "", "", "a\nb"]]))
    text = "## Q (Agent 01)\n\n" + "\n".join(lines) + "\n"

    assert read_rows(text, "q.md")[0].cells["task"] == "x | y"
    assert read_rows(text, "q.md")[0].cells["notes"] == "a\nb"


def test_text_without_a_queue_table_is_not_a_task_queue():
    with pytest.raises(NotATaskQueue):
        read_rows("| Status | Meaning |\n|---|---|\n| a | b |\n", "legend.md")
