"""How messages name a database given by URL: never with its password."""

from __future__ import annotations

import pytest

from idolq.store.connection import database_name, redact


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://ann:s3cret@db.example.org:5432/idolq",
     "postgresql://ann@db.example.org:5432/idolq"),
    ("postgres://ann:s3c@ret@db/idolq", "postgres://ann@db/idolq"),
    ("postgresql://ann:s3c?ret@db/idolq", "postgresql://ann@db/idolq"),
    ("postgresql://:s3cret@db/idolq", "postgresql://db/idolq"),
    ("postgresql://db/idolq?password=s3cret&application_name=a@b", "postgresql://db@b"),
    ("postgresql://ann@db:port/idolq?options=-csearch_path%3Dteam#s3cret",
     "postgresql://ann@db:port/idolq"),
    ("postgresql:///idolq", "postgresql:///idolq"),
])
def test_a_database_url_is_named_without_its_password_or_query(url, shown):
    assert redact(url) == shown
    assert database_name(url) == shown


def test_a_file_is_named_by_its_path():
    assert database_name("team/q.db") == "team/q.db"
