-- Photo bytes in the database, by content hash: what `LINLI_PHOTO_STORE=database` keeps (the
-- default on PostgreSQL, so every API node serves every photo).
CREATE TABLE photo_blobs (
    hash TEXT PRIMARY KEY NOT NULL,
    bytes BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
