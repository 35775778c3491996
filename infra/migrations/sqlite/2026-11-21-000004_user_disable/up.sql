-- Staff who leave are disabled, not deleted: their actions stay attributed in the timelines.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
