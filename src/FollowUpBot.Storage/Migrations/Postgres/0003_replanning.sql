-- The PostgreSQL twin of Sqlite/0003_replanning.sql.
-- Re-planning needs to know when the member marked a nudge done or skipped (a thank-you sent late moves the
-- follow-up that counts from it), a member's public-holiday country (NULL: the community's Bot:HolidayCountry;
-- 'none': no holidays), and each member's waiting nudges at once (no two nudges of different kinds within the
-- playbook's spacing, across all their interviews).

ALTER TABLE nudges ADD COLUMN marked_at TEXT NULL;

ALTER TABLE members ADD COLUMN holiday_country TEXT NULL;
-- (nudges (member_id) has had its index here since 0001; SQLite gets its own in this migration.)
