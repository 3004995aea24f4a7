-- Notifications, version 13: each live event keeps the details a message shows (title, player, position…), and a
-- cursor records the live events notifications were made for, so events stored just before a crash are notified
-- after the restart. It starts at the newest event: what was stored before this version was notified already.
ALTER TABLE live_events ADD COLUMN detail TEXT;

CREATE TABLE notify_cursor (
    name    TEXT    PRIMARY KEY,
    last_id INTEGER NOT NULL
);

INSERT INTO notify_cursor (name, last_id) SELECT 'live-events', COALESCE(MAX(id), 0) FROM live_events;

-- A channel's further settings (stream details, conditions) as JSON.
ALTER TABLE notification_channels ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

-- The users and devices (players) notifications have seen, each with a notify switch: off, nothing they do is told.
CREATE TABLE notify_seen (
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    name       TEXT,
    notify     INTEGER NOT NULL DEFAULT 1,
    first_seen INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
);
