-- The reasons a resident gave with a rating of 1–2 or "not resolved" (one row per reason),
-- written with the confirmation event; counted per company in the reports.
CREATE TABLE dissatisfaction_reasons (
    event_id BIGINT NOT NULL REFERENCES issue_events(id),
    reason TEXT NOT NULL,
    issue_id BIGINT NOT NULL REFERENCES issues(id),
    PRIMARY KEY (event_id, reason)
);
CREATE INDEX dissatisfaction_reasons_issue ON dissatisfaction_reasons (issue_id);
