DROP TABLE photo_blobs;
