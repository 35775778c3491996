-- Building leaders (楼栋长) list the cases of their building: `issues_building` (patrols) serves.

-- 小事居民治: small ads and stairwell clutter go first to the building's leaders, with the grid
-- worker as backstop (a district may route them elsewhere: the catalogue is data).
UPDATE categories SET default_level = 'residents'
    WHERE code IN ('small_ads', 'stairwell_clutter') AND default_level = 'grid';
