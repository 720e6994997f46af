-- "Possible repeat" becomes a flag of its own: a send that failed mid-way (its fate unknown) releases the nudge with
-- possible_repeat set, so the next attempt tells the platform to check before sending; a delivery clears it. It used to
-- be read from a phrase in last_error, which is there for people; the backfill carries that over for nudges waiting now.

ALTER TABLE nudges ADD COLUMN possible_repeat INTEGER NOT NULL DEFAULT 0;
UPDATE nudges SET possible_repeat = 1 WHERE last_error LIKE '%may already have reached the member%';
