-- Watchlist sync, version 14: per flow and pair of accounts, the titles both watchlists held after the last agreed run,
-- the proof a later removal needs (a title gone from one list is removed from the other only if it is here). Ids are
-- the title's tmdb, imdb and tvdb ids as 'scheme://value', space-separated.
CREATE TABLE watchlist_baselines (
    flow_id            INTEGER NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    source_account_id  INTEGER NOT NULL,
    target_account_id  INTEGER NOT NULL,
    kind               TEXT    NOT NULL,
    ids                TEXT    NOT NULL,
    title              TEXT,
    observed_at        INTEGER NOT NULL,
    PRIMARY KEY (flow_id, source_account_id, target_account_id, kind, ids)
);
