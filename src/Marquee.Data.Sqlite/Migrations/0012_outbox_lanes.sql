-- Outbox, version 12: lanes. A delivery may name an order key (for a notification, its playback or subject); one
-- target's deliveries with the same key go in order, one at a time, while those with other keys may go at the same
-- time. Existing deliveries, and those enqueued without a key, share the empty key: one lane per target, as before.
ALTER TABLE outbox ADD COLUMN order_key TEXT NOT NULL DEFAULT '';
CREATE INDEX ix_outbox_lane ON outbox (target, order_key, status, id);
