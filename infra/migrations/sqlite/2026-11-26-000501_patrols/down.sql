DROP INDEX issues_source;
DROP INDEX issues_building;
DROP TABLE patrol_findings;
DROP TABLE patrol_members;
DROP TABLE patrols;
