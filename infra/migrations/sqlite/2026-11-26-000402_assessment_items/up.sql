-- Itemised daily assessments (日常工作考核): the month assessed (YYYY-MM; null for the older
-- quarterly ones) and the score per checklist item of the year's scheme with notes (JSON);
-- evidence photos in the photo store.
ALTER TABLE assessments ADD COLUMN month TEXT;
ALTER TABLE assessments ADD COLUMN items TEXT;
CREATE TABLE assessment_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    content_hash TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX assessment_photos_assessment ON assessment_photos (assessment_id, id);
