-- Every later audit of an escalated audit's child, with its grade and whether it was escalated too: what the
-- learning loop (qa_read/loop.py) reads as re-examination, without joining all audits to themselves on each view.
-- A few per cent of escalations have one. Built after escalated_audits.
CREATE OR REPLACE TABLE escalation_followups AS
SELECT e.audit_id AS escalated_id, r.audit_id AS reaudit_id, r.audit_date AS reaudit_date,
       coalesce(r.moderated_grade, r.overall_grade) AS reaudit_grade,
       r.audit_id IN (SELECT audit_id FROM escalated_audits) AS reaudit_escalated
FROM escalated_audits e
JOIN audits c ON c.audit_id = e.audit_id
JOIN audits r ON r.child_key = c.child_key AND r.audit_date > e.audit_date
ORDER BY escalated_id, reaudit_date, reaudit_id;
