-- Sync engine, version 2: state remembers, per feature, which connection last changed it (ties go to a flow's
-- source) and the last replayed play, so a rewatch travels once.
ALTER TABLE state ADD COLUMN watched_connection_id INTEGER;
ALTER TABLE state ADD COLUMN last_play_at INTEGER;
ALTER TABLE state ADD COLUMN last_play_connection_id INTEGER;
ALTER TABLE state ADD COLUMN rating_connection_id INTEGER;
ALTER TABLE state ADD COLUMN progress_connection_id INTEGER;
CREATE INDEX ix_run_writes_status ON run_writes (status);
