DROP INDEX issues_kind;
DROP INDEX issues_ticket_no;
ALTER TABLE issues DROP COLUMN resolution_span_minutes;
ALTER TABLE issues DROP COLUMN response_span_minutes;
ALTER TABLE issues DROP COLUMN ticket_no;
ALTER TABLE issues DROP COLUMN caller_phone;
ALTER TABLE issues DROP COLUMN caller_name;
ALTER TABLE issues DROP COLUMN kind;
DROP TABLE categories;
