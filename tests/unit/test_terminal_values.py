"""Pure pieces of the terminal work: compact times, deadlines, options before the command."""

from __future__ import annotations

from datetime import UTC, datetime

from idolq.cli.fast import hoist_global_options
from idolq.cli.output import compact_time, tsv_cell
from idolq.domain.sla import deadline_standing

NOW = datetime(2026, 1, 9, 15, 0, tzinfo=UTC)


def test_times_are_compact_for_people():
    assert compact_time("2026-01-09T14:05:00+00:00", NOW) == "14:05"
    assert compact_time("2026-03-01T08:00:00+00:00", NOW) == "Mar 01 08:00"
    assert compact_time("2025-12-31T23:00:00+00:00", NOW) == "2025-12-31"
    assert compact_time("not a time", NOW) == "not a time"


def test_tab_separated_fields_never_hold_a_tab_or_a_line_break():
    assert tsv_cell("a\tb\nc") == "a\\tb\\nc"
    assert tsv_cell(None) == "-"
    assert tsv_cell(["A-1", "B-2"]) == "A-1,B-2"


def test_a_deadline_is_due_at_the_deadline_even_one_set_in_the_past():
    created = datetime(2026, 1, 9, 10, 0, tzinfo=UTC)
    standing = deadline_standing(created, datetime(2026, 1, 9, 12, 0, tzinfo=UTC), NOW)
    assert (standing.breached, standing.hours_over, standing.rule.key) == (True, 3.0, "deadline")
    late = deadline_standing(created, datetime(2026, 1, 9, 9, 0, tzinfo=UTC), NOW)
    assert late.due_at == datetime(2026, 1, 9, 9, 0, tzinfo=UTC) and late.breached
    ahead = deadline_standing(created, datetime(2026, 1, 10, tzinfo=UTC), NOW)
    assert not ahead.breached


def test_options_before_the_command_are_moved_to_where_it_reads_them():
    assert hoist_global_options(["--db", "x.db", "--json", "task", "list"]) == \
        (["task", "list", "--json"], {"IDOLQ_DB": "x.db"})
    assert hoist_global_options(["--actor=agent:02", "task", "start", "1"]) == \
        (["task", "start", "1"], {"IDOLQ_ACTOR": "agent:02"})
    assert hoist_global_options(["task", "list", "--db", "x.db"]) == \
        (["task", "list", "--db", "x.db"], {})
    assert hoist_global_options(["--json", "task", "comment", "1", "--", "--text"]) == \
        (["task", "comment", "1", "--json", "--", "--text"], {})
