-- Actions raised from audits that graded an area of practice below good, counted by the audit's service area,
-- cycle and area of practice (the learning loop's findings), and by the service area and team the action itself is
-- filed under (what the actions filters read). The loop (qa_read/loop.py) sums these rather than joining every
-- action to every grade on each view: at national scale that join took two seconds. Cancelled actions are left out.
CREATE OR REPLACE TABLE weak_area_actions AS
WITH linked AS (
    SELECT DISTINCT x.action_id, x.completed_date, x.service_area AS action_service_area, x.team AS action_team,
           a.scale, a.service_area, a.cycle, g.practice_area
    FROM actions x
    JOIN audits a ON a.audit_id = x.audit_id
    JOIN audit_grades g ON g.audit_id = a.audit_id
    JOIN grade_scale s ON s.scale = a.scale AND s.grade = g.grade
    WHERE x.status <> 'Cancelled' AND NOT s.good_or_better
)
SELECT action_service_area, action_team, scale, service_area, cycle, practice_area,
       count(*) AS actions, count(completed_date) AS completed, max(completed_date) AS last_completed
FROM linked
GROUP BY ALL
ORDER BY service_area, cycle, practice_area;
