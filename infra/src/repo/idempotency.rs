//! Stored responses of POST /issues per (user, Idempotency-Key).
