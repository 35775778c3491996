-- Patrol rounds (巡查小分队): who walked which compound when, and the round's problem list
-- (问题清单): one finding per case it filed, fixed on the spot or followed as an open case.
CREATE TABLE patrols (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    compound_id BIGINT NOT NULL REFERENCES compounds (id),
    -- The compound's community when the round started (who may read and join it).
    community_id BIGINT NOT NULL REFERENCES communities (id),
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX patrols_by_compound ON patrols (compound_id, id);
CREATE TABLE patrol_members (
    patrol_id BIGINT NOT NULL REFERENCES patrols (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (patrol_id, user_id)
);
CREATE TABLE patrol_findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patrol_id BIGINT NOT NULL REFERENCES patrols (id),
    issue_id BIGINT NOT NULL UNIQUE REFERENCES issues (id),
    fixed_on_the_spot BOOLEAN NOT NULL,
    note TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX patrol_findings_by_patrol ON patrol_findings (patrol_id, issue_id);
-- The dynamic list is followed by building and by source too (grid and handler have indexes).
CREATE INDEX issues_building ON issues (building_id, id);
CREATE INDEX issues_source ON issues (source, id);
