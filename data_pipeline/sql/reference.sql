-- Published reference data (data_pipeline/reference/, docs/data-contract.md): DfE and Ofsted figures for every
-- council, loaded by `python -m data_pipeline reference`. A file replaces the rows of its publication.
-- Part of every new warehouse; the loader runs it again (it changes nothing twice) so that a warehouse built
-- before these tables existed takes reference data too. The two large tables declare no key: the loader refuses
-- a file that repeats one (data_pipeline/reference/load.py KEYS), and an index cost more than the rest of a load.
CREATE TABLE IF NOT EXISTS reference_markers (
    marker VARCHAR PRIMARY KEY,
    meaning VARCHAR NOT NULL
);

INSERT OR IGNORE INTO reference_markers VALUES
    ('c', 'confidential: suppressed to protect individuals'),
    ('x', 'not available'),
    ('z', 'not applicable'),
    ('u', 'low reliability'),
    ('low', 'a small positive number that rounds to zero'),
    ('..', 'not available'),
    (':', 'not available'),
    ('blank', 'left blank in the publication'),
    ('inspection_pre_dates_judgement', 'the judgement did not exist when the inspection took place'),
    ('not_reported_post_reform', 'not given: the 2026 framework has no overall effectiveness grade'),
    ('data_unreadable', 'the published report could not be read'),
    ('unrecognised', 'the report''s words were not a grade; kept missing rather than guessed');

CREATE TABLE IF NOT EXISTS reference_figures (
    publication VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    as_at DATE NOT NULL,
    level VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    la_code VARCHAR,
    area_name VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    value DOUBLE,
    marker VARCHAR
);

CREATE TABLE IF NOT EXISTS reference_areas (
    la_code VARCHAR NOT NULL,
    ons_code VARCHAR NOT NULL,
    area_name VARCHAR NOT NULL,
    region VARCHAR,
    ofsted_urn VARCHAR,
    publication VARCHAR NOT NULL,
    PRIMARY KEY (publication, la_code, ons_code)
);

CREATE TABLE IF NOT EXISTS reference_neighbours (
    publication VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    position TINYINT NOT NULL,
    neighbour_la_code VARCHAR NOT NULL,
    closeness VARCHAR,
    PRIMARY KEY (publication, la_code, position)
);

CREATE TABLE IF NOT EXISTS reference_inspections (
    publication VARCHAR NOT NULL,
    inspection_id VARCHAR NOT NULL,
    la_code VARCHAR,
    ons_code VARCHAR,
    ofsted_urn VARCHAR,
    area_name VARCHAR NOT NULL,
    inspection_type VARCHAR,
    started DATE,
    ended DATE,
    published DATE,
    judgement VARCHAR NOT NULL,
    grade VARCHAR,
    marker VARCHAR
);

CREATE TABLE IF NOT EXISTS reference_log (
    publication VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    published DATE,
    periods VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_skipped INTEGER NOT NULL,
    records INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
