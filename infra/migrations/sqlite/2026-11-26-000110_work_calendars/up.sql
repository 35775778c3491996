-- The working-day calendar (节假日安排) per year, as the district office maintains it: the
-- holidays and the 调休 make-up working days, a JSON document the domain validated
-- (`YearCalendarData`). A year without a row is a plain Monday-Friday week. Deadlines are
-- computed from these rows when a handler is assigned; every API node reads them here.
CREATE TABLE work_calendars (
    year INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

-- The State Council's 2026 calendar (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025).
INSERT INTO work_calendars (year, data, updated_by, updated_at) VALUES
    (2026, '{"year":2026,"holidays":["2026-01-01","2026-01-02","2026-01-03","2026-02-15","2026-02-16","2026-02-17","2026-02-18","2026-02-19","2026-02-20","2026-02-21","2026-02-22","2026-02-23","2026-04-04","2026-04-05","2026-04-06","2026-05-01","2026-05-02","2026-05-03","2026-05-04","2026-05-05","2026-06-19","2026-06-20","2026-06-21","2026-09-25","2026-09-26","2026-09-27","2026-10-01","2026-10-02","2026-10-03","2026-10-04","2026-10-05","2026-10-06","2026-10-07"],"make_up_working_days":["2026-01-04","2026-02-14","2026-02-28","2026-05-09","2026-09-20","2026-10-10"]}', NULL, 1762214400000);
