-- The warehouse schema. docs/data-contract.md documents every column here;
-- tests/test_contract.py fails when the two drift apart.

CREATE TABLE grade_scale (
    scale VARCHAR NOT NULL,
    grade VARCHAR NOT NULL,
    rank TINYINT NOT NULL,
    good_or_better BOOLEAN NOT NULL,
    PRIMARY KEY (scale, grade)
);

INSERT INTO grade_scale VALUES
    ('Ofsted', 'Outstanding', 1, true),
    ('Ofsted', 'Good', 2, true),
    ('Ofsted', 'Requires improvement', 3, false),
    ('Ofsted', 'Inadequate', 4, false),
    ('Assurance', 'High', 1, true),
    ('Assurance', 'Medium', 2, false),
    ('Assurance', 'Low', 3, false);

CREATE TABLE audits (
    audit_id VARCHAR PRIMARY KEY,
    form_id VARCHAR NOT NULL,
    instrument VARCHAR NOT NULL,
    scale VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    audit_date DATE NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    case_type VARCHAR,
    worker_key VARCHAR,
    auditor_key VARCHAR,
    child_key VARCHAR,
    overall_grade VARCHAR,
    child_safe BOOLEAN,
    worker_agrees VARCHAR,
    moderated_grade VARCHAR,
    oversight_date DATE,
    completed_at TIMESTAMP,
    modified_at TIMESTAMP,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

CREATE TABLE audit_grades (
    audit_id VARCHAR NOT NULL,
    practice_area VARCHAR NOT NULL,
    grade VARCHAR NOT NULL,
    PRIMARY KEY (audit_id, practice_area)
);

CREATE TABLE audit_comments (
    audit_id VARCHAR NOT NULL,
    topic VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (audit_id, topic)
);

CREATE TABLE actions (
    action_id VARCHAR PRIMARY KEY,
    audit_id VARCHAR,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    owner_role VARCHAR,
    description VARCHAR,
    raised_date DATE NOT NULL,
    due_date DATE,
    completed_date DATE,
    status VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

-- Learning Episodes from allocation to sign-off (the allocation tracker). episode_id uses the Learning Episode
-- form's key prefix, so a signed-off episode's evaluation form is the audits row with the same id.
CREATE TABLE learning_episodes (
    episode_id VARCHAR PRIMARY KEY,
    cycle VARCHAR NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    practitioner_key VARCHAR,
    reviewer_key VARCHAR,
    child_key VARCHAR,
    allocated_date DATE NOT NULL,
    due_date DATE,
    reflection_date DATE,
    conversation_date DATE,
    observation_date DATE,
    assurance VARCHAR,
    evaluation VARCHAR,
    evaluation_date DATE,
    concluding_date DATE,
    supervisor_date DATE,
    signed_off_date DATE,
    hos_moderated_date DATE,
    cslt_sampled BOOLEAN,
    cslt_moderated_date DATE,
    modified_at TIMESTAMP,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

CREATE TABLE supervision_reviews (
    review_id VARCHAR PRIMARY KEY,
    cycle VARCHAR NOT NULL,
    review_date DATE NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    supervisee_key VARCHAR,
    supervisor_key VARCHAR,
    relationship VARCHAR,
    sessions_expected SMALLINT,
    sessions_held SMALLINT,
    quality_grade VARCHAR,
    strengths BOOLEAN NOT NULL,
    development BOOLEAN NOT NULL,
    wellbeing BOOLEAN NOT NULL,
    reflection BOOLEAN NOT NULL,
    training_needs BOOLEAN NOT NULL,
    comment VARCHAR,
    modified_at TIMESTAMP,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

CREATE TABLE focus_group_notes (
    note_id VARCHAR PRIMARY KEY,
    cycle VARCHAR NOT NULL,
    pld_date DATE,
    service_area VARCHAR NOT NULL,
    pld_theme VARCHAR,
    category VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    modified_at TIMESTAMP,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

CREATE TABLE child_voice (
    response_id VARCHAR PRIMARY KEY,
    audit_id VARCHAR,
    cycle VARCHAR NOT NULL,
    feedback_date DATE NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    respondent VARCHAR NOT NULL,
    listened_to TINYINT,
    understood_why TINYINT,
    things_better TINYINT,
    comment VARCHAR,
    modified_at TIMESTAMP,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

CREATE TABLE pld_events (
    pld_id VARCHAR PRIMARY KEY,
    service_area VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    theme VARCHAR,
    planned_date DATE,
    held_date DATE,
    planning_meeting_date DATE,
    multi_agency BOOLEAN,
    report_date DATE,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

CREATE TABLE rejected_rows (
    record_key VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    reason VARCHAR NOT NULL,
    raw_values VARCHAR NOT NULL,
    ingest_id INTEGER NOT NULL,
    PRIMARY KEY (record_key, source_row)
);

CREATE TABLE ingest_log (
    ingest_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_new INTEGER NOT NULL,
    rows_updated INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    unknown_headings VARCHAR[] NOT NULL,
    started TIMESTAMP NOT NULL,
    finished TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL,
    -- Added in December 2026, last and nullable, as warehouse.upgrade adds them to an older file.
    quiz_headings VARCHAR[],
    date_orders VARCHAR[],
    formula_cells INTEGER
);

CREATE TABLE team_roster (
    roster_id VARCHAR PRIMARY KEY,
    person_key VARCHAR NOT NULL,
    as_at DATE NOT NULL,
    team VARCHAR NOT NULL,
    service_area VARCHAR,
    role VARCHAR,
    source_file VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    content_hash VARCHAR NOT NULL
);

-- Themes (data_pipeline/themes.py, docs/themes.md). Every free-text answer the taxonomy reads, one row
-- per text: (source_table, source_id, category) identifies it. Kept by ingest with the records it copies.
CREATE TABLE theme_texts (
    source_table VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    text VARCHAR NOT NULL
);

CREATE TABLE theme_taxonomy (
    theme VARCHAR PRIMARY KEY,
    position INTEGER NOT NULL,
    description VARCHAR NOT NULL,
    phrases VARCHAR[] NOT NULL,
    patterns VARCHAR[] NOT NULL,
    taxonomy_hash VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

-- One row per (source_table, source_id, category, theme, phrase), by construction: no key is declared, as
-- keeping an index over every mention cost more than the rest of re-applying the taxonomy.
CREATE TABLE theme_mentions (
    source_table VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    phrase VARCHAR NOT NULL,
    matched_text VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR
);

-- Theme summaries by source, cycle, service area and team (the Themes page's filters), kept by ingest.
CREATE TABLE theme_text_counts (
    source_table VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    texts BIGINT NOT NULL,
    themed BIGINT NOT NULL
);

CREATE TABLE theme_mention_counts (
    source_table VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    theme VARCHAR NOT NULL,
    texts BIGINT NOT NULL
);

CREATE TABLE theme_terms (
    source_table VARCHAR NOT NULL,
    cycle VARCHAR NOT NULL,
    service_area VARCHAR NOT NULL,
    team VARCHAR,
    words TINYINT NOT NULL,
    term VARCHAR NOT NULL,
    texts BIGINT NOT NULL,
    unthemed_texts BIGINT NOT NULL,
    example VARCHAR NOT NULL
);

-- The audit sampling plan (data_pipeline.plans), pseudonymised: a case list is never stored, only the
-- plan drawn from it, by keyed hashes. "IF NOT EXISTS": saving a plan adds them to an older warehouse.
CREATE TABLE IF NOT EXISTS sample_plans (
    plan_id VARCHAR PRIMARY KEY,
    cycle VARCHAR NOT NULL,
    drawn_on DATE NOT NULL,
    drawn_at TIMESTAMP NOT NULL,
    seed BIGINT NOT NULL,
    criteria VARCHAR NOT NULL,
    exclusion_from DATE NOT NULL,
    case_list_sha256 VARCHAR NOT NULL,
    case_list_profile VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    open_cases INTEGER NOT NULL,
    eligible_cases INTEGER NOT NULL,
    planned_cases INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS planned_cases (
    plan_id VARCHAR NOT NULL,
    case_key VARCHAR NOT NULL,
    child_key VARCHAR,
    worker_key VARCHAR NOT NULL,
    team VARCHAR,
    service_area VARCHAR NOT NULL,
    case_type VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    PRIMARY KEY (plan_id, case_key)
);

CREATE TABLE IF NOT EXISTS plan_workers (
    plan_id VARCHAR NOT NULL,
    worker_key VARCHAR NOT NULL,
    team VARCHAR,
    service_area VARCHAR NOT NULL,
    open_cases INTEGER NOT NULL,
    eligible_cases INTEGER NOT NULL,
    planned_cases INTEGER NOT NULL,
    PRIMARY KEY (plan_id, worker_key)
);
