"""What import and export print: one JSON document with --json, else a few lines."""

from __future__ import annotations

from idolq.cli import output


def show_v1_import(report, dry_run: bool, json_mode: bool) -> None:
    def render(document: dict) -> None:
        verb = "would import" if dry_run else "imported"
        output.print_line(f"{verb}: {document['created']} created, {document['updated']} "
                          f"updated, {document['unchanged']} unchanged, "
                          f"{len(document['skipped'])} skipped")
        for skipped in document["skipped"]:
            output.print_line(f"skipped {skipped['file']}:{skipped['line']}: "
                              f"{skipped['reason']}")

    output.emit(report.document(), json_mode, render)


def show_restore(counts: dict[str, int], json_mode: bool) -> None:
    document = {"records": sum(counts.values()), "tables": counts}
    output.emit(document, json_mode,
                lambda doc: output.print_line(f"imported {doc['records']} records"))


def show_written(path: str | None, records: int, json_mode: bool) -> None:
    """After writing to a file, say so (stdout held the export itself otherwise)."""
    if path is None:
        return
    output.emit({"output": path, "records": records}, json_mode,
                lambda doc: output.print_line(f"wrote {doc['records']} records to {doc['output']}"))
