-- Live events, version 3: events normalised from webhooks, the Plex event stream and the session poller, each
-- stored once. dedupe_key is unique (account, item, kind, value, time bucket); identity_key without the bucket lets
-- the store find the same event in a neighbouring bucket.
CREATE TABLE live_events (
    id            INTEGER PRIMARY KEY,
    source        TEXT    NOT NULL,
    origin        TEXT    NOT NULL,
    server_id     TEXT,
    account_id    TEXT    NOT NULL,
    account_name  TEXT,
    local_key     TEXT    NOT NULL,
    item_guid     TEXT,
    media_type    TEXT,
    kind          TEXT    NOT NULL,
    value         TEXT,
    occurred_at   INTEGER NOT NULL,
    delivery_id   INTEGER,
    identity_key  TEXT    NOT NULL,
    dedupe_key    TEXT    NOT NULL UNIQUE
);
CREATE INDEX ix_live_events_identity ON live_events (identity_key, occurred_at);
