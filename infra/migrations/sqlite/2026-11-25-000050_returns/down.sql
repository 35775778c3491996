ALTER TABLE issues DROP COLUMN returns_overruled;
ALTER TABLE issues DROP COLUMN returns_upheld;
ALTER TABLE issues DROP COLUMN return_count;
ALTER TABLE issues DROP COLUMN returned_from;
