-- The PostgreSQL twin of Sqlite/0008_possible_repeat.sql: "possible repeat" becomes a flag of its own rather than a
-- phrase in last_error; the backfill carries the phrase over for nudges waiting now.

ALTER TABLE nudges ADD COLUMN possible_repeat BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE nudges SET possible_repeat = TRUE WHERE last_error LIKE '%may already have reached the member%';
