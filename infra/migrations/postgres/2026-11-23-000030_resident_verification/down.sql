DROP TABLE invitations;
DROP INDEX users_compound_verification;
ALTER TABLE users DROP COLUMN verified_at;
ALTER TABLE users DROP COLUMN verified_by;
ALTER TABLE users DROP COLUMN verification_note;
ALTER TABLE users DROP COLUMN verification;
