-- The PostgreSQL twin of Sqlite/0004_processes.sql: rounds of one company share process_id (the first round's id;
-- NULL on a first round). No foreign key on purpose: identity ids are never reused, so rounds left after a forgotten
-- first round still group together.

ALTER TABLE interviews ADD COLUMN process_id BIGINT NULL;
ALTER TABLE interviews ADD COLUMN round_number INTEGER NOT NULL DEFAULT 1;
ALTER TABLE interviews ADD COLUMN next_round_at TEXT NULL;
ALTER TABLE interviews ADD COLUMN offer_deadline TEXT NULL;
ALTER TABLE interviews ADD COLUMN open_questions TEXT NOT NULL DEFAULT '[]';

CREATE INDEX ix_interviews_process_id ON interviews (process_id);
