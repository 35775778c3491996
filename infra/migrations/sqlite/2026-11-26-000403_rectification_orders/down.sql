DROP TABLE rectification_orders;
