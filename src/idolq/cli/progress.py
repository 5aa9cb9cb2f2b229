"""A progress bar on stderr for long imports and exports: on a terminal only, never with --json."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# Below this many records work is quick: no bar.
THRESHOLD = 300


class _Progress:
    """Counts records; starts a Rich bar once more than THRESHOLD have gone by."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.done = 0
        self.total: int | None = None
        self._bar: Any = None
        self._task: Any = None

    def advance(self, count: int = 1, total: int | None = None) -> None:
        self.done += count
        self.total = total if total is not None else self.total
        if self._bar is None and self.enabled and max(self.done, self.total or 0) > THRESHOLD:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, total=self.total)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                             console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task(self.label, total=self.total)
        self._bar.start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@contextmanager
def progress_bar(label: str, json_mode: bool) -> Iterator[Callable[..., None]]:
    """An `advance(count, total=None)` callback; a bar is shown only on a terminal."""
    progress = _Progress(label, enabled=not json_mode and sys.stderr.isatty())
    try:
        yield progress.advance
    finally:
        progress.close()
