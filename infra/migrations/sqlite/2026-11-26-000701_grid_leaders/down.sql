ALTER TABLE users DROP COLUMN scope_kind;
