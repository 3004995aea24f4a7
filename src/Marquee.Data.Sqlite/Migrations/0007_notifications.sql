-- Notifications, version 7: channels (their URL, secret and headers encrypted in one column) and what was sent, so
-- the same playback reported by several paths, or again after a restart, is notified once per channel and trigger.
CREATE TABLE notification_channels (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    secrets     TEXT    NOT NULL,
    triggers    TEXT    NOT NULL,
    templates   TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    enabled     INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE notification_sent (
    channel_id  INTEGER NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    trigger     TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    sent_at     INTEGER NOT NULL,
    PRIMARY KEY (channel_id, trigger, subject)
);
