-- Identity, version 14: each stored link keeps a 64-bit fingerprint of what it was stored with (item, kind, library,
-- guid, part key). A full run loads it with the link and leaves a listed entry whose fingerprint is unchanged as stored,
-- instead of storing every link again. Links stored before have none: each is stored once more and gets one.
ALTER TABLE source_items ADD COLUMN fingerprint INTEGER;
