"""What import and export print: one JSON document with --json, else a few lines."""

from __future__ import annotations

from idolq.cli import output


def show_v1_import(report, dry_run: bool, json_mode: bool) -> None:
    document = report.document()
    if json_mode:
        output.print_json(document)
        return
    verb = "would import" if dry_run else "imported"
    output.print_line(f"{verb}: {document['created']} created, {document['updated']} updated, "
                      f"{document['unchanged']} unchanged, {len(document['skipped'])} skipped")
    for skipped in document["skipped"]:
        output.print_line(f"skipped {skipped['file']}:{skipped['line']}: {skipped['reason']}")


def show_restore(counts: dict[str, int], json_mode: bool) -> None:
    document = {"records": sum(counts.values()), "tables": counts}
    if json_mode:
        output.print_json(document)
        return
    output.print_line(f"imported {document['records']} records")


def show_written(path: str | None, records: int, json_mode: bool) -> None:
    """After writing to a file, say so (stdout held the export itself otherwise)."""
    if path is None:
        return
    if json_mode:
        output.print_json({"output": path, "records": records})
    else:
        output.print_line(f"wrote {records} records to {path}")
