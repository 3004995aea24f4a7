-- Marquee store, version 1. Times are Unix milliseconds (UTC). Secrets inside settings and tokens are encrypted by the application.

CREATE TABLE connections (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    kind        TEXT    NOT NULL,
    settings    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- A user on a connection (Plex owner, Home user, friend; Jellyfin user). token holds the account's own server token, encrypted.
CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    connection_id     INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    external_id       TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    email             TEXT,
    token             TEXT,
    token_updated_at  INTEGER,
    status            TEXT    NOT NULL DEFAULT 'unknown',
    status_reason     TEXT,
    UNIQUE (connection_id, external_id)
);

CREATE TABLE profiles (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT,
    created_at    INTEGER NOT NULL
);

-- An account belongs to at most one profile; origin is 'auto' or 'manual'.
CREATE TABLE profile_accounts (
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE,
    origin      TEXT    NOT NULL,
    PRIMARY KEY (profile_id, account_id)
);

-- A movie, show, season or episode, identified by its external ids.
CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    title           TEXT,
    year            INTEGER,
    parent_item_id  INTEGER REFERENCES items(id),
    season          INTEGER,
    episode         INTEGER,
    edition         TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX ix_items_parent ON items (parent_item_id, season, episode);

-- Canonical external ids (imdb, tmdb, tvdb, anidb, tvmaze, plex). One id names one item.
CREATE TABLE item_ids (
    scheme   TEXT    NOT NULL,
    value    TEXT    NOT NULL,
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    PRIMARY KEY (scheme, value)
);
CREATE INDEX ix_item_ids_item ON item_ids (item_id);

-- A connection's local key for an item (Plex ratingKey, Jellyfin Id).
CREATE TABLE source_items (
    connection_id  INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    local_key      TEXT    NOT NULL,
    item_id        INTEGER REFERENCES items(id),
    kind           TEXT    NOT NULL,
    section_key    TEXT,
    guid           TEXT,
    part_key       TEXT,
    updated_at     INTEGER,
    seen_at        INTEGER NOT NULL,
    PRIMARY KEY (connection_id, local_key)
);
CREATE INDEX ix_source_items_item ON source_items (item_id);

-- The ledger: immutable events. connection_id and account_id are plain values (no foreign key) so removing
-- a connection never rewrites history.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    profile_id     INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES items(id),
    feature        TEXT    NOT NULL,
    value          TEXT,
    occurred_at    INTEGER NOT NULL,
    observed_at    INTEGER NOT NULL,
    connection_id  INTEGER,
    account_id     INTEGER,
    origin         TEXT    NOT NULL,
    run_id         INTEGER,
    dedupe_key     TEXT UNIQUE
);
CREATE INDEX ix_events_profile_item ON events (profile_id, item_id, feature, occurred_at);
CREATE INDEX ix_events_observed ON events (observed_at);

CREATE TRIGGER events_are_immutable BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'ledger events are immutable');
END;

-- Current state per profile and item, derived from events.
CREATE TABLE state (
    profile_id      INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    item_id         INTEGER NOT NULL REFERENCES items(id),
    watched         INTEGER NOT NULL DEFAULT 0,
    watched_at      INTEGER,
    play_count      INTEGER NOT NULL DEFAULT 0,
    rating          REAL,
    rated_at        INTEGER,
    progress_ms     INTEGER,
    progress_at     INTEGER,
    watchlisted     INTEGER NOT NULL DEFAULT 0,
    watchlisted_at  INTEGER,
    last_event_id   INTEGER,
    PRIMARY KEY (profile_id, item_id)
);

-- What a connection's account last showed for an item: the baseline that proves an unwatch.
CREATE TABLE observed_state (
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    local_key       TEXT    NOT NULL,
    watched         INTEGER NOT NULL DEFAULT 0,
    view_count      INTEGER NOT NULL DEFAULT 0,
    last_viewed_at  INTEGER,
    rating          REAL,
    rated_at        INTEGER,
    progress_ms     INTEGER,
    observed_at     INTEGER NOT NULL,
    PRIMARY KEY (account_id, local_key)
);

CREATE TABLE flows (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    source_connection_id  INTEGER NOT NULL REFERENCES connections(id),
    target_connection_id  INTEGER NOT NULL REFERENCES connections(id),
    two_way               INTEGER NOT NULL,
    features              TEXT    NOT NULL,
    mode                  TEXT    NOT NULL,
    schedule              TEXT,
    filters               TEXT    NOT NULL,
    guards                TEXT    NOT NULL,
    enabled               INTEGER NOT NULL DEFAULT 1,
    last_full_at          INTEGER,
    last_run_at           INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);

-- One execution of a flow. status: running, done, failed, held, interrupted. requests: JSON, count per endpoint.
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    flow_id      INTEGER REFERENCES flows(id) ON DELETE SET NULL,
    flow_name    TEXT    NOT NULL,
    trigger      TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    options      TEXT,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    planned      INTEGER NOT NULL DEFAULT 0,
    written      INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    unresolved   INTEGER NOT NULL DEFAULT 0,
    requests     TEXT,
    peak_memory  INTEGER,
    message      TEXT
);
CREATE INDEX ix_runs_flow ON runs (flow_id, started_at);

-- The journal: every write a run plans and makes, with the target's state before and after, so it can be undone.
CREATE TABLE run_writes (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    connection_id    INTEGER NOT NULL,
    account_id       INTEGER,
    profile_id       INTEGER,
    item_id          INTEGER,
    local_key        TEXT,
    feature          TEXT    NOT NULL,
    action           TEXT    NOT NULL,
    before           TEXT,
    after            TEXT,
    reason           TEXT,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    status           TEXT    NOT NULL,
    error            TEXT,
    created_at       INTEGER NOT NULL,
    written_at       INTEGER
);
CREATE INDEX ix_run_writes_run ON run_writes (run_id, status);

-- Received webhooks, stored before they are acknowledged.
CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY,
    source        TEXT    NOT NULL,
    received_at   INTEGER NOT NULL,
    content_type  TEXT,
    headers       TEXT,
    body          BLOB    NOT NULL,
    dedupe_key    TEXT,
    status        TEXT    NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    handled_at    INTEGER,
    error         TEXT
);
CREATE INDEX ix_inbox_status ON inbox (status, id);
CREATE INDEX ix_inbox_dedupe ON inbox (dedupe_key);

-- Writes to external systems waiting to be made, with idempotency keys, retries and back-off.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    connection_id    INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    status           TEXT    NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    run_id           INTEGER,
    created_at       INTEGER NOT NULL,
    done_at          INTEGER
);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);

-- Items that could not be matched, with the reason; retried on later runs.
CREATE TABLE unresolved (
    id             INTEGER PRIMARY KEY,
    connection_id  INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    local_key      TEXT    NOT NULL,
    kind           TEXT,
    title          TEXT,
    reason         TEXT    NOT NULL,
    detail         TEXT,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (connection_id, local_key)
);
