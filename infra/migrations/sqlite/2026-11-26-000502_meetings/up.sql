-- Meetings that decide several cases (联席会议, 民情恳谈会, 民主议事会议): their attendees, the
-- cases on the agenda or raised there with each decision, and the compounds the published
-- decisions are shown to.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    compound_id BIGINT REFERENCES compounds (id),
    held_at BIGINT NOT NULL,
    venue TEXT NOT NULL,
    minutes TEXT,
    published_at BIGINT,
    -- The notice the publication put on the board.
    notice_id BIGINT REFERENCES notices (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_by_community ON meetings (community_id, id);
CREATE TABLE meeting_attendees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    user_id BIGINT REFERENCES users (id),
    name TEXT NOT NULL,
    role_label TEXT NOT NULL
);
CREATE INDEX meeting_attendees_by_meeting ON meeting_attendees (meeting_id, id);
-- One row per case: on the agenda ('agenda', decided at most once) or raised at the meeting
-- ('raised', filed with source 'meeting').
CREATE TABLE meeting_cases (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    issue_id BIGINT NOT NULL REFERENCES issues (id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    outcome TEXT,
    decision TEXT,
    resolution_due BIGINT,
    votes_for INTEGER,
    votes_against INTEGER,
    votes_abstain INTEGER,
    decided_by BIGINT REFERENCES users (id),
    decided_at BIGINT,
    event_id BIGINT REFERENCES issue_events (id),
    PRIMARY KEY (meeting_id, issue_id)
);
CREATE INDEX meeting_cases_by_issue ON meeting_cases (issue_id);
CREATE TABLE meeting_compounds (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    compound_id BIGINT NOT NULL REFERENCES compounds (id),
    PRIMARY KEY (meeting_id, compound_id)
);
CREATE INDEX meeting_compounds_by_compound ON meeting_compounds (compound_id, meeting_id);
