-- A burst of due nudges is claimed in groups: the firing of one nudge's trigger claims it and other due nudges in one
-- statement and delivers them together. claimed_with names the nudge whose firing made the claim, so that when that
-- firing is recovered after its instance died, every nudge of the group it left in sending is resumed, and none that
-- another, live firing holds. NULL for claims made before this migration (each claimed by its own firing).

ALTER TABLE nudges ADD COLUMN claimed_with INTEGER NULL;
