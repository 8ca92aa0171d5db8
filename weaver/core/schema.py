"""The document's schema, as sqlite-utils migrations.

One function per schema change, applied in order. Never edit a released migration: add a new
one. ``PRAGMA user_version`` holds the number of migrations applied (sqlite-utils' Migrations
records names but sets no version), so a newer file is recognised from its header alone.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

# "WEAV" — marks the file as a Weaver document in the SQLite header (offset 68).
APPLICATION_ID = 0x57454156

migrations = Migrations("weaver")

_V1 = [
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE members (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('person', 'organization')),
        name TEXT NOT NULL CHECK (trim(name) <> ''),
        email TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT '',
        location TEXT NOT NULL DEFAULT '',
        sector TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        offers TEXT NOT NULL DEFAULT '[]',
        needs TEXT NOT NULL DEFAULT '[]',
        joined_on TEXT,
        consent TEXT NOT NULL DEFAULT 'not_asked'
            CHECK (consent IN ('yes', 'no', 'not_asked')),
        x REAL,
        y REAL,
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        custom TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE affiliations (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES members(id),
        organization_id TEXT NOT NULL REFERENCES members(id),
        role TEXT NOT NULL DEFAULT '',
        since TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (person_id <> organization_id)
    )
    """,
    "CREATE INDEX affiliations_person ON affiliations(person_id)",
    "CREATE INDEX affiliations_organization ON affiliations(organization_id)",
    """
    CREATE TABLE relationships (
        id TEXT PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES members(id),
        target_id TEXT NOT NULL REFERENCES members(id),
        kind TEXT NOT NULL DEFAULT 'colleague',
        direction TEXT NOT NULL DEFAULT 'undirected'
            CHECK (direction IN ('undirected', 'directed', 'mutual')),
        strength INTEGER NOT NULL DEFAULT 3 CHECK (strength BETWEEN 1 AND 5),
        since TEXT,
        ended_on TEXT,
        notes TEXT NOT NULL DEFAULT '',
        custom TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (source_id <> target_id)
    )
    """,
    "CREATE INDEX relationships_source ON relationships(source_id)",
    "CREATE INDEX relationships_target ON relationships(target_id)",
    """
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL CHECK (trim(title) <> ''),
        kind TEXT NOT NULL DEFAULT 'meeting',
        date TEXT,
        end_date TEXT,
        location TEXT NOT NULL DEFAULT '',
        in_person INTEGER NOT NULL DEFAULT 1 CHECK (in_person IN (0, 1)),
        trust_building INTEGER NOT NULL DEFAULT 0 CHECK (trust_building IN (0, 1)),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX events_date ON events(date)",
    """
    CREATE TABLE attendance (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        member_id TEXT NOT NULL REFERENCES members(id),
        role TEXT NOT NULL DEFAULT 'attendee',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (event_id, member_id)
    )
    """,
    "CREATE INDEX attendance_member ON attendance(member_id)",
    # Every applied and reverted command: the raw material for growth replay and
    # health over time. `changes` is the JSON of the Changes record (ids per entity).
    """
    CREATE TABLE history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('apply', 'revert')),
        command TEXT NOT NULL,
        label TEXT NOT NULL,
        changes TEXT NOT NULL
    )
    """,
]


@migrations()
def m001_initial(db: Database) -> None:
    for statement in _V1:
        db.execute(statement)


_RATINGS_AND_SNAPSHOTS = [
    # Dated trust/value ratings of a tie: every rating is kept, the latest is shown.
    """
    CREATE TABLE ratings (
        id TEXT PRIMARY KEY,
        relationship_id TEXT NOT NULL REFERENCES relationships(id),
        rated_on TEXT NOT NULL,
        reliability INTEGER CHECK (reliability BETWEEN 1 AND 4),
        mission_support INTEGER CHECK (mission_support BETWEEN 1 AND 4),
        openness INTEGER CHECK (openness BETWEEN 1 AND 4),
        influence INTEGER CHECK (influence BETWEEN 1 AND 4),
        involvement INTEGER CHECK (involvement BETWEEN 1 AND 4),
        resource_contribution INTEGER CHECK (resource_contribution BETWEEN 1 AND 4),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX ratings_relationship ON ratings(relationship_id)",
    # Health measures of a day, for trends and "compare with…" (measures is JSON).
    """
    CREATE TABLE snapshots (
        id TEXT PRIMARY KEY,
        taken_on TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        measures TEXT NOT NULL DEFAULT '{}'
    )
    """,
]


@migrations()
def m002_ratings_and_snapshots(db: Database) -> None:
    for statement in _RATINGS_AND_SNAPSHOTS:
        db.execute(statement)


SCHEMA_VERSION = len(migrations._migrations)


def migrate(db: Database) -> None:
    """Apply pending migrations and stamp the version. The caller holds the transaction."""
    migrations.apply(db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
