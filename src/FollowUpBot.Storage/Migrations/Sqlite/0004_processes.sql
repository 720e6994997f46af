-- An application is a process: the rounds of one company share process_id (the id of the first round; NULL on a
-- first round, read as its own id). No foreign key on purpose: forgetting round 1 leaves round 2 pointing at an id
-- that is never reused (AUTOINCREMENT), so the remaining rounds still group together.
-- next_round_at (a time) and offer_deadline (a date) are what the member said with those outcomes;
-- open_questions lists (JSON) the details a one-line /interview done skipped and the member has not answered yet.
-- New outcome names: next_round, no_reply, accepted, closed_no_reply.

ALTER TABLE interviews ADD COLUMN process_id INTEGER NULL;
ALTER TABLE interviews ADD COLUMN round_number INTEGER NOT NULL DEFAULT 1;
ALTER TABLE interviews ADD COLUMN next_round_at TEXT NULL;
ALTER TABLE interviews ADD COLUMN offer_deadline TEXT NULL;
ALTER TABLE interviews ADD COLUMN open_questions TEXT NOT NULL DEFAULT '[]';

CREATE INDEX ix_interviews_process_id ON interviews (process_id);
