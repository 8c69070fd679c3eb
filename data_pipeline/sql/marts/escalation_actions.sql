-- Actions raised from escalated audits (cancelled ones left out), counted by audit and by the service area and team
-- the action is filed under (what the actions filters read). The learning loop (qa_read/loop.py) sums these
-- rather than searching every action for the escalated audits on each view. Built after escalated_audits.
CREATE OR REPLACE TABLE escalation_actions AS
SELECT x.audit_id, x.service_area AS action_service_area, x.team AS action_team, count(*) AS actions,
       count(x.completed_date) AS completed, max(x.completed_date) AS last_completed
FROM actions x
WHERE x.status <> 'Cancelled' AND x.audit_id IN (SELECT audit_id FROM escalated_audits)
GROUP BY ALL
ORDER BY x.audit_id;
