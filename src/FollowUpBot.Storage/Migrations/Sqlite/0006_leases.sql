-- Leases shared by the instances of one bot: a Discord shard (discord:shard:<id>/<count>) or the one-time command
-- registration (discord:commands:<application>:<hash>) belongs to one holder (an instance id, new every process
-- start) until expires_at (Unix time in milliseconds, by the holder's clock). Claimed, renewed and taken over by one
-- conditional upsert each (SqlLeaseStore); a released lease is deleted.

CREATE TABLE leases (
    resource TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
