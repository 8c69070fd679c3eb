-- Audits counted by every filter the dashboard offers and every audit-level attribute a chart counts.
-- Read-side counts sum ``n`` here instead of scanning audits; row-level lists still read audits.
CREATE OR REPLACE TABLE audit_cube AS
WITH voiced AS (
    SELECT DISTINCT audit_id FROM child_voice WHERE audit_id IS NOT NULL
), marked AS (
    SELECT a.cycle, a.service_area, a.team, a.case_type, a.instrument, a.scale,
           a.overall_grade, a.moderated_grade, a.child_safe, a.worker_agrees,
           a.oversight_date IS NOT NULL AS overseen,
           e.audit_id IS NOT NULL AS escalated,
           v.audit_id IS NOT NULL AS voiced
    FROM audits a
    LEFT JOIN voiced v ON v.audit_id = a.audit_id
    LEFT JOIN escalated_audits e ON e.audit_id = a.audit_id
), final AS (
    SELECT *, count(*)::BIGINT AS n FROM marked GROUP BY ALL
)
SELECT * FROM final ORDER BY ALL;
