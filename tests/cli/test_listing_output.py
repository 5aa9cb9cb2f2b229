"""What listings print: complete JSON arrays written item by item, complete piped tables,
and, for a person on a terminal without --limit, the first rows and a note."""

from __future__ import annotations

import io
import json

from idolq.cli import output, views


def test_a_json_array_is_written_item_by_item_and_stays_one_document(monkeypatch):
    for items in ([], [{"a": 1}], [{"a": 1}, {"b": [2, "é"]}]):
        out = io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        output.print_json_array(iter(items))
        assert json.loads(out.getvalue()) == items
        assert out.getvalue().endswith("\n") and out.getvalue().count("\n") == 1


def test_a_piped_table_streams_tab_separated_rows_as_they_come(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)

    def rows():
        yield {"k": "a", "v": 1}
        assert out.getvalue() == "K\tV\na\t1\n"  # written before the next row is read
        yield {"k": "a much longer cell", "v": None}

    output.print_table(rows(), [("k", "K"), ("v", "V")])
    assert out.getvalue().splitlines() == ["K\tV", "a\t1", "a much longer cell\t-"]


def _fill(cli, count: int) -> None:
    for n in range(count):
        cli.json("task", "create", f"task {n}", "--type", "lore")


def test_a_person_on_a_terminal_sees_the_first_rows_and_a_note(cli, monkeypatch):
    _fill(cli, views.TERMINAL_LIMIT + 2)
    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setattr(output, "use_rich", lambda: False)  # the same rows, plain
    shown = cli("task", "list")
    assert shown.exit_code == 0
    assert len(shown.stdout.splitlines()) == 1 + views.TERMINAL_LIMIT
    assert "Showing the first 30 tasks" in shown.stderr
    asked = cli("task", "list", "--limit", "32")
    assert len(asked.stdout.splitlines()) == 33 and asked.stderr == ""
    assert len(cli.json("task", "list")) == views.TERMINAL_LIMIT + 2


def test_pipes_get_every_row_without_a_note(cli):
    _fill(cli, views.TERMINAL_LIMIT + 2)
    piped = cli("task", "list")
    assert len(piped.stdout.splitlines()) == 1 + views.TERMINAL_LIMIT + 2
    assert piped.stderr == ""


def test_no_note_when_everything_fits(cli, monkeypatch):
    _fill(cli, 3)
    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setattr(output, "use_rich", lambda: False)
    assert cli("review", "list").stderr == ""
    assert cli("task", "ready").stderr == ""


def test_a_listing_refused_before_its_first_row_prints_nothing_on_stdout(cli):
    refused = cli("review", "list", "--task", "NOPE-999", "--json")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert json.loads(refused.stderr)["error"]["code"]
