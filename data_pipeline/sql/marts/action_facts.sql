-- Actions with the UK financial-year quarter they were raised in, worked out once here rather than for a
-- million rows on every view: April-June is Q1 of the year that began that April, January-March is Q4, as
-- data_pipeline.vocab.cycle_of says (tests/findings/test_domain_words.py holds the two together).
CREATE OR REPLACE TABLE action_facts AS
WITH dated AS (
    SELECT *, year(raised_date) - (month(raised_date) < 4)::INTEGER AS financial_year FROM actions
), final AS (
    SELECT * EXCLUDE (financial_year, source_file, source_row, content_hash),
           printf('%d/%02d Q%d', financial_year, (financial_year + 1) % 100, (month(raised_date) + 8) % 12 // 3 + 1)
               AS raised_cycle
    FROM dated
)
SELECT * FROM final ORDER BY service_area, team, raised_date, action_id;
