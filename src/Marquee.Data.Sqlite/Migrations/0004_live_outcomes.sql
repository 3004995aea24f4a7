-- Live events, version 4: each live event records what its targeted propagation did (propagated, echo of Marquee's own
-- write, unchanged, or fallback to an incremental run with the reason), and Marquee's last write to an item is found by
-- connection and local key, to recognise that write coming back.
ALTER TABLE live_events ADD COLUMN outcome TEXT;
CREATE INDEX ix_run_writes_item ON run_writes (connection_id, local_key, written_at);
