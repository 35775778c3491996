-- The category catalogue as data: the district office (区物管办) edits it, routing reads it.
-- `kinds`: the request types that may be filed under the category, comma-separated.
-- `response_minutes` / `resolution_minutes`: the category's own spans, replacing the urgency's.
-- A category is never deleted (issues keep its code); `active = FALSE` retires it.
CREATE TABLE categories (
    code TEXT PRIMARY KEY NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kinds TEXT NOT NULL,
    default_level TEXT,
    default_urgency TEXT NOT NULL,
    photos_expected BOOLEAN NOT NULL DEFAULT FALSE,
    stop_notice TEXT,
    response_minutes INTEGER,
    resolution_minutes INTEGER,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX categories_position ON categories (position, code);

INSERT INTO categories (code, name_zh, name_en, kinds, default_level, default_urgency,
        photos_expected, stop_notice, response_minutes, resolution_minutes, active, position, updated_at)
VALUES
    ('fire_escape_blocked', '消防通道堵塞', 'Blocked fire escape', 'complaint,help', 'property', 'emergency', TRUE, NULL, NULL, NULL, TRUE, 10, 0),
    ('flying_wire_charging', '飞线充电', 'Flying-wire e-bike charging', 'complaint,help', 'property', 'emergency', TRUE, NULL, NULL, NULL, TRUE, 20, 0),
    ('gas_leak', '燃气泄漏', 'Gas leak', 'complaint,help', 'department', 'emergency', FALSE, '燃气泄漏请立即拨打119并撤离，不要在此报修', NULL, NULL, TRUE, 30, 0),
    ('elevator_entrapment', '电梯困人', 'People trapped in a lift', 'complaint,help', 'property', 'emergency', FALSE, NULL, 30, NULL, TRUE, 40, 0),
    ('water_leak', '漏水', 'Water leak', 'complaint,help,consultation,suggestion,praise', 'property', 'urgent', TRUE, NULL, NULL, NULL, TRUE, 50, 0),
    ('elevator_fault', '电梯故障', 'Elevator fault', 'complaint,help,consultation,suggestion,praise', 'property', 'urgent', TRUE, NULL, NULL, NULL, TRUE, 60, 0),
    ('water_tank', '二次供水/水箱', 'Secondary water supply and tanks', 'complaint,help,consultation,suggestion,praise', 'property', 'urgent', TRUE, NULL, NULL, NULL, TRUE, 70, 0),
    ('street_lamp', '路灯损坏', 'Broken street lamp', 'complaint,help,consultation,suggestion,praise', 'property', 'normal', TRUE, NULL, NULL, NULL, TRUE, 80, 0),
    ('sanitation', '卫生清洁', 'Sanitation and cleaning', 'complaint,help,consultation,suggestion,praise', 'property', 'normal', TRUE, NULL, NULL, NULL, TRUE, 90, 0),
    ('greening', '绿化养护', 'Greening and lawn care', 'complaint,help,consultation,suggestion,praise', 'property', 'normal', FALSE, NULL, NULL, NULL, TRUE, 100, 0),
    ('parking', '停车管理', 'Parking management', 'complaint,help,consultation,suggestion,praise', 'property', 'normal', FALSE, NULL, NULL, NULL, TRUE, 110, 0),
    ('small_ads', '小广告', 'Small ads posted', 'complaint,help,consultation,suggestion,praise', 'grid', 'normal', TRUE, NULL, NULL, NULL, TRUE, 120, 0),
    ('stairwell_clutter', '楼道杂物', 'Clutter in the stairwell', 'complaint,help,consultation,suggestion,praise', 'grid', 'normal', TRUE, NULL, NULL, NULL, TRUE, 130, 0),
    ('charging_pile', '充电桩安装', 'Charging-pile installation', 'complaint,help,consultation,suggestion,praise', 'community', 'normal', FALSE, NULL, NULL, NULL, TRUE, 140, 0),
    ('elevator_installation', '加装电梯', 'Elevator installation', 'complaint,help,consultation,suggestion,praise', 'community', 'normal', FALSE, NULL, NULL, NULL, TRUE, 150, 0),
    ('neighbour_dispute', '邻里纠纷', 'Dispute between neighbours', 'complaint,help,consultation,suggestion,praise', 'mediation', 'normal', FALSE, NULL, NULL, NULL, TRUE, 160, 0),
    ('public_utilities', '水电气外部供应', 'Outside water, power or gas supply', 'complaint,help,consultation,suggestion,praise', 'department', 'urgent', FALSE, NULL, NULL, NULL, TRUE, 170, 0),
    ('other', '其他', 'Other', 'complaint,help,consultation,suggestion,praise', NULL, 'normal', FALSE, NULL, NULL, NULL, TRUE, 180, 0);

-- Request types (诉求类型) and hotline intake: the caller's name and callback number, and the
-- external ticket number (12345 工单号), searchable.
ALTER TABLE issues ADD COLUMN kind TEXT NOT NULL DEFAULT 'complaint';
ALTER TABLE issues ADD COLUMN caller_name TEXT;
ALTER TABLE issues ADD COLUMN caller_phone TEXT;
ALTER TABLE issues ADD COLUMN ticket_no TEXT;
-- The category's own response / resolution spans in minutes (电梯困人: 30), copied when filed;
-- they apply at every assignment of the case.
ALTER TABLE issues ADD COLUMN response_span_minutes INTEGER;
ALTER TABLE issues ADD COLUMN resolution_span_minutes INTEGER;
CREATE INDEX issues_ticket_no ON issues (ticket_no, id);
CREATE INDEX issues_kind ON issues (kind, id);
