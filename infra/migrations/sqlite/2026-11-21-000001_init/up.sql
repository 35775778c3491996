-- Organisation tree of one district. All times are Unix epoch milliseconds (UTC).
CREATE TABLE streets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE communities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    street_id BIGINT NOT NULL REFERENCES streets(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (street_id, name)
);

CREATE TABLE grids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (community_id, name)
);

CREATE TABLE property_companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE compounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    name TEXT NOT NULL,
    -- the company managing it now; the history is in compound_companies
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    committee_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (community_id, name)
);
CREATE INDEX compounds_company ON compounds (property_company_id);

CREATE TABLE compound_companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    since BIGINT NOT NULL,
    until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX compound_companies_compound ON compound_companies (compound_id, since);

CREATE TABLE buildings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    name TEXT NOT NULL,
    grid_id BIGINT NOT NULL REFERENCES grids(id),
    created_at BIGINT NOT NULL,
    UNIQUE (compound_id, name)
);

-- Accounts. scope_id names a street, community, grid, compound or company depending on role.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    scope_id BIGINT,
    compound_id BIGINT REFERENCES compounds(id),
    building_id BIGINT REFERENCES buildings(id),
    unit TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_role_scope ON users (role, scope_id);

-- Opaque refresh tokens, stored only as SHA-256 hashes, rotated on every use.
CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Failed logins per phone, counted in the database so several API nodes share the limit.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    phone TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_phone_at ON login_failures (phone, at);

-- Issues (诉求): the current state, a projection of issue_events.
CREATE TABLE issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_id BIGINT NOT NULL REFERENCES users(id),
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    street_id BIGINT NOT NULL REFERENCES streets(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    building_id BIGINT REFERENCES buildings(id),
    grid_id BIGINT REFERENCES grids(id),
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    description TEXT NOT NULL,
    unit TEXT,
    location_text TEXT,
    lat DOUBLE,
    lon DOUBLE,
    is_public BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    status_since BIGINT NOT NULL,
    suggestion TEXT NOT NULL,
    level TEXT,
    handler_kind TEXT,
    handler_id BIGINT,
    handler_name TEXT,
    urgency TEXT NOT NULL,
    response_due BIGINT NOT NULL,
    resolution_due BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    triaged_at BIGINT,
    responded_at BIGINT,
    rectified_at BIGINT,
    supervised_at BIGINT,
    closed_at BIGINT,
    closure TEXT,
    satisfaction INTEGER,
    reopen_count INTEGER NOT NULL,
    sent_back_count INTEGER NOT NULL,
    escalation_step INTEGER NOT NULL,
    revisit_queued BOOLEAN NOT NULL,
    revisited_at BIGINT,
    support_count INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX issues_reporter ON issues (reporter_id, id);
CREATE INDEX issues_compound ON issues (compound_id, id);
CREATE INDEX issues_community ON issues (community_id, id);
CREATE INDEX issues_street ON issues (street_id, id);
CREATE INDEX issues_grid ON issues (grid_id, id);
CREATE INDEX issues_handler ON issues (handler_kind, handler_id, id);
CREATE INDEX issues_status ON issues (status, id);
CREATE INDEX issues_created ON issues (created_at);
CREATE INDEX issues_open_deadlines ON issues (status, resolution_due);
CREATE INDEX issues_closed ON issues (closed_at);

-- The append-only timeline. (issue_id, seq) is unique: an event is never written twice.
CREATE TABLE issue_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id BIGINT NOT NULL REFERENCES issues(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    actor_role TEXT,
    at BIGINT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (issue_id, seq)
);
CREATE INDEX issue_events_kind_at ON issue_events (kind, at);

CREATE TABLE photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id BIGINT NOT NULL REFERENCES issues(id),
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    content_hash TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX photos_issue ON photos (issue_id, id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id BIGINT NOT NULL REFERENCES issues(id),
    author_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    internal BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_issue ON comments (issue_id, id);

-- "Me too" (附议): one per resident and issue.
CREATE TABLE supports (
    issue_id BIGINT NOT NULL REFERENCES issues(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issue_id, user_id)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    issue_id BIGINT NOT NULL REFERENCES issues(id),
    event_id BIGINT REFERENCES issue_events(id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Stored responses of POST /issues, per user and Idempotency-Key, kept at least 24 h.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

-- Daily work assessments (日常工作考核) of property companies by community officials.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    period TEXT NOT NULL,
    score INTEGER NOT NULL,
    notes TEXT NOT NULL,
    assessor_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX assessments_period ON assessments (period, property_company_id);
