DROP TABLE work_calendars;
