-- Supervision reviews counted by the filters, relationship, quality grade, wellbeing and session counts:
-- what the Supervision page counts, in a few thousand rows at any scale.
CREATE OR REPLACE TABLE supervision_cube AS
WITH final AS (
    SELECT cycle, service_area, team, relationship, quality_grade, wellbeing, sessions_expected, sessions_held,
           count(*)::BIGINT AS n
    FROM supervision_reviews GROUP BY ALL
)
SELECT * FROM final ORDER BY ALL;
