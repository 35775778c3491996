-- 退单 with adjudication: while `returned`, the status the case was returned from (where a
-- return not upheld sends it back); how often its handlers returned it, and how many of those
-- returns the dispatcher upheld or overruled (回退率 in the summary report).
ALTER TABLE issues ADD COLUMN returned_from TEXT;
ALTER TABLE issues ADD COLUMN return_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN returns_upheld INTEGER NOT NULL DEFAULT 0;
ALTER TABLE issues ADD COLUMN returns_overruled INTEGER NOT NULL DEFAULT 0;
