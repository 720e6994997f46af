-- The PostgreSQL twin of Sqlite/0010_claim_groups.sql: claimed_with names the nudge whose trigger's firing claimed a
-- nudge (with others due at the same time), so a recovered firing resumes exactly the group it left in sending.

ALTER TABLE nudges ADD COLUMN claimed_with BIGINT NULL;
