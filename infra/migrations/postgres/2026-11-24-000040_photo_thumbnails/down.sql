ALTER TABLE photos DROP COLUMN thumbnail_hash;
