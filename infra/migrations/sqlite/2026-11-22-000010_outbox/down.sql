DROP INDEX notifications_unread;
DROP TABLE stream_tickets;
DROP TABLE devices;
DROP TABLE outbox;
