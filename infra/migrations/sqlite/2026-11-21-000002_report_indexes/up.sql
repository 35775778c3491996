-- Indexes for the reports (GROUP BY over the issues created in a window, per scope), sized for
-- a district's 100 000 issues.
-- A community official's or a street dispatcher's reports: their issues in a window.
CREATE INDEX issues_community_created ON issues (community_id, created_at);
CREATE INDEX issues_street_created ON issues (street_id, created_at);
-- Per company: property-company ratings (by handler) and summaries by managing company.
CREATE INDEX issues_company_created ON issues (property_company_id, created_at);
CREATE INDEX issues_handler_created ON issues (handler_kind, handler_id, created_at);
-- Revisit outcomes (回头看) per issue.
CREATE INDEX issue_events_kind_issue ON issue_events (kind, issue_id);
-- Assessments of a compound (the scope filters join through compounds).
CREATE INDEX assessments_compound ON assessments (compound_id, period);
