-- Flow leases, version 6: one run per flow at a time across processes (the server, and a CLI run beside it). A lease
-- is held by one owner until it is released or expires; the holder renews it while the run lasts, so a process that
-- dies frees its flow within one lease period.
CREATE TABLE flow_leases (
    flow_id     INTEGER PRIMARY KEY,
    owner       TEXT    NOT NULL,
    trigger     TEXT    NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
