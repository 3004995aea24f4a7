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
