DROP TABLE issue_followers;
DROP TABLE extension_requests;
DROP INDEX issues_by_merged_into;
ALTER TABLE issues DROP COLUMN merged_into;
ALTER TABLE issues DROP COLUMN pending_extension_due;
ALTER TABLE issues DROP COLUMN extension_count;
ALTER TABLE issues DROP COLUMN urge_count;
