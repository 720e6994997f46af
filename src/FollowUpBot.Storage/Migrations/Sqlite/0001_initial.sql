-- Times are UTC ISO-8601 text of fixed width (yyyy-MM-ddTHH:mm:ss.fffffffZ), so text order is time order.
-- Lists (interviewers, references) are JSON arrays. Enum values are their snake_case names.
-- AUTOINCREMENT keeps ids from being reused: nudge ids name Quartz triggers and delivery keys.

CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    workspace TEXT NOT NULL,
    user_id TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    quiet_start TEXT NOT NULL,
    quiet_end TEXT NOT NULL,
    time_zone_set_by_member INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    unreachable_since TEXT NULL,
    unreachable_notice_pending INTEGER NOT NULL DEFAULT 0,
    UNIQUE (platform, workspace, user_id)
);

CREATE TABLE interviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    company TEXT NOT NULL,
    role TEXT NULL,
    interviewers TEXT NOT NULL,
    format TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    decision_date TEXT NULL,
    follow_up_invited INTEGER NOT NULL DEFAULT 0,
    reference_names TEXT NOT NULL,
    notes TEXT NULL,
    created_at TEXT NOT NULL,
    outcome TEXT NULL,
    outcome_at TEXT NULL,
    follow_ups_logged INTEGER NOT NULL DEFAULT 0,
    last_follow_up_at TEXT NULL,
    UNIQUE (member_id, number)
);

CREATE TABLE nudges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id INTEGER NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    due_at TEXT NOT NULL,
    interviewer TEXT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    deliveries INTEGER NOT NULL DEFAULT 0,
    claimed_at TEXT NULL,
    sent_at TEXT NULL,
    last_error TEXT NULL
);

CREATE INDEX ix_nudges_state_due_at ON nudges (state, due_at);
CREATE INDEX ix_nudges_interview_id ON nudges (interview_id);

-- One row per message that reached a member: the unique key makes a second record of one send impossible.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_key TEXT NOT NULL UNIQUE,
    nudge_id INTEGER NOT NULL REFERENCES nudges (id) ON DELETE CASCADE,
    delivered_at TEXT NOT NULL
);

CREATE TABLE form_drafts (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    form_id TEXT NOT NULL,
    field_values TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (member_id, form_id)
);
