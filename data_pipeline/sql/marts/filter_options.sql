-- Every distinct combination of filter values in each table: what the sidebar offers, without scanning
-- millions of rows to list a few dozen teams. A column a table lacks is NULL.
CREATE OR REPLACE TABLE filter_options AS
WITH audit_options AS (
    SELECT DISTINCT 'audits' AS source, cycle, service_area, team, case_type, instrument, scale FROM audits
), action_options AS (
    SELECT DISTINCT 'actions' AS source, NULL AS cycle, service_area, team FROM actions
), review_options AS (
    SELECT DISTINCT 'supervision_reviews' AS source, cycle, service_area, team FROM supervision_reviews
), voice_options AS (
    SELECT DISTINCT 'child_voice' AS source, cycle, service_area, team FROM child_voice
), note_options AS (
    SELECT DISTINCT 'focus_group_notes' AS source, cycle, service_area, NULL AS team FROM focus_group_notes
), pld_options AS (
    SELECT DISTINCT 'pld_events' AS source, cycle, service_area, NULL AS team FROM pld_events
), final AS (
    SELECT * FROM audit_options
    UNION ALL BY NAME SELECT * FROM action_options
    UNION ALL BY NAME SELECT * FROM review_options
    UNION ALL BY NAME SELECT * FROM voice_options
    UNION ALL BY NAME SELECT * FROM note_options
    UNION ALL BY NAME SELECT * FROM pld_options
)
SELECT source, cycle::VARCHAR AS cycle, service_area, team, case_type, instrument, scale FROM final ORDER BY ALL;
