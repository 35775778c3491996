-- 督办, 延期 and merging duplicates (issue 12): how often a case was urged; extensions approved
-- and the date of the request pending a decision; the primary case a duplicate was merged into.
ALTER TABLE issues ADD COLUMN urge_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN extension_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN pending_extension_due BIGINT;
ALTER TABLE issues ADD COLUMN merged_into BIGINT REFERENCES issues (id);
CREATE INDEX issues_by_merged_into ON issues (merged_into);

-- A handler's request for a later resolution deadline and the dispatcher's decision on it.
-- status: 'pending' | 'approved' | 'refused'; at most one pending per issue (the issue's
-- pending_extension_due, written in the same transaction, is the state machine's guard).
CREATE TABLE extension_requests (
    id BIGSERIAL PRIMARY KEY,
    issue_id BIGINT NOT NULL REFERENCES issues (id),
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at BIGINT NOT NULL,
    new_resolution_due BIGINT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    decision_note TEXT
);
CREATE INDEX extension_requests_by_issue ON extension_requests (issue_id, id);

-- The people who follow a primary case because their own report, or their "me too", was merged
-- into it: they are told of its changes and find it among their own (mine=true).
CREATE TABLE issue_followers (
    issue_id BIGINT NOT NULL REFERENCES issues (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    merged_from BIGINT NOT NULL REFERENCES issues (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX issue_followers_by_user ON issue_followers (user_id, issue_id);
