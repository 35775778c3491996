DROP TABLE rating_runs;
