-- A write the server acknowledged is trusted only once a read shows it. Until then its baseline keeps what the last
-- read showed (JSON), and the journal counts how many times a read contradicted the write.
ALTER TABLE observed_state ADD COLUMN confirmed TEXT;
ALTER TABLE run_writes ADD COLUMN not_taken INTEGER NOT NULL DEFAULT 0;
