DROP TABLE assessment_photos;
ALTER TABLE assessments DROP COLUMN items;
ALTER TABLE assessments DROP COLUMN month;
