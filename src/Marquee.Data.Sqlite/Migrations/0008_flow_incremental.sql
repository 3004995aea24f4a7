-- Flow reconciliation, version 7: a flow's incremental run (an interval, a cron expression or 'off') beside its full run
-- (schedule). NULL in either column is the default: incremental every 15 minutes, full nightly.
ALTER TABLE flows ADD COLUMN incremental TEXT;
