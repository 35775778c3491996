-- Rectification orders (整改通知) of the district office to a company graded 较差 in a
-- published rating: items (JSON), a due date, the company's answer (accepted with a plan, or
-- refused) and the office's closing (fulfilled or failed). Times are epoch milliseconds.
CREATE TABLE rectification_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id BIGINT NOT NULL REFERENCES rating_runs(id),
    period TEXT NOT NULL,
    property_company_id BIGINT NOT NULL REFERENCES property_companies(id),
    items TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    issued_by BIGINT NOT NULL REFERENCES users(id),
    issued_at BIGINT NOT NULL,
    plan TEXT,
    answer_note TEXT,
    answered_by BIGINT REFERENCES users(id),
    answered_at BIGINT,
    closing_note TEXT,
    closed_by BIGINT REFERENCES users(id),
    closed_at BIGINT
);
CREATE INDEX rectification_orders_company ON rectification_orders (property_company_id, id);
CREATE INDEX rectification_orders_run ON rectification_orders (run_id, id);
CREATE INDEX rectification_orders_due ON rectification_orders (due_at);
