"""Random sequences of operations, valid and invalid, checked against a model of the workflow."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from idolq.domain.errors import IdolqError
from idolq.domain.policy import TIER_STAGES
from idolq.services import queries
from idolq.services.reviews import approve_review, reject_review
from idolq.services.setup import init_database
from idolq.services.tasks import (
    NewTask,
    add_dependency,
    cancel_task,
    complete_task,
    create_task,
    remove_dependency,
    start_task,
)
from idolq.store.connection import open_database
from invariants import check_invariants

ACTOR = "human:prop"  # the workflow under test, not authority: a person acts


class Workflow(RuleBasedStateMachine):
    """The model: task status, tier, round and dependencies; reviews; expected events."""

    def __init__(self):
        super().__init__()
        self.path = Path(tempfile.mkdtemp(prefix="idolq-prop-")) / "q.db"
        init_database(self.path)
        self.conn = open_database(self.path)
        self.tasks: dict[int, dict] = {}
        self.reviews: dict[int, dict] = {}
        self.events: Counter = Counter()

    def teardown(self):
        self.conn.close()

    # --- helpers -------------------------------------------------------------------------

    def _refused(self, action, *args, **kwargs) -> None:
        events_before = self._event_total()
        try:
            action(self.conn, *args, **kwargs)
        except IdolqError:
            assert self._event_total() == events_before, "a refused operation changed the log"
            return
        raise AssertionError(f"{action.__name__}{args} should have been refused")

    def _event_total(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM event_log").fetchone()[0]

    def _pick(self, data, items, likely=None):
        """Mostly an item that `likely` accepts (so that work moves on), sometimes any."""
        preferred = sorted(i for i in items if likely is None or likely(i))
        if preferred and data.draw(st.integers(0, 9)) < 8:
            return data.draw(st.sampled_from(preferred))
        return data.draw(st.sampled_from(sorted(items)))

    def _depends_on(self, task_id: int, target: int) -> bool:
        stack, seen = list(self.tasks[task_id]["deps"]), set()
        while stack:
            current = stack.pop()
            if current == target:
                return True
            if current not in seen:
                seen.add(current)
                stack.extend(self.tasks[current]["deps"])
        return False

    def _finish(self, task_id: int) -> None:
        """The task became complete: resolve the dependencies on it."""
        self.tasks[task_id]["status"] = "complete"
        for other in self.tasks.values():
            if task_id in other["deps"] and task_id not in other["resolved"]:
                other["resolved"].add(task_id)
                self.events["dependency.resolved"] += 1
                if other["status"] == "blocked" and other["deps"] <= other["resolved"]:
                    other["status"] = "pending"

    def _request(self, task_id: int, review_ids_types) -> None:
        for review_id, review_type in review_ids_types:
            self.reviews[review_id] = {"task": task_id, "type": review_type, "status": "pending",
                                       "round": self.tasks[task_id]["round"]}
            self.events["review.requested"] += 1

    def _new_reviews(self, task_id: int) -> list[tuple[int, str]]:
        return [(r.id, r.review_type) for r in queries.list_reviews(self.conn, task_ref=task_id)
                if r.id not in self.reviews]

    # --- rules ---------------------------------------------------------------------------

    @rule(tier=st.sampled_from([None, 1, 2, 3]), data=st.data())
    def create(self, tier, data):
        deps = set(data.draw(st.lists(st.sampled_from(sorted(self.tasks)), max_size=2))
                   if self.tasks else [])
        if any(self.tasks[d]["status"] == "cancelled" for d in deps):
            self._refused(create_task, NewTask("t", "content", review_tier=tier,
                                               depends_on=sorted(deps)), ACTOR)
            return
        task = create_task(self.conn, NewTask("t", "content", review_tier=tier,
                                              depends_on=sorted(deps)), ACTOR)
        resolved = {d for d in deps if self.tasks[d]["status"] == "complete"}
        blocked = deps != resolved
        self.tasks[task.id] = {"status": "blocked" if blocked else "pending", "tier": tier,
                               "round": 0, "deps": deps, "resolved": resolved}
        self.events["task.created"] += 1
        self.events["task.blocked"] += blocked

    @precondition(lambda self: self.tasks)
    @rule(data=st.data())
    def start(self, data):
        task_id = self._pick(data, self.tasks, lambda t: self.tasks[t]["status"] == "pending")
        if self.tasks[task_id]["status"] != "pending":
            self._refused(start_task, task_id, ACTOR)
            return
        start_task(self.conn, task_id, ACTOR)
        self.tasks[task_id]["status"] = "in_progress"
        self.events["task.started"] += 1

    @precondition(lambda self: self.tasks)
    @rule(data=st.data())
    def complete(self, data):
        task_id = self._pick(data, self.tasks,
                             lambda t: self.tasks[t]["status"] == "in_progress")
        task = self.tasks[task_id]
        if task["status"] != "in_progress":
            self._refused(complete_task, task_id, ACTOR)
            return
        complete_task(self.conn, task_id, ACTOR)
        self.events["task.completed"] += 1
        if task["tier"] is None:
            self._finish(task_id)
            return
        task["status"], task["round"] = "review", task["round"] + 1
        requested = self._new_reviews(task_id)
        assert sorted(t for _, t in requested) == sorted(TIER_STAGES[task["tier"]][0])
        self._request(task_id, requested)

    @precondition(lambda self: self.reviews)
    @rule(data=st.data(), approve=st.booleans())
    def decide(self, data, approve):
        review_id = self._pick(data, self.reviews,
                               lambda r: self.reviews[r]["status"] == "pending")
        review = self.reviews[review_id]
        action = approve_review if approve else reject_review
        kwargs = {} if approve else {"notes": "rework"}
        if review["status"] != "pending":
            self._refused(action, review_id, ACTOR, **kwargs)
            return
        action(self.conn, review_id, ACTOR, **kwargs)
        self.events["review.completed"] += 1
        task_id, task = review["task"], self.tasks[review["task"]]
        if not approve:
            review["status"] = "rejected"
            self.events["review.rejected"] += 1
            task["status"] = "in_progress"
            self._cancel_pending_reviews(task_id)
            return
        review["status"] = "approved"
        self.events["review.approved"] += 1
        approved = {v["type"] for v in self.reviews.values()
                    if v["task"] == task_id and v["round"] == review["round"]
                    and v["status"] == "approved"}
        if approved >= {t for stage in TIER_STAGES[task["tier"]] for t in stage}:
            self.events["task.approved"] += 1
            self._finish(task_id)
        else:
            self._request(task_id, self._new_reviews(task_id))

    def _cancel_pending_reviews(self, task_id: int) -> None:
        for review in self.reviews.values():
            if review["task"] == task_id and review["status"] == "pending":
                review["status"] = "cancelled"

    @precondition(lambda self: self.tasks)
    @rule(data=st.data())
    def cancel(self, data):
        task_id = self._pick(data, self.tasks)
        if self.tasks[task_id]["status"] in ("complete", "cancelled"):
            self._refused(cancel_task, task_id, ACTOR)
            return
        cancel_task(self.conn, task_id, ACTOR)
        self.tasks[task_id]["status"] = "cancelled"
        self.events["task.cancelled"] += 1
        self._cancel_pending_reviews(task_id)

    @precondition(lambda self: len(self.tasks) >= 2)
    @rule(data=st.data())
    def depend(self, data):
        task_id, on = self._pick(data, self.tasks), self._pick(data, self.tasks)
        task, blocker = self.tasks[task_id], self.tasks[on]
        if (task["status"] not in ("pending", "blocked") or blocker["status"] == "cancelled"
                or task_id == on or self._depends_on(on, task_id) or on in task["deps"]):
            self._refused(add_dependency, task_id, ACTOR, on_ref=on)
            return
        add_dependency(self.conn, task_id, ACTOR, on_ref=on)
        task["deps"].add(on)
        if blocker["status"] == "complete":
            task["resolved"].add(on)
        elif task["status"] == "pending":
            task["status"] = "blocked"
            self.events["task.blocked"] += 1

    @precondition(lambda self: len(self.tasks) >= 2)
    @rule(data=st.data())
    def undepend(self, data):
        task_id = self._pick(data, self.tasks, lambda t: bool(self.tasks[t]["deps"]))
        task = self.tasks[task_id]
        on = self._pick(data, task["deps"] or self.tasks)
        if on not in task["deps"] or task["status"] not in ("pending", "blocked"):
            self._refused(remove_dependency, task_id, ACTOR, on_ref=on)
            return
        remove_dependency(self.conn, task_id, ACTOR, on_ref=on)
        task["deps"].discard(on)
        task["resolved"].discard(on)
        self.events["dependency.resolved"] += 1
        if task["status"] == "blocked" and task["deps"] <= task["resolved"]:
            task["status"] = "pending"

    @precondition(lambda self: len(self.tasks) % 5 == 4)  # now and then, not every step
    @rule(ref=st.one_of(st.integers(min_value=10_000, max_value=10**9),
                        st.sampled_from(["NOPE-001", "CONTENT-999"])))
    def act_on_something_that_does_not_exist(self, ref):
        self._refused(start_task, ref, ACTOR)
        if isinstance(ref, int):
            self._refused(approve_review, ref, ACTOR)

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def the_database_matches_the_model(self):
        for task in queries.list_tasks(self.conn):
            model = self.tasks[task.id]
            assert (task.status, task.review_round) == (model["status"], model["round"])
            assert len(task.blocked_by) == len(model["deps"] - model["resolved"])
        for review in queries.list_reviews(self.conn):
            assert review.status == self.reviews[review.id]["status"]
            assert review.round == self.reviews[review.id]["round"]
        logged = Counter(dict(self.conn.execute(
            "SELECT event_type, COUNT(*) FROM event_log GROUP BY event_type")))
        assert logged == +self.events

    @invariant()
    def the_log_and_state_agree(self):
        check_invariants(self.path)


Workflow.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
TestWorkflow = Workflow.TestCase
