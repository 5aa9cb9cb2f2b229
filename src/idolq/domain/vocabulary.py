"""The known task and content types: those the routing rules name.

A typo (`--type contnet`) must not create a task type nobody routes or reviews; it is refused
with the nearest known names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from idolq.domain.errors import InvalidValue

Rule = tuple[str, str | None, int]  # (task_type, content_type or None for any, agent)


def task_types(rules: Iterable[Rule]) -> list[str]:
    return sorted({task_type for task_type, _, _ in rules if task_type})


def content_types(rules: Iterable[Rule]) -> list[str]:
    return sorted({content_type for _, content_type, _ in rules if content_type})


def nearest(word: str, known: Sequence[str], count: int = 3) -> list[str]:
    import difflib  # only when something is misspelt

    return difflib.get_close_matches(word, known, n=count, cutoff=0.5)


def did_you_mean(word: str, known: Sequence[str]) -> str:
    """`did you mean content?`, or the known names when none is close."""
    close = nearest(word, known)
    if close:
        return f"did you mean {' or '.join(close)}?"
    return f"known: {', '.join(known) or 'none'}"


def check_types(rules: Sequence[Rule], task_type: str, content_type: str | None) -> None:
    """Refuse (exit 2) a task or content type the routing rules do not name."""
    known = task_types(rules)
    if task_type not in known:
        raise InvalidValue(f"unknown task type {task_type!r}: {did_you_mean(task_type, known)}"
                           " (`idolq route set` adds a type)")
    if content_type is not None:
        check_content_type(rules, content_type)


def check_content_type(rules: Sequence[Rule], content_type: str) -> None:
    known = content_types(rules)
    if content_type not in known:
        raise InvalidValue(f"unknown content type {content_type!r}: "
                           f"{did_you_mean(content_type, known)} (`idolq route set TYPE "
                           "--content-type C --agent N` adds one)")
