-- The PostgreSQL twin of Sqlite/0007_coach_view.sql: coaches' numbers and their private web view.
-- follow_up_times lists (JSON) when each follow-up was logged, so the weekly trend counts a follow-up in the week it
-- happened; rows from before this migration know only their latest one.
-- A one-time link to the web view and a browser session store only the SHA-256 of their token (a copy of the
-- database opens nothing); a link is redeemed by one conditional UPDATE, so it works once across all instances.
-- Both go with their coach's member row.

ALTER TABLE interviews ADD COLUMN follow_up_times TEXT NOT NULL DEFAULT '[]';
UPDATE interviews SET follow_up_times = '["' || last_follow_up_at || '"]' WHERE last_follow_up_at IS NOT NULL;

CREATE TABLE dashboard_links (
    token_hash TEXT PRIMARY KEY,
    coach_member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT NULL
);

CREATE INDEX ix_dashboard_links_expires_at ON dashboard_links (expires_at);

CREATE TABLE dashboard_sessions (
    session_hash TEXT PRIMARY KEY,
    coach_member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX ix_dashboard_sessions_expires_at ON dashboard_sessions (expires_at);
CREATE INDEX ix_dashboard_sessions_coach ON dashboard_sessions (coach_member_id);
CREATE INDEX ix_dashboard_links_coach ON dashboard_links (coach_member_id);
