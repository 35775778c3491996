-- Phone-friendly photos: every upload is stored as a re-encoded original (EXIF/XMP dropped,
-- orientation applied, at most 2560 px) and a 400 px JPEG thumbnail, both by content hash in
-- the photo store. NULL for photos stored before this migration: their thumbnail is made on
-- first request.
ALTER TABLE photos ADD COLUMN thumbnail_hash TEXT;
