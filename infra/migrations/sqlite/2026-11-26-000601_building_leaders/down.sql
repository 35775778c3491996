DROP INDEX issues_building;
