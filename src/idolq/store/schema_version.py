"""The schema version this idolq writes: the number of migrations in store/schema.py.

Kept apart so that opening a current database does not import the migrations.
"""

SCHEMA_VERSION = 8
