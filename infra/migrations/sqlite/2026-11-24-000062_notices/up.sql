-- The notice board (公告/公示): notices published by a property company, a community or the
-- district to some compounds; an outage notice covers filing categories until it expires.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    pinned BOOLEAN NOT NULL,
    -- Who publishes it: 'property_company' | 'community' | 'district', and the id but for the district.
    publisher_kind TEXT NOT NULL,
    publisher_id BIGINT,
    -- The publisher's name when it was published (what the board shows).
    publisher_name TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    withdrawn_at BIGINT,
    withdrawn_by BIGINT REFERENCES users (id)
);
CREATE TABLE notice_compounds (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    compound_id BIGINT NOT NULL REFERENCES compounds (id),
    PRIMARY KEY (notice_id, compound_id)
);
CREATE INDEX notice_compounds_by_compound ON notice_compounds (compound_id, notice_id);
CREATE TABLE notice_categories (
    notice_id BIGINT NOT NULL REFERENCES notices (id),
    category TEXT NOT NULL,
    PRIMARY KEY (notice_id, category)
);
