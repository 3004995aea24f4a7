-- Outbox, version 5: every write to an external system that is not a sync write. The table of the first version was
-- never written to; it is replaced by one whose target (the circuit's key) need not be a connection, whose payload
-- is encrypted and described without secrets, and whose last answer is kept. outbox_targets holds each target's circuit.
DROP INDEX IF EXISTS ix_outbox_due;
DROP TABLE outbox;
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    idempotency_key  TEXT    NOT NULL UNIQUE,
    kind             TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    connection_id    INTEGER,
    description      TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_attempt_at  INTEGER,
    last_status      INTEGER,
    last_error       TEXT,
    run_id           INTEGER,
    created_at       INTEGER NOT NULL,
    done_at          INTEGER
);
CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX ix_outbox_target ON outbox (target, status, id);

CREATE TABLE outbox_targets (
    target         TEXT    PRIMARY KEY,
    failures       INTEGER NOT NULL DEFAULT 0,
    blocked_until  INTEGER,
    last_error     TEXT,
    updated_at     INTEGER NOT NULL
);
