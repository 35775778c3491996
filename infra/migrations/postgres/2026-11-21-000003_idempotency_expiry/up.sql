-- Expired Idempotency-Key rows are purged by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
