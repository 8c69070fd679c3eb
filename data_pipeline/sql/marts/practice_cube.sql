-- Practice-area grades counted by every filter the dashboard offers: what the practice heatmap and the
-- before-and-after comparisons count, without joining millions of grades to their audits per view.
CREATE OR REPLACE TABLE practice_cube AS
WITH graded AS (
    SELECT a.cycle, a.service_area, a.team, a.case_type, a.instrument, a.scale, pg.practice_area, pg.grade
    FROM audit_grades pg JOIN audits a ON a.audit_id = pg.audit_id
), final AS (
    SELECT *, count(*)::BIGINT AS n FROM graded GROUP BY ALL
)
SELECT * FROM final ORDER BY ALL;
