-- Push to phones: every notification is also written here, in the same transaction, and a
-- worker POSTs it to the district's gateway until it is acknowledged (at least once). A row is
-- claimed by a conditional UPDATE of its lease, so several API processes never send it at once.
CREATE TABLE outbox (
    notification_id BIGINT PRIMARY KEY REFERENCES notifications(id),
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_owner TEXT,
    delivered_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Device tokens of the vendor push services; a token belongs to the account last signed in on it.
CREATE TABLE devices (
    token TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    platform TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);

-- Short-lived tickets that open an event stream from a browser (EventSource cannot set headers).
-- Only the SHA-256 of a ticket is stored.
CREATE TABLE stream_tickets (
    ticket_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    expires_at BIGINT NOT NULL
);
CREATE INDEX stream_tickets_expiry ON stream_tickets (expires_at);

-- The badge: counting a user's unread notifications reads only the unread ones.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
