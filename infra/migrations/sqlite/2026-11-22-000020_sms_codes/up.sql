-- SMS verification codes (验证码), counted here so the per-phone limits hold across API nodes.
-- Only a keyed hash of the code is stored; times are Unix epoch milliseconds.
CREATE TABLE sms_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    consumed_at BIGINT
);
-- Codes sent to a phone in the last minute / day (the send limits).
CREATE INDEX sms_codes_phone_created ON sms_codes (phone, created_at);
-- The latest code of a phone for a purpose (verification).
CREATE INDEX sms_codes_phone_purpose_created ON sms_codes (phone, purpose, created_at);
-- Pruning old rows.
CREATE INDEX sms_codes_created ON sms_codes (created_at);
