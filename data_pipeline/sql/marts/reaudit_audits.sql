-- The audits of children audited in more than one cycle: the only audits a re-audit comparison can use,
-- whatever the filters, since a child re-audited within a filter is re-audited in the whole warehouse.
-- Children are numbered, so grouping by child costs an integer rather than a 64-character key.
CREATE OR REPLACE TABLE reaudit_audits AS
WITH children AS (
    SELECT child_key FROM audits
    WHERE child_key IS NOT NULL
    GROUP BY child_key HAVING count(DISTINCT cycle) > 1
), numbered AS (
    SELECT child_key, (row_number() OVER (ORDER BY child_key))::INTEGER AS child_id FROM children
), final AS (
    SELECT n.child_id, a.audit_id, a.cycle, a.audit_date, a.service_area, a.team, a.case_type, a.instrument,
           a.scale, a.overall_grade
    FROM audits a JOIN numbered n ON n.child_key = a.child_key
)
SELECT * FROM final ORDER BY child_id, cycle, audit_date, audit_id;
