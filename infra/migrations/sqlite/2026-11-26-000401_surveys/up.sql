-- Satisfaction surveys (社会满意度调查) of a quarter over some compounds, by the district office
-- or a community (community_id). The questions are a JSON document the domain validated.
-- Times are Unix epoch milliseconds.
CREATE TABLE surveys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    period TEXT NOT NULL,
    questions TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    community_id BIGINT REFERENCES communities(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX surveys_period ON surveys (period, id);
-- The surveyed compounds, with the company managing each when the survey was set.
CREATE TABLE survey_compounds (
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    PRIMARY KEY (survey_id, compound_id)
);
CREATE INDEX survey_compounds_by_compound ON survey_compounds (compound_id, survey_id);
-- Who has answered (once each): kept apart from the answers, which name nobody.
CREATE TABLE survey_respondents (
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (survey_id, user_id)
);
-- The anonymous answer sheets: the compound and its company, the answers as JSON; no user,
-- no time.
CREATE TABLE survey_responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    answers TEXT NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, compound_id);
