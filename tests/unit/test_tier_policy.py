"""A tier not given is not the same as no review."""

from __future__ import annotations

from idolq.domain import policy


def test_a_tier_not_given_is_the_task_types_default_and_none_means_no_review():
    assert policy.review_tier("content", policy.TYPE_DEFAULT) == 2
    assert policy.review_tier("lore", policy.TYPE_DEFAULT) is None
    assert policy.review_tier("content", None) is None
    assert policy.review_tier("lore", 3) == 3
