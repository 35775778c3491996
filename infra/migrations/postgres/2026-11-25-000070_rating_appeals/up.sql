-- Appeals (异议) of a property company against a published rating, within 7 days, and the
-- district office's decision: `upheld`, or `amended` with the revision it published
-- (revision_id). Times are Unix epoch milliseconds.
CREATE TABLE rating_appeals (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES rating_runs(id),
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    reason TEXT NOT NULL,
    filed_by BIGINT NOT NULL REFERENCES users(id),
    filed_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    decision_note TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    revision_id BIGINT REFERENCES rating_runs(id)
);
CREATE INDEX rating_appeals_run ON rating_appeals (run_id, id);
