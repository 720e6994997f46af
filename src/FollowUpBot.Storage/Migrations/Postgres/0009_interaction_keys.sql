-- Interactions a platform may deliver again (Slack redelivers a command whose ack was late, possibly to another
-- instance) are recorded in handled_interactions in the same transaction as their effects (BeginWriteAsync).
-- handled_by names the handling flow, so that its own later transactions find their key and go on, while another
-- delivery of the same interaction finds it and is rolled back. NULL for ids claimed up front (Discord's HTTP replays).

ALTER TABLE handled_interactions ADD COLUMN handled_by TEXT;
