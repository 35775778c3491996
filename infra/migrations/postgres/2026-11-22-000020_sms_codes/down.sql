DROP TABLE sms_codes;
