-- Library care, version 10: session rules and trash settings (JSON documents by kind and name), what they did, and the
-- claims that let one session be acted on once whichever path (stream, webhook, poller, timer) evaluated it.
CREATE TABLE care_settings (
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
);

CREATE TABLE care_actions (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    connection  TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    user_name   TEXT,
    device      TEXT,
    title       TEXT,
    rule        TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    message     TEXT,
    outcome     TEXT    NOT NULL,
    count       INTEGER
);

CREATE INDEX care_actions_kind_at ON care_actions (kind, at);

CREATE TABLE care_claims (
    connection_id INTEGER NOT NULL,
    subject       TEXT    NOT NULL,
    claimed_at    INTEGER NOT NULL,
    PRIMARY KEY (connection_id, subject)
);
