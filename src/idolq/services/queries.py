"""Read-only operations: each reads one consistent snapshot of the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from idolq.domain.errors import InvalidValue, NotFound
from idolq.domain.model import Agent, Comment, Event, Review, ReviewStatus, Task, TaskStatus
from idolq.store import agents as agent_store
from idolq.store import comments as comment_store
from idolq.store import events as event_store
from idolq.store import reviews as review_store
from idolq.store import tasks as task_store
from idolq.store.connection import describe_error
from idolq.store.transaction import transaction


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction (BEGIN, not IMMEDIATE: readers never wait for the write lock)."""
    try:
        with transaction(conn, immediate=False):
            yield conn
    except sqlite3.Error as error:
        raise describe_error(error, "the database") from None


class TaskDetail(NamedTuple):
    task: Task
    reviews: list[Review]
    history: list[Event]
    comments: list[Comment] = []


def show_task(conn: sqlite3.Connection, ref: int | str) -> TaskDetail:
    with snapshot(conn):
        task = _find_task(conn, ref)
        return TaskDetail(task, list(review_store.list_reviews(conn, task_id=task.id)),
                          event_store.task_events(conn, task.id),
                          comment_store.task_comments(conn, task.id))


class ReviewDetail(NamedTuple):
    review: Review
    task: Task


def show_review(conn: sqlite3.Connection, review_id: int) -> ReviewDetail:
    with snapshot(conn):
        review = review_store.find_review(conn, review_id)
        if review is None:
            raise NotFound(f"no review {review_id}")
        return ReviewDetail(review, _find_task(conn, review.task_id))


def _find_task(conn: sqlite3.Connection, ref: int | str) -> Task:
    task = task_store.find_task(conn, ref)
    if task is None:
        raise NotFound(f"no task {ref}")
    return task


def _check_agent(conn: sqlite3.Connection, agent: int | None) -> None:
    """A filter naming an agent that does not exist is a mistake, not an empty list."""
    if agent is not None and agent_store.agent_name(conn, agent) is None:
        raise InvalidValue(f"invalid agent {agent}: no such agent (see `idolq agent list`)")


def streamed(conn: sqlite3.Connection, read: Callable[[], Iterable]) -> Iterator:
    """Rows of one read, yielded one at a time from the cursor inside one snapshot.

    The snapshot ends when the rows are exhausted, or when the consumer stops early
    (closing the generator rolls the read transaction back).
    """
    with snapshot(conn):
        yield from read()


def iter_tasks(conn: sqlite3.Connection, statuses: Sequence[str] = (), agent: int | None = None,
               task_type: str | None = None, limit: int | None = None) -> Iterator[Task]:
    def read() -> Iterable[Task]:
        _check_agent(conn, agent)
        return task_store.list_tasks(conn, statuses, agent, task_type, limit)

    return streamed(conn, read)


def list_tasks(conn: sqlite3.Connection, statuses: Sequence[str] = (), agent: int | None = None,
               task_type: str | None = None, limit: int | None = None) -> list[Task]:
    return list(iter_tasks(conn, statuses, agent, task_type, limit))


def iter_ready_tasks(conn: sqlite3.Connection, agent: int | None = None,
                     limit: int | None = None) -> Iterator[Task]:
    def read() -> Iterable[Task]:
        _check_agent(conn, agent)
        return task_store.ready_tasks(conn, agent, limit)

    return streamed(conn, read)


def ready_tasks(conn: sqlite3.Connection, agent: int | None = None,
                limit: int | None = None) -> list[Task]:
    return list(iter_ready_tasks(conn, agent, limit))


def iter_reviews(conn: sqlite3.Connection, status: str | None = None, agent: int | None = None,
                 task_ref: int | str | None = None, limit: int | None = None) -> Iterator[Review]:
    def read() -> Iterable[Review]:
        task_id = _find_task(conn, task_ref).id if task_ref is not None else None
        _check_agent(conn, agent)
        return review_store.list_reviews(conn, status, agent, task_id, limit)

    return streamed(conn, read)


def list_reviews(conn: sqlite3.Connection, status: str | Sequence[str] | None = None,
                 agent: int | None = None,
                 task_ref: int | str | None = None, limit: int | None = None) -> list[Review]:
    return list(iter_reviews(conn, status, agent, task_ref, limit))


def list_agents(conn: sqlite3.Connection) -> list[Agent]:
    with snapshot(conn):
        return agent_store.list_agents(conn)


class Status(NamedTuple):
    tasks: dict[str, int]
    reviews: dict[str, int]
    agents: list[Agent]


def status(conn: sqlite3.Connection) -> Status:
    with snapshot(conn):
        tasks = task_store.count_by_status(conn)
        reviews = review_store.count_by_status(conn)
        return Status(
            tasks={s.value: tasks.get(s.value, 0) for s in TaskStatus},
            reviews={s.value: reviews.get(s.value, 0) for s in ReviewStatus},
            agents=agent_store.list_agents(conn),
        )


def iter_last_events(conn: sqlite3.Connection, count: int | None = 20,
                     event_type: str | None = None, since: str | None = None
                     ) -> Iterator[Event]:
    """The last `count` matching events, oldest first (every one with `count` None)."""
    if count is not None and count < 0:
        raise InvalidValue(f"invalid count {count}: it must be 0 or more")
    return streamed(conn, lambda: event_store.last_events(conn, count, event_type, since))


def last_events(conn: sqlite3.Connection, count: int | None = 20, event_type: str | None = None,
                since: str | None = None) -> list[Event]:
    return list(iter_last_events(conn, count, event_type, since))


def events_after(conn: sqlite3.Connection, after_id: int,
                 event_type: str | None = None) -> list[Event]:
    with snapshot(conn):
        return list(event_store.events_after(conn, after_id, event_type))


def events_since(conn: sqlite3.Connection, after_id: int, event_type: str | None = None,
                 limit: int | None = None, since: str | None = None) -> list[Event]:
    """Events with an id above `after_id`, oldest first (at most `limit`)."""
    if limit is not None and limit < 0:
        raise InvalidValue(f"invalid count {limit}: it must be 0 or more")
    found: list[Event] = []
    with snapshot(conn):
        while limit is None or len(found) < limit:
            page = event_store.events_after(conn, after_id, event_type, PAGE)
            found += [e for e in page if since is None or e.timestamp >= since]
            if len(page) < PAGE:
                break
            after_id = page[-1].id
    return found if limit is None else found[:limit]


PAGE = 1000


def latest_event_id(conn: sqlite3.Connection) -> int:
    with snapshot(conn):
        return event_store.last_event_id(conn)
