-- The keys a warehouse was built with, by fingerprint: HMAC-SHA256(key, "qa-dashboard key fingerprint v1").
-- "IF NOT EXISTS" because a warehouse built before fingerprints were kept gains the table at its next ingest.
CREATE TABLE IF NOT EXISTS key_fingerprints (
    key_name VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    recorded TIMESTAMP NOT NULL
);
