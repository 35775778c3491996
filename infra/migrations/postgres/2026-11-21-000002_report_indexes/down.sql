DROP INDEX IF EXISTS assessments_compound;
DROP INDEX IF EXISTS issue_events_kind_issue;
DROP INDEX IF EXISTS issues_handler_created;
DROP INDEX IF EXISTS issues_company_created;
DROP INDEX IF EXISTS issues_street_created;
DROP INDEX IF EXISTS issues_community_created;
