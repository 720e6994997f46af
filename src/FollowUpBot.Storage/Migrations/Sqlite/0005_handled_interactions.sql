-- Interaction ids a platform pushed over HTTP and the bot has taken on, so that a replayed request (same signed
-- body, inside the signature's age window) is answered without running again, on whichever instance it lands.
-- Rows older than the window are deleted as new ones come in. handled_at is Unix time in milliseconds.

CREATE TABLE handled_interactions (
    platform TEXT NOT NULL,
    interaction_id TEXT NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (platform, interaction_id)
);

CREATE INDEX ix_handled_interactions_at ON handled_interactions (handled_at);
