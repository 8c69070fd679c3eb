-- How many reviews found each element of supervision in the records, by the filters and relationship.
CREATE OR REPLACE TABLE supervision_elements AS
WITH answers AS (
    UNPIVOT (SELECT cycle, service_area, team, relationship, strengths, development, wellbeing, reflection,
                    training_needs FROM supervision_reviews)
    ON strengths, development, wellbeing, reflection, training_needs INTO NAME element VALUE present
), final AS (
    SELECT cycle, service_area, team, relationship, element, present, count(*)::BIGINT AS n FROM answers GROUP BY ALL
)
SELECT * FROM final ORDER BY ALL;
