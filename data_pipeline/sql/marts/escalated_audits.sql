-- The audits that had to be escalated: graded Inadequate (by auditor or moderator) or the child not safe.
-- The one statement of the escalation rule: audit_cube marks ``escalated`` from this table, and the read side
-- only reads the two. A few percent of all audits, so the escalation list and its oversight figures read a
-- small table. Built before audit_cube (data_pipeline/marts.py).
CREATE OR REPLACE TABLE escalated_audits AS
WITH escalated AS (
    SELECT audit_id, cycle, audit_date, service_area, team, case_type, instrument, overall_grade, moderated_grade,
           child_safe, oversight_date
    FROM audits
    WHERE (overall_grade = 'Inadequate' OR moderated_grade = 'Inadequate' OR child_safe = false) IS TRUE
)
SELECT * FROM escalated ORDER BY audit_date, audit_id;
