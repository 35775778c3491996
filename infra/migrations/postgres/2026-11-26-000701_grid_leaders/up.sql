-- What kind of unit `scope_id` names, where the role alone does not tell: `grid` for a building
-- leader over a whole grid (片长); NULL for the role's usual kind (a building leader's building).
-- `users_role_scope (role, scope_id)` still finds the leaders of a grid.
ALTER TABLE users ADD COLUMN scope_kind TEXT;
