-- The district office's assessment scheme (考核评价办法) per year: each POST adds a version and
-- the latest version of a year is the one a rating run uses. The scheme itself (weights,
-- checklist, thresholds, stars, minimum samples) is a JSON document the domain validated; a
-- rating run copies it, so a later version never changes a published result.
CREATE TABLE assessment_schemes (
    id BIGSERIAL PRIMARY KEY,
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    spec TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    UNIQUE (year, version)
);
