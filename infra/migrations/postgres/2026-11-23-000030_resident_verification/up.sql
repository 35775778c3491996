-- Verified residents (业主认证): a self-registered resident is `pending` until the compound's
-- property staff or owners' committee verify (`verified`) or turn them down (`rejected`), or
-- until they register with an invitation code. NULL for staff. Residents registered before
-- this migration are taken as verified (they were accepted under the old rules).
ALTER TABLE users ADD COLUMN verification TEXT;
ALTER TABLE users ADD COLUMN verification_note TEXT;
ALTER TABLE users ADD COLUMN verified_by BIGINT REFERENCES users(id);
ALTER TABLE users ADD COLUMN verified_at BIGINT;
UPDATE users SET verification = 'verified' WHERE role = 'resident';
-- The verification queue of a compound, in id order.
CREATE INDEX users_compound_verification ON users (compound_id, verification, id);

-- Invitation codes property staff print for a building: registering with one verifies at once.
-- Only the SHA-256 of the code is stored; times are Unix epoch milliseconds.
CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    max_uses INTEGER,
    uses INTEGER NOT NULL DEFAULT 0
);
