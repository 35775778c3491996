DROP TABLE rating_appeals;
