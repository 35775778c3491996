-- Building leaders (楼栋长) list the cases of their building.
CREATE INDEX issues_building ON issues (building_id, id);
