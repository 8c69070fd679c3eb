-- Child's-voice responses counted by the filters (case type and audit tool through the linked audit), the
-- linked audit's overall and "Voice of the child" grades, and whether each question was agreed with (a 4 or
-- 5; NULL when left blank): what the Child's voice page counts, at any scale.
CREATE OR REPLACE TABLE voice_cube AS
WITH voice_grades AS (
    SELECT audit_id, grade FROM audit_grades WHERE practice_area = 'Voice of the child'
), linked AS (
    SELECT v.cycle, v.service_area, v.team, v.respondent, a.case_type, a.instrument, a.scale, a.overall_grade,
           vg.grade AS voice_grade, a.audit_id IS NOT NULL AS linked,
           v.listened_to >= 4 AS listened_to, v.understood_why >= 4 AS understood_why,
           v.things_better >= 4 AS things_better
    FROM child_voice v
    LEFT JOIN audits a ON a.audit_id = v.audit_id
    LEFT JOIN voice_grades vg ON vg.audit_id = a.audit_id
), final AS (
    SELECT *, count(*)::BIGINT AS n FROM linked GROUP BY ALL
)
SELECT * FROM final ORDER BY ALL;
