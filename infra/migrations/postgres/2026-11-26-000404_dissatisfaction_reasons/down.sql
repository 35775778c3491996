DROP TABLE dissatisfaction_reasons;
