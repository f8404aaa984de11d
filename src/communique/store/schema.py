"""The store's schema as numbered migrations, applied in order and recorded in the database.

Each migration is written once; ``{blob}``, ``{fts}`` and similar markers take each engine's
spelling. A migration is never edited after release: a change is a new migration.
"""

from __future__ import annotations

from communique.store.db import Database

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "documents, extractions, canonical events, failures",
        """
CREATE TABLE documents (
    key TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    url TEXT,
    title TEXT,
    published TEXT,
    published_date TEXT,
    source TEXT,
    source_country TEXT,
    language TEXT,
    text TEXT NOT NULL,
    raw TEXT,
    raw_format TEXT,
    origin TEXT NOT NULL,
    extractor TEXT,
    readout TEXT
);
CREATE INDEX documents_id ON documents (id);
CREATE INDEX documents_published ON documents (published_date);
CREATE TABLE actors (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    actor_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    canonical TEXT,
    named INTEGER NOT NULL,
    titles TEXT,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (doc_key, actor_id)
);
CREATE INDEX actors_country ON actors (country, kind);
CREATE INDEX actors_name ON actors (name);
CREATE TABLE canonical_events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    kind_group TEXT NOT NULL,
    date TEXT,
    countries TEXT NOT NULL,
    persons TEXT NOT NULL,
    location_name TEXT,
    location_country TEXT,
    lat {real},
    lon {real},
    occasion TEXT,
    n_reports INTEGER NOT NULL,
    n_sources INTEGER NOT NULL
);
CREATE INDEX canonical_events_date ON canonical_events (date);
CREATE INDEX canonical_events_countries ON canonical_events (countries);
CREATE TABLE events (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    timing TEXT NOT NULL,
    date TEXT,
    location_name TEXT,
    location_country TEXT,
    lat {real},
    lon {real},
    occasion TEXT,
    stance TEXT,
    cameo TEXT,
    plover TEXT,
    plover_mode TEXT,
    goldstein {real},
    countries TEXT NOT NULL,
    actor_countries TEXT NOT NULL,
    recipient_countries TEXT NOT NULL,
    persons TEXT NOT NULL,
    evidence TEXT,
    ev_start INTEGER,
    ev_end INTEGER,
    canonical_id TEXT REFERENCES canonical_events (id),
    PRIMARY KEY (doc_key, event_id)
);
CREATE INDEX events_canonical ON events (canonical_id);
CREATE INDEX events_kind_date ON events (kind, date);
CREATE TABLE participants (
    doc_key TEXT NOT NULL,
    event_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    FOREIGN KEY (doc_key, event_id) REFERENCES events (doc_key, event_id) ON DELETE CASCADE
);
CREATE INDEX participants_event ON participants (doc_key, event_id);
CREATE INDEX participants_country ON participants (country);
CREATE INDEX participants_name ON participants (name);
CREATE TABLE agreements (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    agreement_id TEXT NOT NULL,
    title TEXT NOT NULL,
    parties TEXT NOT NULL,
    date TEXT,
    topics TEXT,
    PRIMARY KEY (doc_key, agreement_id)
);
CREATE TABLE topics (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (doc_key, topic)
);
CREATE INDEX topics_topic ON topics (topic);
CREATE TABLE initiatives (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (doc_key, name)
);
CREATE TABLE relationships (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    country_a TEXT NOT NULL,
    country_b TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (doc_key, country_a, country_b, label)
);
CREATE TABLE failures (
    key TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    doc_key TEXT,
    stage TEXT NOT NULL,
    error TEXT NOT NULL,
    raw TEXT
);
CREATE TABLE runs (
    id {serial},
    started_at TEXT NOT NULL,
    finished_at TEXT,
    command TEXT NOT NULL,
    seen INTEGER,
    added INTEGER,
    updated INTEGER,
    unchanged INTEGER,
    failed INTEGER
)
""",
    ),
    (
        2,
        "full-text search over documents and evidence",
        "{search}",
    ),
    (
        3,
        "canonical events carry their reports' kinds and first URL (fast listings)",
        """
ALTER TABLE canonical_events ADD COLUMN kinds TEXT;
ALTER TABLE canonical_events ADD COLUMN url TEXT;
CREATE INDEX relationships_a ON relationships (country_a);
CREATE INDEX relationships_b ON relationships (country_b)
""",
    ),
    (
        4,
        "actor statistics kept up to date at write time (fast actor listings)",
        """
ALTER TABLE actors ADD COLUMN entity TEXT;
UPDATE actors SET entity = COALESCE(canonical, name);
CREATE INDEX actors_entity ON actors (entity, kind, country);
CREATE TABLE actor_stats (
    entity TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    documents INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    PRIMARY KEY (entity, kind, country)
);
INSERT INTO actor_stats (entity, kind, country, documents, mentions, first_seen, last_seen)
    SELECT a.entity, a.kind, COALESCE(a.country, ''), COUNT(DISTINCT a.doc_key), SUM(a.mentions),
           MIN(d.published_date), MAX(d.published_date)
    FROM actors a JOIN documents d ON d.key = a.doc_key WHERE a.named = 1
    GROUP BY a.entity, a.kind, COALESCE(a.country, '');
CREATE INDEX actor_stats_country ON actor_stats (country, kind, documents);
CREATE INDEX actor_stats_kind ON actor_stats (kind, documents);
CREATE INDEX documents_source ON documents (source, source_country)
""",
    ),
    (
        5,
        "event parties carry their sector (GOV, MIL ...: CAMEO agent codes) for the exports",
        """
ALTER TABLE participants ADD COLUMN sector TEXT
""",
    ),
]

SEARCH_SQLITE = """
CREATE VIRTUAL TABLE search USING fts5(
    doc_key UNINDEXED, ref UNINDEXED, title, body, tokenize = 'porter unicode61'
)
"""
SEARCH_POSTGRES = """
CREATE TABLE search (
    doc_key TEXT NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    title TEXT,
    body TEXT,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(body, '')), 'B')
    ) STORED
);
CREATE INDEX search_tsv ON search USING GIN (tsv);
CREATE INDEX search_doc ON search (doc_key)
"""


def _render(db: Database, sql: str) -> str:
    pg = db.dialect == "postgresql"
    return (
        sql.replace("{search}", SEARCH_POSTGRES if pg else SEARCH_SQLITE)
        .replace("{real}", "DOUBLE PRECISION" if pg else "REAL")
        .replace("{serial}", "SERIAL PRIMARY KEY" if pg else "INTEGER PRIMARY KEY AUTOINCREMENT")
    )


MIGRATION_LOCK = 0x636F6D6D  # PostgreSQL advisory lock key of migrations ("comm")


def current_version(db: Database) -> int:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, description TEXT NOT NULL)"
    )
    return int(db.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") or 0)


def _version_now(db: Database) -> int | None:
    """The database's version, read without writing; None for a database never migrated."""
    try:
        return int(db.scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") or 0)
    except Exception:  # no such table (sqlite3.OperationalError, psycopg UndefinedTable)
        return None


def migrate(db: Database) -> list[int]:
    """Apply every migration newer than the database's version; returns those applied.

    All of them run in one transaction under a lock (SQLite's write lock, a PostgreSQL advisory
    lock), so that processes starting together on a fresh database migrate it once: the others
    wait, then find it up to date. A database already up to date is only read."""
    latest = MIGRATIONS[-1][0]
    if _version_now(db) == latest:
        return []

    def run() -> list[int]:
        if db.dialect == "postgresql":
            db.query("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        applied = []
        version = current_version(db)
        for number, description, sql in MIGRATIONS:
            if number <= version:
                continue
            db.script(_render(db, sql))
            db.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                (number, description),
            )
            applied.append(number)
        if 3 in applied:
            # backfill the columns migration 3 added
            from communique.store.merge import refresh_counts

            refresh_counts(db, [r["id"] for r in db.query("SELECT id FROM canonical_events")])
        return applied

    return db.write(run)
