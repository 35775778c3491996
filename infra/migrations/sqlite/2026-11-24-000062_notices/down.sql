DROP TABLE notice_categories;
DROP TABLE notice_compounds;
DROP TABLE notices;
