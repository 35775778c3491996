DROP TABLE survey_responses;
DROP TABLE survey_respondents;
DROP TABLE survey_compounds;
DROP TABLE surveys;
