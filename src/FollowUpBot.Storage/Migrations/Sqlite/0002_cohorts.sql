-- Coach cohorts, members' consent to be followed in them, and one row per digest run (its unique key makes a
-- double fire of one scheduled digest post once). A cohort belongs to the coach who created it: deleting the
-- coach's member row removes their cohorts, and deleting a cohort removes its memberships and runs.

CREATE TABLE cohorts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    workspace TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    coach_member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    join_code TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    digest_schedule TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_digest_at TEXT NULL
);

CREATE INDEX ix_cohorts_coach ON cohorts (coach_member_id);

CREATE TABLE cohort_memberships (
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    visibility TEXT NOT NULL,
    display_name TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (cohort_id, member_id)
);

CREATE INDEX ix_cohort_memberships_member ON cohort_memberships (member_id);

CREATE TABLE digest_runs (
    run_key TEXT PRIMARY KEY,
    cohort_id INTEGER NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    posted INTEGER NULL
);

-- Retention looks for interviews by when their outcome was recorded.
CREATE INDEX ix_interviews_outcome_at ON interviews (outcome_at);
