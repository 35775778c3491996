-- Rating runs (星级物业评定) of a quarter: a draft the district office computed, then published
-- (红黑榜 公示). A run stores a copy of the scheme it used and the companies' results as JSON
-- documents, so nothing that happens later (new cases, a new scheme version) changes it. An
-- amendment after an appeal is a new published run with the next revision; the one it amends
-- becomes `superseded`. Times are Unix epoch milliseconds.
CREATE TABLE rating_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    period TEXT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES assessment_schemes(id),
    scheme TEXT NOT NULL,
    results TEXT NOT NULL,
    status TEXT NOT NULL,
    revision INTEGER,
    amends_id BIGINT REFERENCES rating_runs(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    published_at BIGINT
);
-- One publication per revision and period (drafts have none).
CREATE UNIQUE INDEX rating_runs_period_revision ON rating_runs (period, revision);
