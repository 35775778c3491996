DROP TABLE meeting_compounds;
DROP TABLE meeting_cases;
DROP TABLE meeting_attendees;
DROP TABLE meetings;
